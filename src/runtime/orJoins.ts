import type { NetDefinition, TaskNode } from '../net/definition'
import { isOrJoinEnabled } from '../net/orJoin'
import type { Step } from './step'
import type { TaskRecord, WorkflowRecord } from './store'

/**
 * The runtime side of the OR-join (docs/semantics.md#the-or-join): loading the state the
 * decision needs and asking `isOrJoinEnabled` (src/net/orJoin.ts).
 *
 * Unlike AND- and XOR-joins, an OR-join's enabling depends on the whole workflow: a branch routed
 * away anywhere upstream can release it. So settling decides the OR-joins again after every
 * change of the marking or of the started tasks. A workflow whose net has no OR-join pays nothing
 * for this: `orJoinsOf` is empty.
 */

const orJoinsByNet = new WeakMap<NetDefinition, readonly TaskNode[]>()

/** The net's OR-join tasks, in declaration order. */
export function orJoinsOf(net: NetDefinition): readonly TaskNode[] {
  let found = orJoinsByNet.get(net)
  if (!found) orJoinsByNet.set(net, (found = Object.values(net.tasks).filter((t) => t.joinType === 'or')))
  return found
}

/** A marking and set of started tasks. */
export type ActiveState = { marking: Record<string, number>; started: Set<string> }

/**
 * The workflow's active state as the step sees it now (its own unwritten changes included): every
 * marked condition and every started task. That is all the OR-join analysis reads: disabled,
 * enabled and finished tasks hold nothing it needs (an enabled task's tokens are still in its inputs).
 */
export async function loadActiveState(step: Step, workflow: WorkflowRecord): Promise<ActiveState> {
  const marking: Record<string, number> = {}
  for (const condition of await step.store.markedConditions(workflow._id)) marking[condition.name] = condition.marking
  const started = new Set((await step.store.tasksInStates(workflow._id, ['started'])).map((t) => t.name))
  return { marking, started }
}

/** Whether OR-join `node`, which has a marked input, may fire on the workflow's current state. */
export async function decideOrJoin(step: Step, workflow: WorkflowRecord, node: TaskNode, task: TaskRecord): Promise<boolean> {
  if (task.markedInputs === new Set(node.inputs).size) return true
  const active = await loadActiveState(step, workflow)
  return isOrJoinEnabled(step.definitionOf(workflow).net, { marking: active.marking, started: [...active.started] }, node.name)
}
