import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { SagaResult, SagaStepResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { OutboxReceipts } from '../../src/domain/outboxReceipts'
import type { JournalChange } from '../../src/journal/changes'
import { runScheduledInTimeOrder } from '../../src/testing'
import type { OrderInput } from '../../src/workflows/sagas004'
import type { Backend } from '../support/harness'
import { outboxBackend } from '../support/outbox'

/**
 * `004_…`'s sagas, declared as classes with `@step`/`@compensates` (src/workflows/sagas004.ts):
 * OrderPlacementSaga, whose refund waits for the order's cancellation (order `graph`), and a wider order with two
 * independent branches compensated level by level (order `dependencies`). Each test reads the order compensations
 * ran in from three sources: the records (`getSagaResult`: positions, times), the journal (which step enabled,
 * started and completed each compensation task), and the outbox, which delivers one event per step and per
 * compensation (convex/examples/placementOutbox.ts) to its subscriber.
 */

type Fns = typeof internal.examples.placementSaga | typeof internal.examples.orderFulfilmentSaga
type WorkflowId = Id<'tasknet_workflows'>
type Result = SagaResult & { compensatedSteps?: string[]; skippedSteps?: string[]; steps: SagaStepResult[] }
type Event = { sequence: number; operation: string; target: { kind: string }; changes: JournalChange[] }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const ORDER = { orderId: 'ORD-123', items: ['WIDGET-001'] }

/** Runs a saga to its end, outbox deliveries included. */
async function run(fns: Fns, input: Omit<OrderInput, 'orderId' | 'items'>) {
  const t = outboxBackend()
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { ...ORDER, ...input } as never })) as WorkflowId
  await runScheduledInTimeOrder(t, vi, { components: ['outbox'] })
  const result = (await t.query(fns.getSagaResult, { workflowId })) as Result
  const workflow = (await t.query(fns.getWorkflow, { workflowId })).state
  const events = (await t.query(fns.getEvents, { workflowId, limit: 1000 })).events as unknown as Event[]
  return { t, workflowId, result, workflow, events, log: await t.run((ctx) => ActivityLog.entries(ctx)) }
}

/** The journal event in which `task` made the transition to `to`. */
function when(events: Event[], task: string, to: 'enabled' | 'started' | 'completed') {
  const found = events.filter((e) => e.changes.some((c) => c.kind === 'task' && c.task === task && c.to === to))
  expect(found, `${task} → ${to}`).toHaveLength(1)
  return found[0]!.sequence
}

const compensation = (result: Result, step: string) => result.steps.find((s) => s.step === step)!.compensation!

/**
 * Checks that each compensation started only after the compensations it waits for completed, in the journal
 * (its task started in a later step than theirs completed) and in the records (a later position, no earlier time).
 */
function expectWaited(events: Event[], result: Result, waits: Record<string, string[]>) {
  for (const [step, before] of Object.entries(waits)) {
    for (const other of before) {
      expect(when(events, `compensate_${step}`, 'started'), `${step} after ${other}`).toBeGreaterThan(when(events, `compensate_${other}`, 'completed'))
      expect(compensation(result, step).position).toBeGreaterThan(compensation(result, other).position)
      expect(compensation(result, step).startedAt).toBeGreaterThanOrEqual(compensation(result, other).endedAt)
    }
  }
}

/** Checks that two compensations ran in parallel: both tasks enabled before either completed. */
function expectParallel(events: Event[], a: string, b: string) {
  const [ta, tb] = [`compensate_${a}`, `compensate_${b}`]
  expect(when(events, ta, 'enabled'), `${a} enabled before ${b} completed`).toBeLessThan(when(events, tb, 'completed'))
  expect(when(events, tb, 'enabled'), `${b} enabled before ${a} completed`).toBeLessThan(when(events, ta, 'completed'))
}

/**
 * What the outbox's subscriber received for the workflow, in order: for each event, the work items that ended
 * in it (`<work item> <state>`), and how often it arrived. Checked against the journal by sequence.
 */
async function delivered(t: Backend, workflowId: WorkflowId, events: Event[]) {
  const receipts = (await t.run((ctx) => OutboxReceipts.of(ctx, 'sagaSteps'))).filter((r) => r.workflowId === workflowId)
  expect(receipts.every((r) => r.arrivals.length === 1 && r.operation === 'startWorkItem')).toBe(true)
  return receipts.map((r) => {
    const event = events.find((e) => e.sequence === r.sequence)!
    expect(event.target.kind).toBe('workItem')
    return event.changes
      // A step's or a compensation's work item; the saga's own (`saga_conclude` fails with the last compensation) aside.
      .filter((c): c is Extract<JournalChange, { kind: 'workItem' }> => c.kind === 'workItem' && (c.to === 'completed' || c.to === 'failed' || c.to === 'canceled') && !c.name.startsWith('saga_'))
      .map((c) => `${c.name} ${c.to}`)
      .join(' + ')
  })
}

describe("004: OrderPlacementSaga, a class with @step and @compensates (order 'graph')", () => {
  const fns = internal.examples.placementSaga

  it('success: the order is created, charged and confirmed; one outbox event per step', async () => {
    const { t, workflowId, result, workflow, events, log } = await run(fns, { amount: 99.99 })
    expect(workflow).toBe('completed')
    expect(result.status).toBe('completed')
    expect(log).toEqual(['create order ORD-123 (WIDGET-001)', 'charge 99.99', 'confirm order ORD-123'])
    expect(result.steps.map((s) => [s.step, s.status, s.output ?? null, s.compensation ?? null])).toEqual([
      ['createOrder', 'completed', { orderId: 'ORD-123' }, null],
      ['chargePayment', 'completed', { chargeId: 'CHG-ORD-123' }, null],
      ['confirmOrder', 'completed', null, null],
    ])
    expect(await delivered(t, workflowId, events)).toEqual(['createOrder completed', 'chargePayment completed', 'confirmOrder completed'])
  })

  it('payment declined (amount > 1000): its writes roll back, the order is canceled, the refund skipped', async () => {
    const { t, workflowId, result, workflow, events, log } = await run(fns, { amount: 1500 })
    expect(workflow).toBe('failed')
    // `charge 1500` was written by the step that failed: rolled back with it.
    expect(log).toEqual(['create order ORD-123 (WIDGET-001)', 'cancel order ORD-123'])
    expect(result).toMatchObject({
      status: 'compensated',
      cause: 'stepFailed',
      failedAtStep: 'chargePayment',
      error: 'Payment declined',
      compensatedSteps: ['createOrder'],
      skippedSteps: ['chargePayment'],
    })
    expect(compensation(result, 'createOrder')).toMatchObject({ status: 'compensated', position: 1 })
    expect(compensation(result, 'chargePayment')).toMatchObject({ status: 'skipped', position: 2, reason: 'failed: its own writes were rolled back' })
    expect(result.steps.find((s) => s.step === 'confirmOrder')).toEqual({ step: 'confirmOrder', status: 'notReached' })
    expectWaited(events, result, { chargePayment: ['createOrder'] })
    expect(await delivered(t, workflowId, events)).toEqual([
      'createOrder completed',
      'chargePayment failed',
      'compensate_createOrder completed',
      // Skipped: its work item is canceled, so the journal tells it from a compensation that ran.
      'compensate_chargePayment canceled',
    ])
  })

  it('a failure after the payment: the order is canceled first, then refunded (compensationAfter), not in LIFO order', async () => {
    const { t, workflowId, result, workflow, events, log } = await run(fns, { amount: 99.99, failAt: 'confirmOrder' })
    expect(workflow).toBe('failed')
    expect(log).toEqual(['create order ORD-123 (WIDGET-001)', 'charge 99.99', 'cancel order ORD-123', 'refund CHG-ORD-123'])
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'confirmOrder', error: 'confirmOrder failed', compensatedSteps: ['createOrder', 'chargePayment'], skippedSteps: [] })
    expectWaited(events, result, { chargePayment: ['createOrder'] })
    // Only the cancellation is enabled by the abort; the refund is enabled by the cancellation's completion.
    expect(when(events, 'compensate_createOrder', 'enabled')).toBe(when(events, 'saga_abort', 'completed'))
    expect(when(events, 'compensate_chargePayment', 'enabled')).toBe(when(events, 'compensate_createOrder', 'completed'))
    expect(await delivered(t, workflowId, events)).toEqual([
      'createOrder completed',
      'chargePayment completed',
      'confirmOrder failed',
      'compensate_createOrder completed',
      'compensate_chargePayment completed',
    ])
  })
})

describe("004's levels: a wider order with two independent branches (order 'dependencies')", () => {
  const fns = internal.examples.orderFulfilmentSaga

  it('success: both branches run in parallel, then the parcel ships; one outbox event per step', async () => {
    const { t, workflowId, result, workflow, events, log } = await run(fns, { amount: 250 })
    expect(workflow).toBe('completed')
    expect(result.status).toBe('completed')
    expect(log).toEqual(['create order ORD-123 (WIDGET-001)', 'reserve WIDGET-001', 'charge 250', 'pack ORD-123', 'invoice ORD-123', 'ship ORD-123'])
    // The two branches' first steps are enabled by the same step: the order's creation.
    expect(when(events, 'reserveStock', 'enabled')).toBe(when(events, 'chargePayment', 'enabled'))
    expect(await delivered(t, workflowId, events)).toEqual([
      'createOrder completed',
      'reserveStock completed',
      'chargePayment completed',
      'packParcel completed',
      'issueInvoice completed',
      'shipParcel completed',
    ])
  })

  it('the shipment fails: compensated level by level, the independent compensations of each level in parallel', async () => {
    const { t, workflowId, result, workflow, events, log } = await run(fns, { amount: 250, failAt: 'shipParcel' })
    expect(workflow).toBe('failed')
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'shipParcel', skippedSteps: [] })
    // Level 1: the last step of each branch; level 2: the first; level 3: the order.
    expect(result.compensatedSteps).toEqual(['packParcel', 'issueInvoice', 'reserveStock', 'chargePayment', 'createOrder'])
    expect(log.slice(5)).toEqual(['unpack ORD-123', 'void invoice ORD-123', 'release RES-ORD-123', 'refund CHG-ORD-123', 'cancel order ORD-123'])
    expectWaited(events, result, {
      reserveStock: ['packParcel'],
      chargePayment: ['issueInvoice'],
      createOrder: ['reserveStock', 'chargePayment'],
    })
    // Level 1 is enabled whole by the abort; each level's two compensations run in parallel.
    expect(when(events, 'compensate_packParcel', 'enabled')).toBe(when(events, 'saga_abort', 'completed'))
    expect(when(events, 'compensate_issueInvoice', 'enabled')).toBe(when(events, 'saga_abort', 'completed'))
    expectParallel(events, 'packParcel', 'issueInvoice')
    expectParallel(events, 'reserveStock', 'chargePayment')
    // Each compensation's task was started in a step of its own.
    const starts = ['packParcel', 'issueInvoice', 'reserveStock', 'chargePayment', 'createOrder'].map((s) => when(events, `compensate_${s}`, 'started'))
    expect(new Set(starts).size).toBe(5)
    expect(await delivered(t, workflowId, events)).toEqual([
      'createOrder completed',
      'reserveStock completed',
      'chargePayment completed',
      'packParcel completed',
      'issueInvoice completed',
      'shipParcel failed',
      'compensate_packParcel completed',
      'compensate_issueInvoice completed',
      'compensate_reserveStock completed',
      'compensate_chargePayment completed',
      'compensate_createOrder completed',
    ])
  })

  it('payment declined in one branch: the other branch is stopped, and only what completed is compensated', async () => {
    const { t, workflowId, result, workflow, events, log } = await run(fns, { amount: 5000 })
    expect(workflow).toBe('failed')
    expect(log).toEqual(['create order ORD-123 (WIDGET-001)', 'reserve WIDGET-001', 'release RES-ORD-123', 'cancel order ORD-123'])
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'chargePayment', error: 'Payment declined', compensatedSteps: ['reserveStock', 'createOrder'] })
    // packParcel was reached (its start scheduled) when the abort canceled it; issueInvoice never was.
    expect(result.steps.map((s) => [s.step, s.status, s.compensation?.status ?? null, s.compensation?.reason ?? null])).toEqual([
      ['createOrder', 'completed', 'compensated', null],
      ['reserveStock', 'completed', 'compensated', null],
      ['packParcel', 'canceled', 'skipped', 'canceled before it completed'],
      ['chargePayment', 'failed', 'skipped', 'failed: its own writes were rolled back'],
      ['issueInvoice', 'notReached', 'skipped', 'not reached'],
      ['shipParcel', 'notReached', null, null],
    ])
    expectWaited(events, result, { createOrder: ['reserveStock', 'chargePayment'], reserveStock: ['packParcel'], chargePayment: ['issueInvoice'] })
    // Every compensation task ran, whether it compensated or recorded its step as skipped (its work item canceled):
    // one event each. The abort canceled the other branch's packParcel, waiting for its start, in the failure's step.
    expect(await delivered(t, workflowId, events)).toEqual([
      'createOrder completed',
      'reserveStock completed',
      'chargePayment failed + packParcel canceled',
      'compensate_packParcel canceled',
      'compensate_issueInvoice canceled',
      'compensate_reserveStock completed',
      'compensate_chargePayment canceled',
      'compensate_createOrder completed',
    ])
  })
})
