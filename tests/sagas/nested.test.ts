import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, type Backend } from '../support/harness'

/**
 * `003_…`'s nested sagas (src/workflows/sagas.ts): a child saga as a step. A child that fails compensates
 * itself and fails its step; a child that finished is compensated from its records when a later step of its
 * parent fails; a parent of several children stops at the first that compensates.
 */

type Result = SagaResult & { compensatedSteps: string[]; skippedSteps: string[]; compensationErrors: unknown[]; steps: Array<{ step: string; status: string; output?: unknown }> }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function run<F extends typeof internal.examples.fulfilmentSaga>(t: Backend, fns: F, payload: object) {
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: payload as never })) as Id<'tasknet_workflows'>
  await runScheduledInTimeOrder(t, vi)
  const result = (await t.query(fns.getSagaResult, { workflowId })) as Result
  const children = await Promise.all(
    result.steps
      .filter((s) => s.output && typeof s.output === 'object' && 'workflowId' in s.output)
      .map(async (s) => {
        const childId = (s.output as { workflowId: Id<'tasknet_workflows'> }).workflowId
        return [s.step, { workflow: (await t.query(fns.getWorkflow, { workflowId: childId })).state, saga: (await t.query(fns.getSagaResult, { workflowId: childId })) as Result }] as const
      }),
  )
  return { result, workflow: (await t.query(fns.getWorkflow, { workflowId })).state, children: Object.fromEntries(children), log: await t.run((ctx) => ActivityLog.entries(ctx)) }
}

describe('003: a nested saga', () => {
  const fns = internal.examples.fulfilmentSaga

  it('completes when the child completes: the step’s output names the child’s run', async () => {
    const { result, workflow, children, log } = await run(backend(), fns, { orderId: 'o1' })
    expect(workflow).toBe('completed')
    expect(result.status).toBe('completed')
    expect(log).toEqual(['reserveStock o1', 'bookCourier o1', 'printLabel o1', 'invoice o1'])
    expect(children.ship).toMatchObject({ workflow: 'completed', saga: { status: 'completed', name: 'shipmentSaga' } })
    expect(children.ship!.saga.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['bookCourier:completed', 'printLabel:completed'])
  })

  it('a child that fails compensates itself; its step fails and the parent compensates what came before', async () => {
    const { result, workflow, children, log } = await run(backend(), fns, { orderId: 'o2', shipment: { failAt: 'printLabel' } })
    expect(workflow).toBe('failed')
    expect(log).toEqual(['reserveStock o2', 'bookCourier o2', 'cancel courier o2', 'release stock o2'])
    expect(children.ship).toMatchObject({ workflow: 'failed', saga: { status: 'compensated', failedAtStep: 'printLabel', compensatedSteps: ['bookCourier'] } })
    expect(result).toMatchObject({
      status: 'compensated',
      failedAtStep: 'ship',
      error: "child saga 'shipmentSaga' compensated: printLabel failed",
      compensatedSteps: ['reserveStock'],
      skippedSteps: ['ship'],
    })
  })

  it('a later step that fails compensates the finished child from its records, in the child’s order, then the steps before it', async () => {
    const { result, children, log } = await run(backend(), fns, { orderId: 'o3', failAt: 'invoice' })
    expect(log).toEqual(['reserveStock o3', 'bookCourier o3', 'printLabel o3', 'void label o3', 'cancel courier o3', 'release stock o3'])
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'invoice', compensatedSteps: ['ship', 'reserveStock'] })
    // The child's run ended completed; its records now say it was compensated, step by step.
    expect(children.ship).toMatchObject({ workflow: 'completed', saga: { status: 'compensated', compensatedSteps: ['printLabel', 'bookCourier'] } })
  })

  it('a compensation of the finished child that fails is reported with its path, and the parent goes on (continue)', async () => {
    const { result, log } = await run(backend(), fns, { orderId: 'o4', failAt: 'invoice', shipment: { failCompensationOf: ['printLabel'] } })
    expect(log).toEqual(['reserveStock o4', 'bookCourier o4', 'printLabel o4', 'cancel courier o4', 'release stock o4'])
    expect(result).toMatchObject({
      status: 'compensationFailed',
      compensationErrors: [{ step: 'ship/printLabel', error: 'compensating printLabel failed' }],
      compensatedSteps: ['reserveStock'],
    })
  })
})

describe('003: saga orchestration', () => {
  const fns = internal.examples.orchestrationSaga as unknown as typeof internal.examples.fulfilmentSaga

  it('runs the children one after the other when each completes', async () => {
    const { result, log } = await run(backend(), fns, {})
    expect(result.status).toBe('completed')
    expect(log).toEqual(['first', 'second', 'third'].flatMap((o) => [`bookCourier ${o}`, `printLabel ${o}`]))
  })

  it('stops at the first child that compensates: the next never starts, the ones before are compensated', async () => {
    const { result, log } = await run(backend(), fns, { failing: 'second' })
    expect(log).toEqual(['bookCourier first', 'printLabel first', 'bookCourier second', 'cancel courier second', 'void label first', 'cancel courier first'])
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'second', compensatedSteps: ['first'] })
    expect(result.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['first:completed', 'second:failed', 'third:notReached'])
  })
})
