import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import schema from '../../convex/schema'
import { SERVICE_TIMEOUT_MS } from '../../src/workflows/serviceCall'
import { advanceTime, runScheduledInTimeOrder, scheduledFunctions, tasknetTest, workflowDriver, type ScheduledFunction } from '../../src/testing'
import { ActivityLog } from '../../src/domain/activityLog'

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
