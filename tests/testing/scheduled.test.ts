import workpool from '@convex-dev/workpool/test'
import { convexTest } from 'convex-test'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import schema from '../../convex/schema'
import { SERVICE_TIMEOUT_MS } from '../../src/workflows/serviceCall'
import { advanceTime, runScheduledInTimeOrder, scheduledFunctions, tasknetTest, workflowDriver, type ScheduledFunction } from '../../src/testing'
import { ActivityLog } from '../../src/domain/activityLog'
import { CHARGE_RETRY } from '../../src/workflows/charge'
import { requests, serviceCall, servicesBackend, startCharge } from '../support/services'

const modules = import.meta.glob('../../convex/**/*.ts')

const PROVIDER = 'examples/serviceCall:callProvider'
const TIMEOUT = 'examples/serviceCall:internalFailWorkItem'
const jobStates = (jobs: ScheduledFunction[]) => jobs.map((job) => `${job.name}:${job.state}`)

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** `call` is started, its provider call is due at once and its timeout after SERVICE_TIMEOUT_MS. */
async function calling() {
  const t = tasknetTest(schema, modules)
  const wf = workflowDriver(t, internal.examples.serviceCall)
  await wf.initialize()
  const jobs = await scheduledFunctions(t)
  expect(jobStates(jobs)).toEqual([`${PROVIDER}:pending`, `${TIMEOUT}:pending`])
  expect(jobs[1]!.scheduledTime - jobs[0]!.scheduledTime).toBe(SERVICE_TIMEOUT_MS)
  return { t, wf }
}

describe('a 0 ms provider call and a 10 s timeout scheduled in the same step', () => {
  it('in time order, the 0 ms call finishes first: it completes the work item, and the timeout is canceled and never runs', async () => {
    const { t, wf } = await calling()
    const start = Date.now()

    const ran = await runScheduledInTimeOrder(t, vi)

    expect(jobStates(ran)).toEqual([`${PROVIDER}:success`])
    expect(jobStates(await scheduledFunctions(t))).toEqual([`${PROVIDER}:success`, `${TIMEOUT}:canceled`])
    expect(await wf.snapshot()).toEqual({ workflow: 'completed', tasks: { call: 'completed' }, marking: { start: 0, end: 1 }, workItems: ['call#1:completed'] })
    // Nothing was pending after the call, so time did not move on to the timeout.
    expect(Date.now() - start).toBe(0)
  })

  it('with finishAllScheduledFunctions(vi.runAllTimers), the timeout fires while the call is still running: the work item fails and the call errs', async () => {
    const { t, wf } = await calling()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})

    await t.finishAllScheduledFunctions(vi.runAllTimers)

    expect(jobStates(await scheduledFunctions(t))).toEqual([`${PROVIDER}:failed`, `${TIMEOUT}:success`])
    expect(await wf.snapshot()).toEqual({ workflow: 'failed', tasks: { call: 'failed' }, marking: { start: 0, end: 0 }, workItems: ['call#1:failed'] })
    expect(String(error.mock.calls[0]?.[1])).toMatch(/Cannot complete work item 'call'.*it is 'failed'/)
    error.mockRestore()
  })
})

describe('runScheduledInTimeOrder and advanceTime', () => {
  /** A 10 s job, and a 0 ms job that schedules a 0 ms follow-up and a 5 s one; each logs the time it saw. */
  async function chain() {
    const t = tasknetTest(schema, modules)
    const origin = Date.now()
    await t.run(async (ctx) => {
      await ctx.scheduler.runAfter(10_000, internal.activityLog.appendTimed, { entry: 'timeout', origin })
      await ctx.scheduler.runAfter(0, internal.activityLog.appendTimed, {
        entry: 'fast',
        origin,
        then: [
          { delayMs: 5_000, entry: 'later' },
          { delayMs: 0, entry: 'follow-up' },
        ],
      })
    })
    const log = () => t.run((ctx) => ActivityLog.entries(ctx))
    return { t, origin, log }
  }

  it('runs every job in time order, each at exactly its scheduled time, follow-ups included', async () => {
    const { t, origin, log } = await chain()
    const ran = await runScheduledInTimeOrder(t, vi)
    expect(await log()).toEqual(['fast @0', 'follow-up @0', 'later @5000', 'timeout @10000'])
    expect(ran.map((job) => `${(job.args as { entry: string }).entry}:${job.state}@${Math.round(job.scheduledTime - origin)}`)).toEqual([
      'fast:success@0',
      'follow-up:success@0',
      'later:success@5000',
      'timeout:success@10000',
    ])
    expect(Date.now() - origin).toBe(10_000)
  })

  it('finishAllScheduledFunctions(vi.runAllTimers) runs the 10 s job before the 0 ms follow-up, and the clock jumps ahead of every job', async () => {
    const { t, log } = await chain()
    await t.finishAllScheduledFunctions(vi.runAllTimers)
    // Each call fires every timer at once: the 0 ms job runs at 10 s, its 0 ms follow-up at 15 s.
    expect(await log()).toEqual(['fast @10000', 'timeout @10000', 'follow-up @15000', 'later @15000'])
  })

  it('advanceTime runs what comes due within the interval, in order, and leaves later jobs pending', async () => {
    const { t, origin, log } = await chain()
    expect((await advanceTime(t, vi, 5_000)).map((job) => job.state)).toEqual(['success', 'success', 'success'])
    expect(await log()).toEqual(['fast @0', 'follow-up @0', 'later @5000'])
    expect(Date.now() - origin).toBe(5_000)

    expect(await advanceTime(t, vi, 4_999)).toEqual([])
    expect(Date.now() - origin).toBe(9_999)
    expect((await scheduledFunctions(t)).filter((job) => job.state === 'pending')).toHaveLength(1)

    await advanceTime(t, vi, 1)
    expect(await log()).toEqual(['fast @0', 'follow-up @0', 'later @5000', 'timeout @10000'])
  })

  it('takes a function that advances fake time as well as vi', async () => {
    const { t, log } = await chain()
    const steps: number[] = []
    await runScheduledInTimeOrder(t, (ms) => {
      steps.push(ms)
      vi.advanceTimersByTime(ms)
    })
    expect(steps).toEqual([0, 0, 5_000, 5_000])
    expect(await log()).toEqual(['fast @0', 'follow-up @0', 'later @5000', 'timeout @10000'])
  })

  it('stops a chain that never ends after maxSteps, naming the pending job', async () => {
    const t = tasknetTest(schema, modules)
    await t.run((ctx) => ctx.scheduler.runAfter(1_000, internal.activityLog.appendTimed, { entry: 'tick', origin: Date.now(), repeatEveryMs: 1_000 }))
    await expect(runScheduledInTimeOrder(t, vi, { maxSteps: 5 })).rejects.toThrow(
      /still jobs pending after 5 steps \(next: activityLog:appendTimed\)/,
    )
    expect(await t.run((ctx) => ActivityLog.entries(ctx))).toEqual(['tick @1000', 'tick @2000', 'tick @3000', 'tick @4000', 'tick @5000'])
  })

  it('refuses a job whose timer fake time cannot fire (it was scheduled on another clock)', async () => {
    const t = tasknetTest(schema, modules)
    await t.run((ctx) => ctx.scheduler.runAfter(1_000, internal.activityLog.appendTimed, { entry: 'x', origin: 0 }))
    await expect(runScheduledInTimeOrder(t, () => {})).rejects.toThrow(/appendTimed .* did not run when fake time reached it/)
  })
})

/** The work pool schedules in segments of 100 ms (`@convex-dev/workpool`'s SEGMENT_MS): a retry may start up to one segment before its `runAt`. */
const SEGMENT_MS = 100
/** While it cools down after work, the pool's loop looks for new work every 200 ms (its COOLDOWN_CHECK_INTERVAL). */
const POLL_MS = 200
const services = { components: ['services'] }

/**
 * Service work items (tests/support/services.ts): each attempt of `charge` is a job of the `services`
 * work pool, whose loop is scheduled in the component `services/batchWorker` that the pool registers
 * below itself; only the completion and the timeout are the app's jobs.
 */
describe('the jobs of the components named in components', () => {
  let error: ReturnType<typeof vi.spyOn>
  beforeEach(() => {
    // convex-test prints each failed action; here they are the script's planned failures.
    error = vi.spyOn(console, 'error').mockImplementation(() => {})
  })
  afterEach(() => error.mockRestore())

  it('are read with the component they belong to, a named component standing for those registered below it', async () => {
    const t = servicesBackend()
    await startCharge(t, ['ok'])
    // The start queued the attempt in the pool and woke its loop: no job of the app's yet.
    expect(await scheduledFunctions(t)).toEqual([])
    expect((await scheduledFunctions(t, services)).map((job) => `${job.component}|${job.name}:${job.state}`)).toEqual([
      'services/batchWorker|loop:loop:pending',
      'services/batchWorker|monitor:monitor:pending',
    ])
    expect((await scheduledFunctions(t, { components: ['services/batchWorker'] })).map((job) => job.component)).toEqual(['services/batchWorker', 'services/batchWorker'])
    // An accessor with an identity knows the same components.
    expect(await scheduledFunctions(t.withIdentity({ subject: 'reviewer' }), services)).toHaveLength(2)
  })

  it('runScheduledInTimeOrder retries two transient failures after the policy’s backoff, each job at its scheduled time, and completes the work item', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['fail', 'fail', 'ok'])
    // The app's jobs alone: none, and the attempt stays queued.
    expect(await runScheduledInTimeOrder(t, vi)).toEqual([])
    expect(await requests(t, workItemId)).toEqual([])

    const ran = await runScheduledInTimeOrder(t, vi, services)

    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'succeeded', attempt: 3 })
    expect(await wf.state()).toBe('completed')
    const got = await requests(t, workItemId)
    expect(got.map((r) => `${r.attempt} ${r.step}`)).toEqual(['1 fail', '2 fail', '3 ok'])
    // Retries after 1 s, then 4 s, from the failed attempt's answer: started at the pool's first look after the backoff.
    const waits = got.slice(1).map((r, k) => r.startedAt - got[k]!.finishedAt!)
    const backoffs = [CHARGE_RETRY.initialBackoffMs, CHARGE_RETRY.initialBackoffMs * CHARGE_RETRY.base]
    waits.forEach((wait, k) => {
      expect(wait, `wait before retry ${k + 1}`).toBeGreaterThanOrEqual(backoffs[k]! - SEGMENT_MS)
      expect(wait, `wait before retry ${k + 1}`).toBeLessThanOrEqual(backoffs[k]! + POLL_MS)
    })
    // Each attempt ran in a job of the pool, and saw Date.now() at that job's scheduled time.
    const attemptJobs = ran.filter((job) => job.component === 'services' && job.name === 'worker:runBatch')
    expect(got.map((r) => attemptJobs.some((job) => Math.round(job.scheduledTime) === r.startedAt))).toEqual([true, true, true])
    // In time order: no job ran after one due later.
    const times = ran.map((job) => Math.round(job.scheduledTime))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    // The pool's jobs and its loop's; the app's own jobs here, the attempts' timeouts, were canceled when each attempt
    // ended in time, so none came due.
    expect(new Set(ran.map((job) => job.component ?? 'app'))).toEqual(new Set(['services', 'services/batchWorker']))
    expect((await scheduledFunctions(t)).map((job) => `${job.name}:${job.state}`)).toEqual(Array(3).fill('examples/charge:serviceTimeout:canceled'))
    // Nothing left: the pool's loop went idle and canceled its watchdog.
    expect((await scheduledFunctions(t, services)).filter((job) => job.state === 'pending')).toEqual([])
  })

  it('advanceTime stops between two attempts: the retry due after the 4 s backoff has not run a segment before it, and has run at it', async () => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['fail', 'fail', 'ok'])

    await advanceTime(t, vi, 2_000, services)
    expect((await requests(t, workItemId)).map((r) => r.attempt)).toEqual([1, 2])
    const waiting = await serviceCall(t, workItemId)
    expect(waiting).toMatchObject({ state: 'calling', attempt: 3 })
    const retryAt = waiting!.nextRetryAt!
    expect(retryAt - (await requests(t, workItemId))[1]!.finishedAt!).toBe(CHARGE_RETRY.initialBackoffMs * CHARGE_RETRY.base)

    await advanceTime(t, vi, retryAt - SEGMENT_MS - 1 - Date.now(), services)
    expect((await requests(t, workItemId)).map((r) => r.attempt)).toEqual([1, 2])
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'calling', attempt: 3 })

    await advanceTime(t, vi, SEGMENT_MS + 1, services)
    expect((await requests(t, workItemId)).map((r) => r.attempt)).toEqual([1, 2, 3])
    expect(await serviceCall(t, workItemId)).toMatchObject({ state: 'succeeded', attempt: 3 })
    expect(await wf.state()).toBe('completed')
  })

  it('refuses a component that is not registered, naming those that are', async () => {
    const t = servicesBackend()
    await startCharge(t, ['ok'])
    await expect(runScheduledInTimeOrder(t, vi, { components: ['payments'] })).rejects.toThrow(
      "component 'payments' is not registered on this backend (registered: 'services', 'services/batchWorker')",
    )
    await expect(advanceTime(t, vi, 1_000, { components: ['services', 'outbox'] })).rejects.toThrow(/component 'outbox' is not registered/)
  })
})

describe('on a backend made by convexTest directly', () => {
  it('reads the named paths only: the pool runs when its nested component is named too, and an unknown path is refused', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const t = convexTest(schema, modules)
    workpool.register(t, 'services')
    const wf = workflowDriver(t, internal.examples.charge)
    await wf.initialize()
    const workItem = await wf.start('charge', { script: ['fail', 'ok'] })

    await expect(runScheduledInTimeOrder(t, vi, { components: ['services', 'nope'] })).rejects.toThrow(/component 'nope' is not registered on this backend\. Register it/)
    // Without the pool's loop (services/batchWorker), nothing starts the attempt.
    expect(await runScheduledInTimeOrder(t, vi, services)).toEqual([])

    await runScheduledInTimeOrder(t, vi, { components: ['services', 'services/batchWorker'] })
    expect(await t.query(internal.examples.charge.getServiceCall, { workItemId: workItem._id })).toMatchObject({ state: 'succeeded', attempt: 2 })
    expect(await wf.state()).toBe('completed')
    error.mockRestore()
  })
})
