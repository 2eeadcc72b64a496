import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { advanceTime, runScheduledInTimeOrder } from '../../src/testing'
import { CHARGE_RETRY } from '../../src/workflows/charge'
import { callEnded, lateOutcomes, receipts, requests, runUntil, serviceCall, serviceChanges, servicesBackend, startCharge } from '../support/services'

/**
 * Service work items (docs/api.md#service-work-items) through the generated functions of
 * convex/examples/charge.ts: the work pool runs the fake service's `charge` action, and its completion
 * completes, retries or fails the work item. Scheduled work runs in time order on fake timers: through
 * tasknet/testing's `runScheduledInTimeOrder` and `advanceTime` with the `services` pool named, as an
 * app's tests would; where an attempt is `slow` or `busy` (its action waits on a fake timer of its own,
 * which no scheduled job shows) through support/services.ts's `runUntil`, which fires every timer in turn.
 */

/** The work pool of convex/examples/charge.ts, whose jobs run with the app's. */
const pool = { components: ['services'] }

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  vi.useFakeTimers()
  // convex-test prints each failed action; here they are the script's planned failures.
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
  vi.useRealTimers()
})

/** The pool's loop adds a little to each wait. */
const LOOP_SLACK_MS = 1_000
/** The pool schedules in segments of 100 ms (`@convex-dev/workpool`'s SEGMENT_MS): a job may start up to one segment before its `runAt`. */
const SEGMENT_MS = 100

describe('a service work item', () => {
  it('completes with the result of its first attempt, which its complete action receives', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['ok'])
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'calling', attempt: 1 })

    await runScheduledInTimeOrder(t, vi, pool)

    const key = `tasknet:${workItemId}`
    expect(await serviceCall(t, workItemId)).toEqual({ workItemId, idempotencyKey: key, state: 'succeeded', attempt: 1, result: { chargeId: `ch_${key}` }, late: [] })
    expect(await requests(t, workItemId)).toEqual([expect.objectContaining({ attempt: 1, idempotencyKey: key, step: 'ok' })])
    expect((await receipts(t)).map((r) => r.chargeId)).toEqual([`ch_${key}`])
    expect(await wf.state()).toBe('completed')
    expect(await serviceChanges(t, wf.workflowId)).toEqual(['1 queued', '1 succeeded'])
  })

  it('retries two transient failures with the policy’s backoff and one idempotency key, then completes on the third attempt', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['fail', 'fail', 'ok'])

    // The first attempt failed at once; the second is due after the 1 s backoff.
    await advanceTime(t, vi, 0, pool)
    expect(await requests(t, workItemId)).toHaveLength(1)
    const waiting = await serviceCall(t, workItemId)
    expect(waiting).toMatchObject({ state: 'calling', attempt: 2, lastError: expect.stringContaining('service unavailable (attempt 1)') })
    await runScheduledInTimeOrder(t, vi, pool)

    const got = await requests(t, workItemId)
    expect(got.map((r) => [r.attempt, r.step, r.idempotencyKey])).toEqual([
      [1, 'fail', `tasknet:${workItemId}`],
      [2, 'fail', `tasknet:${workItemId}`],
      [3, 'ok', `tasknet:${workItemId}`],
    ])
    // Retries after 1 s, then 4 s (no jitter), each measured from the failed attempt's answer.
    const waits = got.slice(1).map((r, k) => r.startedAt - got[k]!.finishedAt!)
    const expected = [CHARGE_RETRY.initialBackoffMs, CHARGE_RETRY.initialBackoffMs * CHARGE_RETRY.base]
    waits.forEach((wait, k) => {
      expect(wait, `wait before retry ${k + 1}`).toBeGreaterThanOrEqual(expected[k]! - SEGMENT_MS)
      expect(wait, `wait before retry ${k + 1}`).toBeLessThanOrEqual(expected[k]! + LOOP_SLACK_MS)
    })
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'succeeded', attempt: 3, lastError: expect.stringContaining('attempt 2') })
    expect(await wf.state()).toBe('completed')
    expect(await serviceChanges(t, wf.workflowId)).toEqual(['1 queued', '1 failed', '2 queued', '2 failed', '3 queued', '3 succeeded'])
  })

  it('fails when its retries run out, recording the error and the attempts', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['fail', 'fail', 'fail', 'ok'])
    await runScheduledInTimeOrder(t, vi, pool)

    expect(await requests(t, workItemId)).toHaveLength(3)
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'failed', attempt: 3, lastError: expect.stringContaining('service unavailable (attempt 3)') })
    expect((await wf.workItems('charge')).map((w) => w.state)).toEqual(['failed'])
    expect(await wf.state()).toBe('failed')
  })

  it.each([
    ['listed as non-retryable', 'decline' as const, 'card_declined'],
    ['thrown with nonRetryable()', 'refuse' as const, 'the card is blocked'],
    ['a result that does not match the schema', 'malformed' as const, 'does not match'],
  ])('fails at once on an error %s', async (_, step, message) => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, [step, 'ok'])
    await runScheduledInTimeOrder(t, vi, pool)

    expect(await requests(t, workItemId)).toHaveLength(1)
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'failed', attempt: 1, lastError: expect.stringContaining(message) })
    expect(await wf.state()).toBe('failed')
    expect(await receipts(t)).toEqual([])
  })
})

// Slow attempts take many timers in fake time, each settled in real event-loop turns: slower than most tests under load.
describe('late and uncertain outcomes', { timeout: 30_000 }, () => {
  it('times out a slow attempt, retries, and records the slow attempt’s late success and tells onLateOutcome', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['slow', 'ok'])

    await runUntil(t, callEnded(t, workItemId))
    // Attempt 1 was still running at 5 s: attempt 2 went ahead and completed the work item.
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'succeeded', attempt: 2, lastError: 'attempt 1 timed out after 5000 ms', late: [] })
    expect(await wf.state()).toBe('completed')

    await runUntil(t, async () => (await serviceCall(t, workItemId))!.late.length === 1)
    const key = `tasknet:${workItemId}`
    expect((await serviceCall(t, workItemId))!.late).toEqual([{ attempt: 1, reason: 'timedOut', outcome: { kind: 'success', result: { chargeId: `ch_${key}` } } }])
    expect((await lateOutcomes(t)).map(({ attempt, reason, kind }) => ({ attempt, reason, kind }))).toEqual([{ attempt: 1, reason: 'timedOut', kind: 'success' }])
    expect(await serviceChanges(t, wf.workflowId)).toEqual(['1 queued', '1 timedOut', '2 queued', '2 succeeded', '1 late'])
    // One receipt: the late success did not complete anything twice.
    expect(await receipts(t)).toHaveLength(1)
  })

  it('cancels an attempt’s timeout when the attempt ends in time; a timed-out attempt’s timeout ran', async () => {
    const t = servicesBackend()
    const timeouts = async () =>
      (await t.run((ctx) => ctx.db.system.query('_scheduled_functions').collect()))
        .filter((job) => job.name.endsWith('serviceTimeout'))
        .map((job) => [(job.args[0] as { attempt: number }).attempt, job.state.kind])
    const { workItemId } = await startCharge(t, ['busy'])
    await runUntil(t, callEnded(t, workItemId))
    // The 2 s attempt ended 3 s before its 5 s timeout: the timeout job is gone, not left to run for nothing.
    expect(await timeouts()).toEqual([[1, 'canceled']])

    const slow = await startCharge(t, ['slow', 'busy'])
    await runUntil(t, callEnded(t, slow.workItemId))
    expect((await timeouts()).slice(1)).toEqual([
      [1, 'success'],
      [2, 'canceled'],
    ])
  })

  it('cancels the job of a work item canceled while its attempt is queued: the action never runs', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['ok'])
    await wf.cancel('charge')
    await runScheduledInTimeOrder(t, vi, pool)

    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'canceled', attempt: 1, late: [] })
    expect(await requests(t, workItemId)).toEqual([])
    expect(await serviceChanges(t, wf.workflowId)).toEqual(['1 queued', '1 canceled'])
  })

  it('records a work item canceled while its action runs as uncertain, then its late result', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['slow'])
    await runUntil(t, async () => (await requests(t, workItemId)).length === 1)
    await wf.cancel('charge')
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'uncertain', attempt: 1 })

    await runUntil(t, async () => (await serviceCall(t, workItemId))!.late.length === 1)
    expect((await serviceCall(t, workItemId))!.late).toEqual([{ attempt: 1, reason: 'workItemEnded', outcome: { kind: 'success', result: expect.anything() } }])
    expect((await lateOutcomes(t)).map((l) => l.reason)).toEqual(['workItemEnded'])
    expect((await wf.workItems('charge')).map((w) => w.state)).toEqual(['canceled'])
    expect(await receipts(t)).toEqual([])
    expect(await serviceChanges(t, wf.workflowId)).toEqual(['1 queued', '1 uncertain', '1 late'])
  })

  it('gives up a running attempt when its work item is reset; started again, it calls with the next attempt number and the same key', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['slow', 'ok'])
    await runUntil(t, async () => (await requests(t, workItemId)).length === 1)
    await wf.reset('charge')
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'uncertain', attempt: 1 })

    await wf.start('charge', { script: ['slow', 'ok'] })
    await runUntil(t, async () => (await serviceCall(t, workItemId))!.late.length === 1)

    expect((await requests(t, workItemId)).map((r) => [r.attempt, r.step, r.idempotencyKey])).toEqual([
      [1, 'slow', `tasknet:${workItemId}`],
      [2, 'ok', `tasknet:${workItemId}`],
    ])
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'succeeded', attempt: 2, late: [expect.objectContaining({ attempt: 1, reason: 'workItemEnded' })] })
    expect(await wf.state()).toBe('completed')
    expect(await serviceChanges(t, wf.workflowId)).toEqual(['1 queued', '1 uncertain', '2 queued', '2 succeeded', '1 late'])
  })

  it('records a result that arrives after its workflow was canceled, without throwing', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['slow'])
    await runUntil(t, async () => (await requests(t, workItemId)).length === 1)
    await wf.cancelWorkflow()
    await runUntil(t, async () => (await serviceCall(t, workItemId))!.late.length === 1)

    expect(await wf.state()).toBe('canceled')
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'uncertain', late: [expect.objectContaining({ attempt: 1, reason: 'workItemEnded' })] })
  })
})

describe('the work pool', { timeout: 60_000 }, () => {
  it('runs at most maxParallelism (3) actions at a time for 20 service work items, and completes them all', async () => {
    const t = servicesBackend()
    const started: Awaited<ReturnType<typeof startCharge>>[] = []
    for (let n = 0; n < 20; n++) started.push(await startCharge(t, ['busy']))
    await runUntil(t, async () => {
      for (const { workItemId } of started) if ((await serviceCall(t, workItemId))?.state !== 'succeeded') return false
      return true
    })

    const all = (await t.run((ctx) => ctx.db.query('fakeServiceRequests').collect())).map((r) => [r.startedAt, r.finishedAt!] as const)
    expect(all).toHaveLength(20)
    const mostAtOnce = Math.max(...all.map(([at]) => all.filter(([start, end]) => start <= at && at < end).length))
    expect(mostAtOnce).toBe(3)
    for (const { wf } of started) expect(await wf.state()).toBe('completed')
  })
})
