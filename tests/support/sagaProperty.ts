import { Workpool } from '@convex-dev/workpool'
import { anyApi } from 'convex/server'
import { z } from 'zod'
import { components, internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { saga, sagaApi, serviceWorkItems, type Saga, type SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import type { JournalEvent } from '../../src/runtime/events'
import type { SagaBuilder } from '../../src/saga/builder'
import { compensationPredecessors } from '../../src/saga/compile'
import type { CompensationOrder, CompensationFailure } from '../../src/saga/define'
import { ABORT, compensationTask } from '../../src/saga/names'
import type { Backend } from './harness'
import { runUntil, servicesBackend } from './services'

/**
 * Random sagas for the saga property test (tests/sagas/property.test.ts): a seeded generator of step DAGs,
 * step kinds, injected failures and cancels; a runner that registers each saga as a Convex module of its own
 * and drives it to its end; and the checker of the four properties of docs/sagas.md#guarantees, read from
 * the saga's records, its journal and the domain log.
 */

/** mulberry32: a small seeded PRNG, so that a seed names one run exactly. */
export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  }
}

type ServiceAttempt = 'ok' | 'fail' | 'decline' | 'slow' | 'busy'

/** One generated step, as the generator planned it. */
export type PlannedStep = {
  name: string
  kind: 'local' | 'service'
  after: string[]
  compensationAfter: string[]
  compensable: boolean
  compensateIfUncertain: boolean
  /** Local: the action throws (after it wrote to the domain log, which rolls back with it). */
  fails: boolean
  /** Service: what the fake service does on each attempt; `maxAttempts` of the step's retry policy. */
  script: ServiceAttempt[]
  maxAttempts: number
  /** The compensation throws (after it wrote, rolled back too). */
  compensationFails: boolean
}

export type Plan = {
  seed: number
  name: string
  order: CompensationOrder
  onCompensationFailure: CompensationFailure
  steps: PlannedStep[]
  /** Timers fired before `cancelSaga` is scheduled; none: no cancel. */
  cancelAfterTimers?: number
}

/** The service steps' attempt timeout: a `slow` attempt (10 s) times out and answers late, a `busy` one (2 s) does not. */
export const SERVICE_TIMEOUT_MS = 5_000

/** A random saga of 1 to 8 steps: its order, DAG, step kinds, failures and cancel moment. */
export function randomPlan(seed: number): Plan {
  const r = prng(seed)
  const n = r.int(1, 8)
  const order = r.pick(['lifo', 'dependencies', 'dependencies', 'graph'] as const)
  const steps: PlannedStep[] = []
  for (let k = 0; k < n; k++) {
    const name = `s${k + 1}`
    const earlier = steps.map((s) => s.name)
    const after = order === 'lifo' ? earlier.slice(-1) : earlier.filter(() => r.chance(0.35))
    const kind = r.chance(0.3) ? 'service' : 'local'
    const maxAttempts = r.int(1, 3)
    const script = Array.from({ length: maxAttempts }, () => r.pick(['ok', 'ok', 'fail', 'decline', 'slow', 'busy'] as const))
    steps.push({
      name,
      kind,
      after,
      compensationAfter: order === 'graph' ? earlier.filter(() => r.chance(0.35)) : [],
      compensable: r.chance(0.8),
      compensateIfUncertain: kind === 'service' && r.chance(0.5),
      fails: kind === 'local' && r.chance(0.12),
      script,
      maxAttempts,
      compensationFails: r.chance(0.2),
    })
  }
  return {
    seed,
    name: `propertySaga${seed}`,
    order,
    onCompensationFailure: r.pick(['continue', 'halt'] as const),
    steps,
    ...(r.chance(0.4) ? { cancelAfterTimers: r.int(0, n) } : {}),
  }
}

/** The domain log's entries: `do <step>` by a local action that completed, `undo <step>` by a compensation that did. */
const done = (step: string) => `do ${step}`
const undone = (step: string) => `undo ${step}`

/** The saga a plan describes. */
export function sagaOf(plan: Plan): Saga {
  // Step names made in a loop, which the builder's literal name types cannot follow.
  let builder = saga(plan.name, { order: plan.order, onCompensationFailure: plan.onCompensationFailure }) as SagaBuilder<unknown, string>
  for (const s of plan.steps) {
    const compensate = s.compensable
      ? async ({ mutationCtx }: { mutationCtx: Parameters<typeof ActivityLog.append>[0] }) => {
          await ActivityLog.append(mutationCtx, undone(s.name))
          if (s.compensationFails) throw new Error(`compensating ${s.name} failed`)
        }
      : null
    const ordering = { ...(plan.order === 'lifo' ? {} : { after: s.after }), ...(plan.order === 'graph' ? { compensationAfter: s.compensationAfter } : {}) }
    builder =
      s.kind === 'local'
        ? builder.step(s.name, {
            ...ordering,
            compensate,
            action: async ({ mutationCtx }) => {
              await ActivityLog.append(mutationCtx, done(s.name))
              if (s.fails) throw new Error(`${s.name} failed`)
              return { step: s.name }
            },
          })
        : builder.step(s.name, {
            ...ordering,
            compensate,
            compensateIfUncertain: s.compensateIfUncertain,
            service: {
              action: internal.examples.fakeService.charge,
              request: () => ({ script: s.script }),
              retry: { maxAttempts: s.maxAttempts, initialBackoffMs: 1_000, base: 2, jitter: false },
              timeoutMs: SERVICE_TIMEOUT_MS,
              nonRetryable: ['card_declined'],
              result: z.object({ chargeId: z.string() }),
            },
          })
  }
  return builder.build() as Saga
}

/** The module path every generated saga takes in its own backend: `anyApi.examples.propertySaga`. */
const MODULE = '../../convex/examples/propertySaga.ts'
const functions = anyApi.examples!.propertySaga as unknown as Record<string, any>

export type Run = {
  plan: Plan
  saga: Saga
  workflowId: Id<'tasknet_workflows'>
  result: SagaResult & Record<string, any>
  workflowState: string
  events: JournalEvent[]
  log: string[]
  requests: Array<{ workItemId: string; attempt: number; startedAt: number; finishedAt?: number }>
  /** How the scheduled `cancelSaga` ended, when the plan has one: `success`, or `failed` (refused: the saga no longer ran). */
  cancel?: string
}

/**
 * Runs a plan's saga on a fresh backend (the `services` pool registered, the journal checked at every call
 * and, when the test ends, by replay) until its workflow ended, scheduling `cancelSaga` after the planned number
 * of timers; then lets the pool's last timers fire (late answers of timed-out attempts) before reading.
 */
export async function runPlan(plan: Plan): Promise<Run> {
  const built = sagaOf(plan)
  const exported = sagaApi(built, {
    self: (): unknown => functions,
    services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 4, logLevel: 'ERROR' }) }),
  })
  const t = servicesBackend({ workflows: [built.workflow], modules: { [MODULE]: async () => exported } })
  const workflowId = (await t.mutation(functions.internalInitializeRootWorkflow, { payload: {} })) as Id<'tasknet_workflows'>
  const ended = async () => !['initialized', 'started'].includes((await t.query(functions.getWorkflow, { workflowId })).state)
  let cancelJob: string | undefined
  if (plan.cancelAfterTimers !== undefined) {
    let fired = 0
    await runUntil(t, async () => fired++ >= plan.cancelAfterTimers! || (await ended()))
    // Scheduled, not called: it runs as the scheduler's next job, between two steps as a client's call would,
    // and never while a fake-service attempt that woke up still writes (the journal checker holds that a refused
    // call changes no table, which a concurrent write would break).
    cancelJob = await t.run(async (ctx) => (await ctx.scheduler.runAfter(0, functions.cancelSaga, { workflowId, reason: `seed ${plan.seed}`, scheduled: true })) as string)
  }
  await runUntil(t, ended)
  // What is still scheduled: a timed-out attempt answering late, the pool's own bookkeeping.
  await runUntil(t)
  const cancel = cancelJob ? ((await t.run((ctx) => ctx.db.system.get(cancelJob as never))) as { state: { kind: string } } | null)?.state.kind : undefined
  return { plan, saga: built, workflowId, ...(cancel ? { cancel } : {}), ...(await readRun(t, workflowId)) }
}

async function readRun(t: Backend, workflowId: Id<'tasknet_workflows'>) {
  const result = (await t.query(functions.getSagaResult, { workflowId })) as Run['result']
  const workflowState = (await t.query(functions.getWorkflow, { workflowId })).state as string
  const events: JournalEvent[] = []
  for (let after = 0, isDone = false; !isDone; ) {
    const page = await t.query(functions.getEvents, { workflowId, after, limit: 1000 })
    events.push(...(page.events as JournalEvent[]))
    ;({ continueAfter: after, isDone } = page)
  }
  const log = await t.run((ctx) => ActivityLog.entries(ctx))
  const requests = await t.run((ctx) => ctx.db.query('fakeServiceRequests').collect())
  return { result, workflowState, events, log, requests }
}

/** The sequence of the first event in which `task` moved to `to` (Infinity when it never did). */
function firstTransition(events: JournalEvent[], task: string, to: string[]): number {
  for (const e of events) for (const c of e.changes) if (c.kind === 'task' && c.task === task && to.includes(c.to)) return e.sequence
  return Infinity
}

/**
 * The four properties (docs/sagas.md#guarantees); returns the violations found, each a sentence.
 *
 * (a) The saga completed and nothing was compensated; or every compensable step has exactly one compensation
 *     record, and a step that completed (or is `uncertain` with `compensateIfUncertain`) is compensated exactly
 *     once (its `undo` once in the domain log) or its compensation failed and is in `compensationErrors`, or —
 *     under `halt` only — it is skipped as halted, after the one compensation that failed. A step that did not
 *     complete is never compensated. Under `continue` no completed step is skipped.
 * (b) No compensation starts (its task moves to `started` in the journal; its record's position) before every
 *     compensation it waits for (`compensationPredecessors`) ended.
 * (c) No forward step's task starts after `saga_abort` fired, no local action commits after it (the domain
 *     log), the fake service receives no new attempt after it, and a step recorded completed completed its
 *     task before it (a late answer completes nothing).
 * (d) The workflow ended (`completed` or `failed`) and the saga's record is final; `completed` exactly when
 *     the saga completed.
 */
export function violations(run: Run): string[] {
  const { plan, result, events, log } = run
  const found: string[] = []
  const say = (message: string) => found.push(message)
  const byStep = new Map(result.steps.map((s) => [s.step, s]))
  const count = (entry: string) => log.filter((e) => e === entry).length

  // (d)
  if (!['completed', 'failed'].includes(run.workflowState)) say(`(d) the workflow is '${run.workflowState}', not ended`)
  if (!['completed', 'compensated', 'compensationFailed'].includes(result.status)) say(`(d) the saga's record is '${result.status}', not final`)
  if ((run.workflowState === 'completed') !== (result.status === 'completed')) say(`(d) workflow '${run.workflowState}' but saga '${result.status}'`)
  if (result.endedAt === undefined) say('(d) the saga record has no endedAt')
  // A cancel is taken while the saga runs, and is then its cause; it is refused once the saga compensates or ended.
  if (run.cancel === 'success' && result.cause !== 'canceled') say(`(d) cancelSaga was taken, but the cause is '${result.cause}'`)
  if (run.cancel === 'failed' && result.cause === 'canceled') say('(d) cancelSaga was refused, but the cause is canceled')
  if (run.cancel !== undefined && !['success', 'failed'].includes(run.cancel)) say(`(d) the scheduled cancelSaga is '${run.cancel}'`)

  // (a)
  const compensable = plan.steps.filter((s) => s.compensable)
  if (result.status === 'completed') {
    for (const s of plan.steps) {
      if (byStep.get(s.name)!.status !== 'completed') say(`(a) saga completed but ${s.name} is '${byStep.get(s.name)!.status}'`)
      if (byStep.get(s.name)!.compensation) say(`(a) saga completed but ${s.name} has a compensation record`)
      if (count(undone(s.name)) > 0) say(`(a) saga completed but ${s.name} was undone`)
    }
  } else {
    const errors = (result.compensationErrors ?? []) as Array<{ step: string }>
    const positions = compensable.map((s) => byStep.get(s.name)!.compensation?.position).filter((p): p is number => p !== undefined)
    if (positions.length !== compensable.length) say(`(a) ${compensable.length} compensable steps but ${positions.length} compensation records`)
    if ([...positions].sort((x, y) => x - y).some((p, i) => p !== i + 1)) say(`(a) compensation positions ${positions} are not 1…${positions.length}`)
    const failed = compensable.filter((s) => byStep.get(s.name)!.compensation?.status === 'failed')
    if (errors.map((e) => e.step).join() !== [...failed].sort((x, y) => byStep.get(x.name)!.compensation!.position - byStep.get(y.name)!.compensation!.position).map((s) => s.name).join()) {
      say(`(a) compensationErrors ${errors.map((e) => e.step)} are not the failed compensations ${failed.map((s) => s.name)}`)
    }
    if ((result.status === 'compensationFailed') !== failed.length > 0) say(`(a) status '${result.status}' with ${failed.length} failed compensations`)
    const haltedAt = plan.onCompensationFailure === 'halt' && failed.length > 0 ? byStep.get(failed[0]!.name)!.compensation!.position : Infinity
    if (plan.onCompensationFailure === 'halt' && failed.length > 1) say(`(a) halt, but ${failed.length} compensations failed`)
    for (const s of compensable) {
      const step = byStep.get(s.name)!
      const c = step.compensation
      if (!c) continue
      const due = step.status === 'completed' || (step.status === 'uncertain' && s.compensateIfUncertain)
      const undos = count(undone(s.name))
      if (c.status === 'compensated' && undos !== 1) say(`(a) ${s.name} compensated, but undone ${undos} times in the log`)
      if (c.status !== 'compensated' && undos !== 0) say(`(a) ${s.name}'s compensation is '${c.status}', but it is undone ${undos} times in the log`)
      if (!due && c.status !== 'skipped') say(`(a) ${s.name} is '${step.status}' but its compensation is '${c.status}'`)
      if (c.status === 'compensated' && s.compensationFails) say(`(a) ${s.name}'s compensation throws, but it is recorded compensated`)
      if (c.status === 'skipped' && due) {
        const halted = c.position > haltedAt && String(c.reason).startsWith('halted')
        if (!halted) say(`(a) ${s.name} is '${step.status}' and its compensation is skipped (${c.reason}) at position ${c.position}${plan.onCompensationFailure === 'halt' ? `, halted at ${haltedAt}` : ''}`)
      }
      if (c.position > haltedAt && c.status !== 'skipped') say(`(a) ${s.name}'s compensation ran at position ${c.position}, after the halt at ${haltedAt}`)
    }
    // A step without a compensation has no compensation record, and nothing undoes it.
    for (const s of plan.steps.filter((s) => !s.compensable)) {
      if (byStep.get(s.name)!.compensation) say(`(a) ${s.name} has no compensation but has a compensation record`)
      if (count(undone(s.name)) > 0) say(`(a) ${s.name} has no compensation but was undone`)
    }
    // (b)
    const predecessors = compensationPredecessors(run.saga.definition.steps, plan.order)
    for (const [step, before] of predecessors) {
      const starts = firstTransition(events, compensationTask(step), ['started'])
      const own = byStep.get(step)!.compensation
      for (const b of before) {
        const ends = firstTransition(events, compensationTask(b), ['completed'])
        if (!(ends < starts)) say(`(b) compensate_${step} started (event ${starts}) before compensate_${b} ended (event ${ends})`)
        const other = byStep.get(b)!.compensation
        if (own && other && !(other.position < own.position && other.endedAt <= own.startedAt)) say(`(b) ${step}'s compensation (position ${own.position}) did not wait for ${b}'s (position ${other.position})`)
      }
    }
    // (c)
    const abort = firstTransition(events, ABORT, ['completed'])
    if (abort === Infinity) say('(c) the saga compensated but saga_abort never fired')
    for (const s of plan.steps) {
      const late = events.find((e) => e.sequence > abort && e.changes.some((c) => c.kind === 'task' && c.task === s.name && c.to === 'started'))
      if (late) say(`(c) ${s.name} started in event ${late.sequence}, after saga_abort (event ${abort})`)
      // A late answer (a timed-out attempt's, or one in flight when the abort canceled the step) completes nothing.
      const completed = firstTransition(events, s.name, ['completed'])
      if (byStep.get(s.name)!.status === 'completed' && !(completed < abort)) say(`(c) ${s.name} is recorded completed, but its task completed in event ${completed}, after saga_abort (event ${abort})`)
    }
    const firstUndo = log.findIndex((e) => e.startsWith('undo '))
    if (firstUndo >= 0 && log.slice(firstUndo).some((e) => e.startsWith('do '))) say(`(c) a local step committed after a compensation: ${log.join(', ')}`)
    const abortTime = events.find((e) => e.sequence === abort)?.time ?? Infinity
    for (const r of run.requests) if (r.startedAt > abortTime) say(`(c) the service received attempt ${r.attempt} at ${r.startedAt}, after saga_abort at ${abortTime}`)
  }
  return found
}

/** A plan in a line or two, printed with a failing seed. */
export function describePlan(plan: Plan): string {
  const steps = plan.steps.map((s) =>
    [
      `${s.name}:${s.kind}`,
      s.after.length ? `after ${s.after.join('+')}` : '',
      s.compensationAfter.length ? `compAfter ${s.compensationAfter.join('+')}` : '',
      s.compensable ? '' : 'no-comp',
      s.kind === 'local' && s.fails ? 'FAILS' : '',
      s.kind === 'service' ? `[${s.script.join(',')}]${s.compensateIfUncertain ? ' ifUncertain' : ''}` : '',
      s.compensationFails ? 'COMP-FAILS' : '',
    ]
      .filter(Boolean)
      .join(' '),
  )
  return `seed ${plan.seed}: ${plan.order}/${plan.onCompensationFailure}${plan.cancelAfterTimers !== undefined ? `, cancel after ${plan.cancelAfterTimers} timers` : ''}; ${steps.join('; ')}`
}

/** What a run ended with, in a line: the plan, the cancel's answer, each step's status and compensation, the log. */
export function summaryOf(run: Run): string {
  const steps = run.result.steps.map((s: { step: string; status: string; compensation?: { status: string; position: number; reason?: string } }) =>
    `${s.step} ${s.status}${s.compensation ? ` → #${s.compensation.position} ${s.compensation.status}${s.compensation.reason ? ` (${s.compensation.reason})` : ''}` : ''}`,
  )
  return `${describePlan(run.plan)}\n  ⇒ saga ${run.result.status}, workflow ${run.workflowState}; cancel: ${run.cancel ?? 'none'}; ${steps.join('; ')}; ${run.requests.length} service attempts\n  log: ${run.log.join(', ')}`
}
