import { tasknetError } from '../errors'
import type { NetDefinition, TaskNode } from './definition'
import type { TaskState } from './lifecycle'

/**
 * The pure net semantics of docs/semantics.md#enabling: which tasks a marking enables,
 * what firing a task consumes, what its exit produces and which tasks that
 * enables or disables. Nothing here touches a database.
 *
 * Each step works on a *partial* view of a workflow's state: the runtime loads
 * only the conditions and tasks the step's footprint names (`fireFootprint`,
 * `exitFootprint`), so a step's cost does not grow with the size of the net.
 */

/** What a step may look at. Only the footprint of the step has to be answerable. */
export type NetView = {
  tokens(condition: string): number
  taskState(task: string): TaskState
}

/** Conditions and tasks a step reads. */
export type Footprint = { conditions: string[]; tasks: string[] }

/**
 * Decides whether an OR-join whose inputs hold at least one token is enabled
 * (the non-local condition of docs/semantics.md#enabling). It is supplied by the caller,
 * because that decision needs the whole active state of the workflow while
 * AND- and XOR-joins need only their own inputs.
 */
export type OrJoinDecision = (task: TaskNode) => boolean

function taskNode(net: NetDefinition, name: string): TaskNode {
  const node = net.tasks[name]
  if (!node) throw new Error(`Net '${net.name}' has no task '${name}'.`)
  return node
}

function unique(names: Iterable<string>): string[] {
  return [...new Set(names)]
}

const distinctInputs = new WeakMap<TaskNode, number>()

/** How many distinct input conditions `task` has (an input named twice counts once). Cached per task node. */
export function distinctInputCount(task: TaskNode): number {
  let n = distinctInputs.get(task)
  if (n === undefined) distinctInputs.set(task, (n = new Set(task.inputs).size))
  return n
}

/**
 * The join rule, from a count: whether `task`'s join holds when `markedInputs` of its DISTINCT
 * input conditions hold at least one token. AND-join: every distinct input is marked; XOR-join:
 * some input is; OR-join: some input is and the non-local OR-join decision says so. This is the
 * one rule; `isJoinSatisfied` counts and asks it, and the runtime may keep the count on a task's
 * document instead of reading every input.
 */
export function joinHolds(task: TaskNode, markedInputs: number, orJoin?: OrJoinDecision): boolean {
  switch (task.joinType) {
    case 'and':
      return markedInputs === distinctInputCount(task)
    case 'xor':
      return markedInputs > 0
    case 'or':
      if (markedInputs === 0) return false
      if (!orJoin) throw new Error(`Task '${task.name}' has an OR-join but no OR-join decision was supplied.`)
      return orJoin(task)
  }
}

/**
 * Whether the join of `task` holds on the marking: counts its marked distinct inputs and asks
 * `joinHolds`. Enabling consumes nothing.
 *
 * The count stops as soon as it decides the rule, in declaration order: an AND-join at its first
 * empty input (the count is then short, so the rule says no), an XOR- or OR-join at its first
 * marked one (the count is then 1, enough for the rule). The runtime loads a join's inputs only as
 * far as this reads them.
 */
export function isJoinSatisfied(
  net: NetDefinition,
  taskName: string,
  view: Pick<NetView, 'tokens'>,
  orJoin?: OrJoinDecision,
): boolean {
  const task = taskNode(net, taskName)
  const needsAll = task.joinType === 'and'
  let marked = 0
  for (const c of unique(task.inputs)) {
    if (view.tokens(c) > 0) {
      marked++
      if (!needsAll) break
    } else if (needsAll) break
  }
  return joinHolds(task, marked, orJoin)
}

/** Tasks that compete with `task` for its input tokens (the deferred-choice partners). */
export function competitorsOf(net: NetDefinition, taskName: string): string[] {
  const task = taskNode(net, taskName)
  return unique(task.inputs.flatMap((c) => net.conditions[c]!.outputs)).filter((t) => t !== taskName)
}

/** What `fire` needs loaded: the task's inputs, its competitors and their inputs. */
export function fireFootprint(net: NetDefinition, taskName: string): Footprint {
  const competitors = competitorsOf(net, taskName)
  const conditions = unique([
    ...taskNode(net, taskName).inputs,
    ...competitors.flatMap((t) => taskNode(net, t).inputs),
  ])
  return { conditions, tasks: competitors }
}

/**
 * The input conditions firing `task` takes one token from (docs/semantics.md#firing):
 * an XOR-join the first marked input in declaration order, an AND- or OR-join
 * every marked input.
 */
export function consumedBy(net: NetDefinition, view: Pick<NetView, 'tokens'>, taskName: string): string[] {
  const task = taskNode(net, taskName)
  const inputs = unique(task.inputs)
  if (task.joinType === 'xor') {
    const first = inputs.find((c) => view.tokens(c) > 0)
    return first === undefined ? [] : [first]
  }
  return inputs.filter((c) => view.tokens(c) > 0)
}

export type Firing = {
  /** Tokens removed, per condition. */
  consumed: Array<{ condition: string; tokens: number }>
  /** Competing tasks that were enabled and lost their enabling: they become disabled. */
  disabled: string[]
}

/**
 * Firing a task consumes its input tokens (docs/semantics.md#firing): an AND-join one
 * from every input, an XOR-join one from the first marked input in declaration
 * order, an OR-join one from every marked input. Competing tasks that were
 * enabled only through the consumed tokens become disabled (deferred choice).
 */
export function fire(net: NetDefinition, view: NetView, taskName: string, orJoin?: OrJoinDecision): Firing {
  const consumed = consumedBy(net, view, taskName).map((condition) => ({ condition, tokens: 1 }))

  const after = new Map(consumed.map(({ condition }) => [condition, view.tokens(condition) - 1]))
  const tokensAfter = (c: string) => after.get(c) ?? view.tokens(c)
  const disabled = competitorsOf(net, taskName).filter(
    (t) => view.taskState(t) === 'enabled' && !isJoinSatisfied(net, t, { tokens: tokensAfter }, orJoin),
  )
  return { consumed, disabled }
}

export type RouteRequest = { conditions: string[] } | undefined

/**
 * The output conditions a completing task marks (docs/semantics.md#exit).
 * `routed` is what the route function returned, already translated from
 * task/condition targets into condition names; it must be absent for an
 * AND-split and present for XOR- and OR-splits.
 */
export function splitTargets(net: NetDefinition, taskName: string, routed: RouteRequest): string[] {
  const task = taskNode(net, taskName)
  if (task.splitType === 'and') return [...task.outputs]
  const fail = (why: string): never => {
    throw tasknetError('INVALID_ROUTE', `Route of task '${taskName}' (${task.splitType.toUpperCase()}-split) ${why}.`, {
      taskName,
      splitType: task.splitType,
    })
  }
  if (!routed) return fail('returned nothing; it must return a target made with route.toTask(...) or route.toCondition(...)')
  const targets = unique(routed.conditions)
  for (const target of targets) {
    if (!task.outputs.includes(target)) {
      fail(`returned '${target}', which is not an outgoing flow of the task (outgoing: ${task.outputs.join(', ')})`)
    }
  }
  if (targets.length === 0) fail('returned no target; an OR-split must choose at least one outgoing flow')
  if (task.splitType === 'xor' && targets.length !== 1) {
    fail(`returned ${targets.length} targets; an XOR-split must choose exactly one`)
  }
  return targets
}

/** Candidates for enabling after `taskName` produced into `targets`: their successors, then the task itself. */
export function exitCandidates(net: NetDefinition, taskName: string, targets: readonly string[]): string[] {
  return unique([...targets.flatMap((c) => net.conditions[c]!.outputs), taskName])
}

/** What `exit` needs loaded: the targets, the candidates for enabling and their inputs. */
export function exitFootprint(net: NetDefinition, taskName: string, targets: readonly string[]): Footprint {
  const tasks = exitCandidates(net, taskName, targets)
  return { conditions: unique([...targets, ...tasks.flatMap((t) => taskNode(net, t).inputs)]), tasks }
}

/** States from which a task may be enabled (again). */
const enableableStates: readonly TaskState[] = ['disabled', 'completed', 'failed', 'canceled']

export type Exit = {
  /** Conditions that receive one token each. */
  produced: string[]
  /** Tasks that become enabled, in order; the exiting task itself last (a new generation). */
  enabled: string[]
  /** Whether the end condition now holds a token: the workflow completes. */
  completesWorkflow: boolean
}

/**
 * A task's exit (docs/semantics.md#exit): one token into every target, then
 * every candidate whose join is now satisfied and that is not already active
 * becomes enabled. The exiting task counts as completed, so tokens left in its
 * inputs enable it again.
 */
export function exit(
  net: NetDefinition,
  view: NetView,
  taskName: string,
  targets: readonly string[],
  orJoin?: OrJoinDecision,
): Exit {
  const added = new Map<string, number>()
  for (const c of targets) added.set(c, (added.get(c) ?? 0) + 1)
  const tokensAfter = (c: string) => view.tokens(c) + (added.get(c) ?? 0)
  const stateOf = (t: string): TaskState => (t === taskName ? 'completed' : view.taskState(t))

  const enabled = exitCandidates(net, taskName, targets).filter(
    (t) => enableableStates.includes(stateOf(t)) && isJoinSatisfied(net, t, { tokens: tokensAfter }, orJoin),
  )
  // The end condition is empty while a workflow runs (its first token completes it), so the
  // workflow completes exactly when this exit produces into it.
  return { produced: [...targets], enabled, completesWorkflow: targets.includes(net.endCondition) }
}

/** Tasks enabled by the token the start condition receives when a workflow is initialized. */
export function initialEnabling(net: NetDefinition, orJoin?: OrJoinDecision): string[] {
  const start = net.startCondition
  const tokens = (c: string) => (c === start ? 1 : 0)
  return net.conditions[start]!.outputs.filter((t) => isJoinSatisfied(net, t, { tokens }, orJoin))
}

