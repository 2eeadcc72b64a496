import type { NetDefinition } from './definition'
import type { TaskState } from './lifecycle'
import { cancellationEffects } from './cancellation'
import { exit, fire, initialEnabling, splitTargets, type OrJoinDecision, type RouteRequest } from './semantics'

/**
 * A whole-net interpreter over the pure semantics: the complete state of one
 * workflow held in memory. The runtime does not use it (it loads only a step's
 * footprint); unit tests and state-space exploration do, and because both go
 * through `fire` and `exit`, they exercise exactly the rules the runtime runs.
 */
export type NetState = {
  readonly marking: Readonly<Record<string, number>>
  readonly tasks: Readonly<Record<string, TaskState>>
  readonly generations: Readonly<Record<string, number>>
  readonly completed: boolean
}

function view(state: NetState) {
  return {
    tokens: (c: string) => state.marking[c] ?? 0,
    taskState: (t: string): TaskState => state.tasks[t] ?? 'disabled',
  }
}

function enable(state: NetState, tasks: readonly string[]): NetState {
  const next = { ...state, tasks: { ...state.tasks }, generations: { ...state.generations } }
  for (const t of tasks) {
    next.tasks[t] = 'enabled'
    next.generations[t] = (state.generations[t] ?? 0) + 1
  }
  return next
}

/** A workflow just initialized: one token in the start condition, the tasks it enables enabled. */
export function initialState(net: NetDefinition, orJoin?: OrJoinDecision): NetState {
  const empty: NetState = { marking: { [net.startCondition]: 1 }, tasks: {}, generations: {}, completed: false }
  return enable(empty, initialEnabling(net, orJoin))
}

/** Tasks currently enabled, in declaration order. */
export function enabledTasks(net: NetDefinition, state: NetState): string[] {
  return Object.keys(net.tasks).filter((t) => state.tasks[t] === 'enabled')
}

/** Fires an enabled task: consumes its tokens and disables competitors that lost their enabling. */
export function startTask(net: NetDefinition, state: NetState, task: string, orJoin?: OrJoinDecision): NetState {
  if (state.tasks[task] !== 'enabled') throw new Error(`Task '${task}' is '${state.tasks[task] ?? 'disabled'}', not enabled.`)
  const firing = fire(net, view(state), task, orJoin)
  const marking = { ...state.marking }
  for (const { condition, tokens } of firing.consumed) marking[condition] = (marking[condition] ?? 0) - tokens
  const tasks = { ...state.tasks, [task]: 'started' as TaskState }
  for (const t of firing.disabled) tasks[t] = 'disabled'
  return { ...state, marking, tasks }
}

/**
 * Completes a started task: applies its cancellation region (region tasks that
 * are enabled or started canceled, region conditions emptied, tasks that lost
 * their enabling disabled), routes its split, produces tokens, enables what
 * they enable, and completes the workflow when the end condition is marked
 * (remaining enabled tasks disabled, started ones canceled).
 */
export function completeTask(
  net: NetDefinition,
  state: NetState,
  task: string,
  routed?: RouteRequest,
  orJoin?: OrJoinDecision,
): NetState {
  if (state.tasks[task] !== 'started') throw new Error(`Task '${task}' is '${state.tasks[task] ?? 'disabled'}', not started.`)
  const targets = splitTargets(net, task, routed)
  // semantics.md §5 step 3, before the split produces (step 4).
  const region = cancellationEffects(net, view(state), task, orJoin)
  if (region.canceled.length + region.emptied.length + region.disabled.length > 0) {
    const marking = { ...state.marking }
    for (const { condition } of region.emptied) marking[condition] = 0
    const tasks = { ...state.tasks }
    for (const t of region.canceled) tasks[t] = 'canceled'
    for (const t of region.disabled) tasks[t] = 'disabled'
    state = { ...state, marking, tasks }
  }
  const result = exit(net, view(state), task, targets, orJoin)
  const marking = { ...state.marking }
  for (const c of result.produced) marking[c] = (marking[c] ?? 0) + 1
  const completed: NetState = { ...state, marking, tasks: { ...state.tasks, [task]: 'completed' } }
  // As in the runtime: an exit that marks the end condition completes the workflow without first
  // enabling the other candidates (they would only be disabled again at once).
  let next = result.completesWorkflow ? completed : enable(completed, result.enabled)
  if (result.completesWorkflow) {
    const tasks = { ...next.tasks }
    for (const [t, s] of Object.entries(tasks)) {
      if (s === 'enabled') tasks[t] = 'disabled'
      if (s === 'started') tasks[t] = 'canceled'
    }
    next = { ...next, tasks, completed: true }
  }
  return next
}
