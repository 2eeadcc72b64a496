import type { NetDefinition } from './definition'
import type { TaskState } from './lifecycle'
import { cancellationEffects } from './cancellation'
import { orJoinDecisionFor } from './orJoin'
import { consumedBy, isJoinSatisfied, splitTargets, type OrJoinDecision, type RouteRequest } from './semantics'

/**
 * A whole-net interpreter over the pure semantics: the complete state of one
 * workflow held in memory. The runtime does not use it (it loads only a step's
 * footprint); unit tests and state-space exploration (`verifyWorkflow`) do.
 *
 * It implements the order of a step exactly:
 * - an operation changes the marking or a task's state (`fireTask`: a task
 *   consumes its tokens and starts; `exitTask`: a task completes, its
 *   cancellation region is applied, its split produces); no enabling happens
 *   inside it;
 * - then `settle`: while the workflow runs, a marked end condition completes
 *   it; otherwise the first dummy task (declaration order) that is not started
 *   and whose join holds is enabled, fires and exits, and settling starts over;
 *   otherwise every non-dummy task that is not started is enabled (a new
 *   generation) when its join holds and it is not enabled, and disabled when it
 *   is enabled and its join no longer holds.
 *
 * So after every step the enabling invariant holds: a task that is not started
 * is `enabled` iff its join holds on the marking. OR-joins are decided on the
 * whole current state each time one is checked (`OrJoinDecider`).
 */
export type NetState = {
  readonly marking: Readonly<Record<string, number>>
  readonly tasks: Readonly<Record<string, TaskState>>
  readonly generations: Readonly<Record<string, number>>
  /** The end condition was marked: the workflow completed, nothing runs any more. */
  readonly completed: boolean
}

/** The OR-join decision to take on `state` (the default decides it with `orJoinDecisionFor`). */
export type OrJoinDecider = (state: NetState) => OrJoinDecision

/** The route a dummy task with an XOR- or OR-split takes when settling fires it. */
export type DummyRoute = (task: string, state: NetState) => RouteRequest

export type SettleOptions = {
  /** How OR-joins are decided; by default `orJoinDecisionFor(net, state)` on every state asked. */
  readonly decide?: OrJoinDecider
  /** Routes of dummy tasks with an XOR- or OR-split (required if settling fires one). */
  readonly route?: DummyRoute
  /** Dummy firings one settle may do before it gives up on a cycle of dummy tasks (default 4 × (tasks + 1)). */
  readonly maxDummies?: number
}

const tokensOf = (state: NetState) => ({ tokens: (c: string) => state.marking[c] ?? 0 })
const stateOf = (state: NetState, t: string): TaskState => state.tasks[t] ?? 'disabled'

function withTask(state: NetState, task: string, to: TaskState, newGeneration = false): NetState {
  return {
    ...state,
    tasks: { ...state.tasks, [task]: to },
    generations: newGeneration ? { ...state.generations, [task]: (state.generations[task] ?? 0) + 1 } : state.generations,
  }
}

function deciderOf(net: NetDefinition, options: SettleOptions | undefined): OrJoinDecider {
  return options?.decide ?? ((state) => orJoinDecisionFor(net, state))
}

/** Whether `task`'s join holds on `state`, an OR-join decided by `decide` on that state. */
export function joinHoldsIn(net: NetDefinition, state: NetState, task: string, decide: OrJoinDecider): boolean {
  let decision: OrJoinDecision | undefined
  return isJoinSatisfied(net, task, tokensOf(state), (node) => (decision ??= decide(state))(node))
}

/** Tasks currently enabled, in declaration order. */
export function enabledTasks(net: NetDefinition, state: NetState): string[] {
  return Object.keys(net.tasks).filter((t) => state.tasks[t] === 'enabled')
}

/**
 * A task fires, without settling: it consumes (AND-join one token from every input,
 * XOR-join from the first marked input, OR-join from every marked input) and is `started`.
 * The caller checks that it may (it is enabled).
 */
export function fireTask(net: NetDefinition, state: NetState, task: string): NetState {
  const marking = { ...state.marking }
  for (const c of consumedBy(net, tokensOf(state), task)) marking[c] = (marking[c] ?? 0) - 1
  return { ...withTask(state, task, 'started'), marking }
}

/**
 * A started task exits into `targets`, without settling: it is `completed`; its cancellation
 * region cancels its enabled or started tasks, withdraws the tokens of every region task's
 * implicit input conditions, and empties its conditions; then the split produces one token into
 * each target.
 */
export function exitTask(net: NetDefinition, state: NetState, task: string, targets: readonly string[]): NetState {
  state = withTask(state, task, 'completed')
  const region = cancellationEffects(net, { ...tokensOf(state), taskState: (t) => stateOf(state, t) }, task)
  const marking = { ...state.marking }
  const tasks = { ...state.tasks }
  for (const t of region.canceled) tasks[t] = 'canceled'
  for (const { condition } of [...region.emptied, ...region.withdrawn]) marking[condition] = 0
  for (const c of targets) marking[c] = (marking[c] ?? 0) + 1
  return { ...state, marking, tasks }
}

/** The workflow completes: enabled tasks are disabled, started ones canceled. */
function completeWorkflow(state: NetState): NetState {
  const tasks = { ...state.tasks }
  for (const [t, s] of Object.entries(tasks)) {
    if (s === 'enabled') tasks[t] = 'disabled'
    if (s === 'started') tasks[t] = 'canceled'
  }
  return { ...state, tasks, completed: true }
}

/**
 * One round of settling:
 * - `completed`: the end condition was marked, the workflow completed (`state` is after it);
 * - `dummy`: the first dummy task whose join holds was enabled (a new generation) and fired;
 *   the caller exits it (`exitTask`) with a route of its choice, then settles again;
 * - `stable`: non-dummy tasks enabled and disabled as their joins say; settling is over
 *   (also when the workflow was not running).
 */
export type SettleRound =
  | { readonly kind: 'completed'; readonly state: NetState }
  | { readonly kind: 'dummy'; readonly task: string; readonly state: NetState }
  | { readonly kind: 'stable'; readonly state: NetState }

export function settleRound(net: NetDefinition, state: NetState, decide: OrJoinDecider): SettleRound {
  if (state.completed) return { kind: 'stable', state }
  if ((state.marking[net.endCondition] ?? 0) > 0) return { kind: 'completed', state: completeWorkflow(state) }
  const names = Object.keys(net.tasks)
  // One decision per state: memoize it for the whole round (a round changes no marking).
  let decision: OrJoinDecision | undefined
  const decided: OrJoinDecider = () => (decision ??= decide(state))
  const holds = (t: string) => joinHoldsIn(net, state, t, decided)
  for (const t of names) {
    if (net.tasks[t]!.kind !== 'dummy' || stateOf(state, t) === 'started' || !holds(t)) continue
    return { kind: 'dummy', task: t, state: fireTask(net, withTask(state, t, 'enabled', true), t) }
  }
  let next = state
  for (const t of names) {
    const s = stateOf(state, t)
    if (net.tasks[t]!.kind === 'dummy' || s === 'started') continue
    const h = holds(t)
    if (h && s !== 'enabled') next = withTask(next, t, 'enabled', true)
    else if (!h && s === 'enabled') next = withTask(next, t, 'disabled')
  }
  return { kind: 'stable', state: next }
}

/** Settles `state` (see the header): the state at the end of a step. */
export function settle(net: NetDefinition, state: NetState, options?: SettleOptions): NetState {
  const decide = deciderOf(net, options)
  const maxDummies = options?.maxDummies ?? 4 * (Object.keys(net.tasks).length + 1)
  for (let dummies = 0; ; dummies++) {
    const round = settleRound(net, state, decide)
    if (round.kind !== 'dummy') return round.state
    if (dummies >= maxDummies) {
      throw new Error(`Net '${net.name}': dummy tasks fired ${maxDummies} times in one step (a cycle of dummy tasks).`)
    }
    const routed = options?.route?.(round.task, round.state)
    state = exitTask(net, round.state, round.task, splitTargets(net, round.task, routed))
  }
}

/** A workflow just initialized: one token in the start condition, then settled. */
export function initialState(net: NetDefinition, options?: SettleOptions): NetState {
  const empty: NetState = { marking: { [net.startCondition]: 1 }, tasks: {}, generations: {}, completed: false }
  return settle(net, empty, options)
}

/** Starts an enabled task (it fires), then settles: competitors that lost their join are disabled. */
export function startTask(net: NetDefinition, state: NetState, task: string, options?: SettleOptions): NetState {
  if (state.tasks[task] !== 'enabled') throw new Error(`Task '${task}' is '${stateOf(state, task)}', not enabled.`)
  return settle(net, fireTask(net, state, task), options)
}

/**
 * Completes a started task: its exit (region, then the split's tokens into the routed
 * outputs; `routed` is required for an XOR- or OR-split), then settles.
 */
export function completeTask(
  net: NetDefinition,
  state: NetState,
  task: string,
  routed?: RouteRequest,
  options?: SettleOptions,
): NetState {
  if (state.tasks[task] !== 'started') throw new Error(`Task '${task}' is '${stateOf(state, task)}', not started.`)
  return settle(net, exitTask(net, state, task, splitTargets(net, task, routed)), options)
}
