import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { saga, type SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { advanceTime, runScheduledInTimeOrder, scheduledFunctions } from '../../src/testing'
import { backend, errorOf, type Backend } from '../support/harness'

/**
 * A saga with a pivot (src/workflows/sagas.ts `bookingSaga`): before the pivot completed, a failure compensates;
 * after it, the saga only goes forward — a failing step is started again after the forward backoff, `cancelSaga`
 * is refused and the deadline is withdrawn.
 */

const fns = internal.examples.bookingSaga
type Result = SagaResult & { compensatedSteps: string[]; steps: Array<{ step: string; status: string; attempts?: number }> }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const start = async (t: Backend, input: { ticketFailures: number; failAt?: string }) => (await t.mutation(fns.internalInitializeRootWorkflow, { payload: input as never })) as Id<'tasknet_workflows'>
const outcome = async (t: Backend, workflowId: Id<'tasknet_workflows'>) => ({
  result: (await t.query(fns.getSagaResult, { workflowId })) as Result,
  workflow: (await t.query(fns.getWorkflow, { workflowId })).state,
  log: await t.run((ctx) => ActivityLog.entries(ctx)),
})

describe('a saga with a pivot', () => {
  it('the pivot’s own failure compensates the steps before it', async () => {
    const t = backend()
    const workflowId = await start(t, { ticketFailures: 0, failAt: 'chargeCard' })
    await runScheduledInTimeOrder(t, vi)
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('failed')
    expect(log).toEqual(['holdSeat', 'release seat'])
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'chargeCard', compensatedSteps: ['holdSeat'] })
  })

  it('after the pivot, a failing step is started again after the backoff (1 s, 2 s, then at most 4 s) until it completes; nothing is compensated', async () => {
    const t = backend()
    const started = Date.now()
    const workflowId = await start(t, { ticketFailures: 4 })
    await runScheduledInTimeOrder(t, vi)
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('completed')
    expect(log).toEqual(['holdSeat', 'chargeCard', 'issueTicket on attempt 5'])
    expect(result.status).toBe('completed')
    expect(result.steps.find((s) => s.step === 'issueTicket')).toMatchObject({ status: 'completed', attempts: 5 })
    // Waits of 1 s, 2 s, 4 s and 4 s (the cap) between the five attempts.
    expect(Date.now() - started).toBe(1_000 + 2_000 + 4_000 + 4_000)
  })

  it('cancelSaga is refused past the pivot, and the deadline job is gone with the cancel', async () => {
    const t = backend()
    const workflowId = await start(t, { ticketFailures: 3 })
    await advanceTime(t, vi, 500) // the pivot completed; issueTicket failed once, and its second attempt waits 1 s
    expect((await outcome(t, workflowId)).result.steps.find((s) => s.step === 'issueTicket')).toMatchObject({ status: 'running', attempts: 2, error: 'ticket system down (attempt 1)' })
    const error = await errorOf(t.mutation(fns.cancelSaga, { workflowId, reason: 'too late' }))
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toContain('is past its pivot')
    expect((await scheduledFunctions(t)).filter((j) => j.name.endsWith('internalDeadlineReached')).map((j) => j.state)).toEqual(['canceled'])
    await runScheduledInTimeOrder(t, vi)
    expect((await outcome(t, workflowId)).workflow).toBe('completed')
  })
})

describe('pivot declarations', () => {
  const noop = () => undefined
  it.each([
    ['a second pivot', () => saga('p').step('a', { action: noop, compensate: null, pivot: true }).step('b', { action: noop, compensate: null, pivot: true }), 'is a second pivot'],
    ['a pivot with a compensation', () => saga('p').step('a', { action: noop, compensate: noop, pivot: true }), 'is the pivot'],
    ['a step after the pivot with a compensation', () => saga('p').step('a', { action: noop, compensate: null, pivot: true }).step('b', { action: noop, compensate: noop }), 'comes after the pivot'],
    ['a pivot outside lifo', () => saga('p', { order: 'dependencies' }).step('a', { action: noop, compensate: null, pivot: true }), "needs order 'lifo'"],
  ])('refuses %s', (_, declare, message) => {
    expect(declare).toThrow(message)
  })
})
