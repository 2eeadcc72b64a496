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
 * A Convex component schedules its own jobs in its own `_scheduled_functions`
 * table (convex-test arms a fake-able timer for each, as for the app's): a
 * work pool's loop and the attempts it starts, for instance. The helpers read
 * the app's table, and those of the components named in `components`, so a
 * component's job takes its place in the same time order as the app's.
 * Which components to read is the caller's choice, not every registered one:
 * convex-test does not list them, and a component that keeps a job pending
 * (a periodic loop) would keep "until no job is pending" from ending.
 * `@convex-dev/workpool`'s loop does not: it goes idle, canceling its watchdog,
 * a couple of seconds after its last work, once no action of it runs.
 *
 * A job's action that awaits a fake timer of its own (a `setTimeout` in the
 * action) never finishes here: each step waits for the jobs it started, and
 * only the next step would move fake time. Such a test fires the timers itself.
 *
 * Nothing here imports vitest: pass `vi` (any object with
 * `advanceTimersByTime(ms)`, the fake timers switched on before the jobs are
 * scheduled) or a function that advances fake time by `ms`.
 */

import { registeredPaths } from './components'

/** What moves fake time: vitest's `vi` with fake timers on, or a function `(ms) => …` (e.g. sinon's `clock.tick`). */
export type FakeClock = { advanceTimersByTime(ms: number): unknown } | ((ms: number) => unknown)

/**
 * The part of a convex-test instance these helpers use. `runInComponent`
 * (convex-test's, at run time though its types do not declare it) reads a
 * component's jobs; it is needed only when `components` are named.
 */
export type SchedulingBackend = {
  run: <Output>(func: (ctx: any) => Promise<Output>) => Promise<Output>
  finishInProgressScheduledFunctions: () => Promise<void>
}

export type ScheduledFunctionState = 'pending' | 'inProgress' | 'success' | 'failed' | 'canceled'

/**
 * One row of a `_scheduled_functions` table, with `name` as `module:function`
 * (`orders:serviceTimeout`) in the module tree of the app or of `component`.
 */
export type ScheduledFunction = {
  id: string
  name: string
  /** The component whose job it is (`services/batchWorker`); absent for the app's own. */
  component?: string
  state: ScheduledFunctionState
  /** When it is due, in (fake) milliseconds since the epoch. */
  scheduledTime: number
  args: unknown
}

export type ComponentsOption = {
  /**
   * The components whose jobs are read and run with the app's, by the name they
   * were registered under (`workpool.register(t, 'services')` → `'services'`).
   * On a backend made by `tasknetTest`, a name also stands for the components
   * registered below it (the pool's `services/batchWorker`, where its loop runs);
   * on one made by `convexTest` directly, name those too.
   */
  components?: readonly string[]
}

export type RunScheduledOptions = ComponentsOption & {
  /** At most this many instants are visited before giving up (an endless chain of jobs); 1,000 by default. */
  maxSteps?: number
}

/**
 * Every scheduled function of the backend: the app's, then each named
 * component's, each table in the order its jobs were scheduled.
 *
 * @example
 * const jobs = await scheduledFunctions(t, { components: ['services'] })
 * jobs.filter((job) => job.component === 'services' && job.state === 'pending')
 */
export async function scheduledFunctions(t: SchedulingBackend, options: ComponentsOption = {}): Promise<ScheduledFunction[]> {
  const app = (await t.run(readJobs)).map((job) => view(job))
  const components = await Promise.all(
    componentPaths(t, options.components ?? []).map(async (path) => (await readComponentJobs(t, path)).map((job) => view(job, path))),
  )
  return [app, ...components].flat()
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
 * // with service work items, whose attempts run in the `services` work pool:
 * await runScheduledInTimeOrder(t, vi, { components: ['services'] })
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
 * await advanceTime(t, vi, 1_000, { components: ['services'] }) // the retry due after 1 s has run
 */
export async function advanceTime(t: SchedulingBackend, clock: FakeClock, ms: number, options: RunScheduledOptions = {}) {
  const until = Date.now() + ms
  const ran = await runUntil(t, clock, until, options)
  await advanceBy(clock, until - Date.now())
  await t.finishInProgressScheduledFunctions()
  return ran
}

type RawJob = { _id: string; name: string; state: { kind: ScheduledFunctionState }; scheduledTime: number; args: unknown[] }

const readJobs = async (ctx: any) => (await ctx.db.system.query('_scheduled_functions').collect()) as RawJob[]

/** The paths whose tables are read: each named one, and those `tasknetTest` saw registered below it; a name never registered is refused. */
function componentPaths(t: SchedulingBackend, names: readonly string[]): string[] {
  const registered = registeredPaths(t)
  if (!registered) return [...new Set(names)]
  const paths = new Set<string>()
  for (const name of names) {
    if (!registered.has(name)) throw notRegistered(name, [...registered])
    for (const path of registered) if (path === name || path.startsWith(`${name}/`)) paths.add(path)
  }
  return [...paths]
}

/** `registered`: what `tasknetTest` recorded, unknown on another backend. */
function notRegistered(name: string, registered?: readonly string[]) {
  const known = registered === undefined ? '' : ` (registered: ${registered.length > 0 ? registered.map((path) => `'${path}'`).join(', ') : 'none'})`
  return new Error(
    `scheduledFunctions: component '${name}' is not registered on this backend${known}. ` +
      `Register it before naming it in \`components\`, e.g. workpool.register(t, '${name}') for a work pool.`,
  )
}

async function readComponentJobs(t: SchedulingBackend, path: string): Promise<RawJob[]> {
  const runInComponent = (t as { runInComponent?: (path: string, handler: (ctx: any) => Promise<RawJob[]>) => Promise<RawJob[]> }).runInComponent
  if (typeof runInComponent !== 'function') {
    throw new Error(`scheduledFunctions: this backend has no runInComponent (convex-test 0.0.60 has it), so the jobs of component '${path}' cannot be read`)
  }
  try {
    return await runInComponent(path, readJobs)
  } catch (error) {
    // convex-test's own words for a path it does not know (a backend not made by tasknetTest).
    if (String(error).includes('is not registered')) throw notRegistered(path)
    throw error
  }
}

function view(job: RawJob, component?: string): ScheduledFunction {
  return {
    id: job._id,
    name: job.name.replace(/\.js:/, ':'),
    ...(component !== undefined ? { component } : {}),
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
  // Ids are numbered per table, so a component's job may carry an id of the app's.
  const key = (job: ScheduledFunction) => `${job.component ?? ''}|${job.id}`
  const label = (job: ScheduledFunction) => (job.component !== undefined ? `${job.component}:${job.name}` : job.name)
  for (let step = 0; ; step++) {
    const pending = (await scheduledFunctions(t, options)).filter((job) => job.state === 'pending')
    if (pending.length === 0) return ran
    // Convex stores seconds × 1000, so a whole millisecond can come back a hair off: round it back.
    const at = Math.min(...pending.map((job) => Math.round(job.scheduledTime)))
    if (at > until) return ran
    if (step >= maxSteps) {
      throw new Error(
        `runScheduledInTimeOrder: still jobs pending after ${maxSteps} steps (next: ${pending.map(label).join(', ')}). ` +
          'Check for scheduled functions that keep scheduling each other, or raise maxSteps.',
      )
    }
    const due = pending.filter((job) => Math.round(job.scheduledTime) <= at)
    await advanceBy(clock, at - Date.now())
    await t.finishInProgressScheduledFunctions()
    const byKey = new Map((await scheduledFunctions(t, options)).map((job) => [key(job), job]))
    const after = due.map((job) => byKey.get(key(job)) ?? job)
    if (after.every((job) => job.state === 'pending')) {
      throw new Error(
        `runScheduledInTimeOrder: ${due.map(label).join(', ')} (due at ${new Date(at).toISOString()}) did not run ` +
          'when fake time reached it. Switch fake timers on (vi.useFakeTimers()) before the job is scheduled, ' +
          'and pass the clock that is faked.',
      )
    }
    ran.push(...after)
  }
}
