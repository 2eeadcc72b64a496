import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { StepLogLine } from '../../src'
import { runScheduledInTimeOrder } from '../../src/testing'
import { counterDocs, meteredBackend } from '../support/metrics'
import type { Backend } from '../support/harness'

/**
 * Saga metrics (`001_…`'s compensation total, failures and durations; docs/sagas.md#metrics): the signup saga with
 * `metrics` (convex/examples/meteredSignupSaga.ts) counts how its runs ended, how long they took, and the
 * compensations it ran and that failed, in the sharded counter; with `log`, one JSON line per step.
 */

const fns = internal.examples.meteredSignupSaga

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function signup(t: Backend, email: string, input: { failAt?: string; failCompensationOf?: string[] } = {}) {
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { email, ...input } as never })) as Id<'tasknet_workflows'>
  await runScheduledInTimeOrder(t, vi)
  return workflowId
}

describe('saga log lines', () => {
  it('print one JSON line per step of the saga: each forward step and each compensation, with its work item’s end', async () => {
    const t = meteredBackend()
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await signup(t, 'f@example.com', { failAt: 'activateSubscription' })
    const lines = log.mock.calls.map(([text]) => String(text)).filter((text) => text.startsWith('{"tasknet":"step"')).map((text) => JSON.parse(text) as StepLogLine)
    log.mockRestore()
    // What each step's work item came to: the forward steps, then the compensations (trackSignup has none; the failed
    // step's compensation is skipped, its work item canceled).
    const ended = lines.flatMap((line) =>
      line.workflows.flatMap((w) => w.changes.flatMap((c) => (c.kind === 'workItem' && c.to !== 'initialized' && c.to !== 'started' && !c.name.startsWith('saga_') ? [`${c.name} ${c.to}`] : []))),
    )
    expect(ended).toEqual([
      'createUser completed',
      'sendWelcomeEmail completed',
      'trackSignup completed',
      'activateSubscription failed',
      'compensate_activateSubscription canceled',
      'compensate_sendWelcomeEmail completed',
      'compensate_createUser completed',
    ])
    expect(lines.every((line) => line.workflows.every((w) => w.workflow === 'meteredSignup'))).toBe(true)
  })
})

describe('saga metrics', () => {
  it('count runs by outcome with their durations, and the compensations run and failed', async () => {
    const t = meteredBackend()
    await signup(t, 'a@example.com')
    await signup(t, 'b@example.com')
    await signup(t, 'c@example.com', { failAt: 'activateSubscription' })
    await signup(t, 'd@example.com', { failAt: 'activateSubscription', failCompensationOf: ['sendWelcomeEmail'] })

    const metrics = await t.query(fns.getSagaMetrics, {})
    expect(metrics).toMatchObject({
      completed: { count: 2 },
      compensated: { count: 1 },
      compensationFailed: { count: 1 },
      // c: sendWelcomeEmail and createUser; d: the same two, one of them failing. Skipped ones are not run.
      compensations: 4,
      compensationFailures: 1,
    })
    // Fake time stands still within a run: every duration is 0 here, and the mean follows.
    expect(metrics.completed).toEqual({ count: 2, totalMs: 0, meanMs: 0 })
    expect(metrics.compensated.meanMs).toBe(0)
    // Sharded by run: no more than the 4 shards per counter.
    const shards = (await counterDocs(t)).filter((d) => d.name === 'saga:meteredSignup:compensations')
    expect(shards.length).toBeGreaterThan(0)
    expect(shards.length).toBeLessThanOrEqual(4)
    expect(shards.reduce((sum, d) => sum + d.value, 0)).toBe(4)
  })

  it('durations run from the saga’s start to its end', async () => {
    const t = meteredBackend()
    const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { email: 'e@example.com' } as never })) as Id<'tasknet_workflows'>
    // Its first step runs 5 s late (a busy scheduler): the run takes 5 s.
    vi.setSystemTime(Date.now() + 5_000)
    await runScheduledInTimeOrder(t, vi)
    const result = await t.query(fns.getSagaResult, { workflowId })
    const metrics = await t.query(fns.getSagaMetrics, {})
    expect(result!.endedAt! - result!.startedAt).toBe(5_000)
    expect(metrics.completed).toEqual({ count: 1, totalMs: 5_000, meanMs: 5_000 })
  })

  it('refuses a saga name outside its hierarchy', async () => {
    const t = meteredBackend()
    await expect(t.query(fns.getSagaMetrics, { saga: 'nope' })).rejects.toThrow("Saga 'nope' is not one of this module's sagas ('meteredSignup').")
  })
})
