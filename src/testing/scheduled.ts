/**
 * Running a test backend's scheduled functions in time order.
 *
 * convex-test runs each scheduled function on its own `setTimeout`, due at the
 * job's `scheduledTime`, and `finishAllScheduledFunctions(vi.runAllTimers)`
 * fires every timer at once: a 10 s timeout starts while a 0 ms job (an action
 * awaiting its mutations, say) is still running, and a 0 ms job scheduled by
 * that job runs only after the timeout. Here fake time moves step by step:
 * to the earliest pending job, whose timers alone fire, and that job (with any
 * due at the same instant) runs to the end before time moves on. A job
 * therefore runs before every job due later, and sees `Date.now()` equal to its
 * `scheduledTime`, as on a deployment.
 *
 * Nothing here imports vitest: pass `vi` (any object with
 * `advanceTimersByTime(ms)`, the fake timers switched on before the jobs are
 * scheduled) or a function that advances fake time by `ms`.
 */

/** What moves fake time: vitest's `vi` with fake timers on, or a function `(ms) => …` (e.g. sinon's `clock.tick`). */
export type FakeClock = { advanceTimersByTime(ms: number): unknown } | ((ms: number) => unknown)

/** The part of a convex-test instance these helpers use. */
export type SchedulingBackend = {
  run: <Output>(func: (ctx: any) => Promise<Output>) => Promise<Output>
  finishInProgressScheduledFunctions: () => Promise<void>
}

export type ScheduledFunctionState = 'pending' | 'inProgress' | 'success' | 'failed' | 'canceled'

/** One row of `_scheduled_functions`, with `name` as `module:function` (`payments:processRefund`). */
export type ScheduledFunction = {
  id: string
  name: string
  state: ScheduledFunctionState
  /** When it is due, in (fake) milliseconds since the epoch. */
  scheduledTime: number
  args: unknown
}

export type RunScheduledOptions = {
  /** At most this many instants are visited before giving up (an endless chain of jobs); 1,000 by default. */
  maxSteps?: number
}

/** Every scheduled function of the backend, in the order they were scheduled. */
export async function scheduledFunctions(t: SchedulingBackend): Promise<ScheduledFunction[]> {
  const rows = await t.run(async (ctx) => (await ctx.db.system.query('_scheduled_functions').collect()) as RawJob[])
  return rows.map(view)
}

/**
 * Runs the scheduled functions to completion in time order: repeatedly moves
 * fake time exactly to the earliest pending job, lets the jobs due then run
 * and waits for them (and for what they call), until no job is pending.
 * Resolves to the jobs that came due, in the order they ran, with their final
 * state (a job canceled by another due at the same instant shows `canceled`).
 *
 * @example
 * beforeEach(() => vi.useFakeTimers())
 * afterEach(() => vi.useRealTimers())
 * ...
 * await runScheduledInTimeOrder(t, vi)
 */
export function runScheduledInTimeOrder(t: SchedulingBackend, clock: FakeClock, options: RunScheduledOptions = {}) {
  return runUntil(t, clock, Number.POSITIVE_INFINITY, options)
}

/**
 * Moves fake time forward by `ms`, running the jobs that come due on the way
 * in time order (as `runScheduledInTimeOrder`); jobs due later stay pending.
 * Resolves to the jobs that ran.
 *
 * @example
 * await advanceTime(t, vi, 5_000) // the 10 s timeout has not fired yet
 */
export async function advanceTime(t: SchedulingBackend, clock: FakeClock, ms: number, options: RunScheduledOptions = {}) {
  const until = Date.now() + ms
  const ran = await runUntil(t, clock, until, options)
  await advanceBy(clock, until - Date.now())
  await t.finishInProgressScheduledFunctions()
  return ran
}

type RawJob = { _id: string; name: string; state: { kind: ScheduledFunctionState }; scheduledTime: number; args: unknown[] }

function view(job: RawJob): ScheduledFunction {
  return {
    id: job._id,
    name: job.name.replace(/\.js:/, ':'),
    state: job.state.kind,
    scheduledTime: job.scheduledTime,
    args: job.args[0],
  }
}

async function advanceBy(clock: FakeClock, ms: number) {
  const by = Math.max(0, ms)
  await (typeof clock === 'function' ? clock(by) : clock.advanceTimersByTime(by))
}

async function runUntil(t: SchedulingBackend, clock: FakeClock, until: number, options: RunScheduledOptions) {
  const maxSteps = options.maxSteps ?? 1000
  const ran: ScheduledFunction[] = []
  await t.finishInProgressScheduledFunctions()
  for (let step = 0; ; step++) {
    const pending = (await scheduledFunctions(t)).filter((job) => job.state === 'pending')
    if (pending.length === 0) return ran
    // Convex stores seconds × 1000, so a whole millisecond can come back a hair off: round it back.
    const at = Math.min(...pending.map((job) => Math.round(job.scheduledTime)))
    if (at > until) return ran
    if (step >= maxSteps) {
      throw new Error(
        `runScheduledInTimeOrder: still jobs pending after ${maxSteps} steps (next: ${pending.map((job) => job.name).join(', ')}). ` +
          'Check for scheduled functions that keep scheduling each other, or raise maxSteps.',
      )
    }
    const due = pending.filter((job) => Math.round(job.scheduledTime) <= at)
    await advanceBy(clock, at - Date.now())
    await t.finishInProgressScheduledFunctions()
    const byId = new Map((await scheduledFunctions(t)).map((job) => [job.id, job]))
    const after = due.map((job) => byId.get(job.id) ?? job)
    if (after.every((job) => job.state === 'pending')) {
      throw new Error(
        `runScheduledInTimeOrder: ${due.map((job) => job.name).join(', ')} (due at ${new Date(at).toISOString()}) did not run ` +
          'when fake time reached it. Switch fake timers on (vi.useFakeTimers()) before the job is scheduled, ' +
          'and pass the clock that is faked.',
      )
    }
    ran.push(...after)
  }
}
