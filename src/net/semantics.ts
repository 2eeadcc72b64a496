import { tasknetError } from '../errors'
import type { NetDefinition, TaskNode } from './definition'
import type { TaskState } from './lifecycle'

/**
 * The pure, local rules of the net semantics (docs/semantics.md): whether a task's join holds
 * (`joinHolds` on a count of marked inputs, `isJoinSatisfied` on a marking; docs/semantics.md#enabling),
 * which input conditions firing a task consumes from (`consumedBy`; #firing) and which output
 * conditions its split marks (`splitTargets`; #exit). Nothing here touches a database, and nothing
 * here decides what is enabled: enabling is derived from the marking by settling
 * (docs/semantics.md#settling), which the whole-net interpreter (./interpreter.ts: `settle`,
 * `fireTask`, `exitTask`) and the runtime (src/runtime/settle.ts, tasks.ts) do on top of these
 * rules (the runtime's settling applies the join rule to the count of marked inputs it keeps on
 * each task's document).
 *
 * Each rule works on a *partial* view of a workflow's state (`NetView`): the runtime loads only the
 * conditions and tasks a question may read (its `Footprint`), and the rules read them in an order
 * that stops as soon as the answer is known, so a step's cost does not grow with the size of the net.
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
  // Declared target sets (`.route(fn, { targetSets })`) are a promise the verifier relied on: one of them, in any order.
  const sets = task.targetSets
  if (sets && !sets.some((set) => set.length === targets.length && set.every((c) => targets.includes(c)))) {
    fail(`returned [${targets.join(', ')}], not one of its declared target sets: ${sets.map((set) => `[${set.join(', ')}]`).join(' or ')}`)
  }
  return targets
}
