import type { NetDefinition, TaskNode } from '../net/definition'
import { isOrJoinEnabled, type OrJoinState } from '../net/orJoin'
import type { OrJoinDecision } from '../net/semantics'
import type { Step } from './step'
import type { WorkflowRecord } from './store'

/**
 * The runtime side of the OR-join (semantics.md §3): loading the state the
 * decision needs and asking `isOrJoinEnabled` (src/net/orJoin.ts) only for
 * the OR-joins that could fire.
 *
 * Unlike AND- and XOR-joins, an OR-join's enabling depends on the whole
 * workflow: a branch routed away anywhere upstream can release it. So after
 * every change that can release one — a task firing (its competitors lose
 * tokens) and a task completing (it routes, its region empties conditions) —
 * the step re-decides the OR-joins that wait with a marked input. A workflow
 * whose net has no OR-join pays nothing for this: `orJoinsOf` is empty and no
 * state is loaded.
 */

const orJoinsByNet = new WeakMap<NetDefinition, readonly TaskNode[]>()

/** The net's OR-join tasks, in declaration order. */
export function orJoinsOf(net: NetDefinition): readonly TaskNode[] {
  let found = orJoinsByNet.get(net)
  if (!found) orJoinsByNet.set(net, (found = Object.values(net.tasks).filter((t) => t.joinType === 'or')))
  return found
}

/** A marking and set of started tasks that can still be changed before the decision is asked. */
export type ActiveState = { marking: Record<string, number>; started: Set<string> }

/**
 * The workflow's active state as the step sees it now (its own unwritten
 * changes included): every marked condition and every started task. That is
 * all the OR-join analysis reads — disabled, enabled and finished tasks hold
 * nothing it needs (an enabled task's tokens are still in its inputs).
 */
export async function loadActiveState(step: Step, workflow: WorkflowRecord): Promise<ActiveState> {
  const marking: Record<string, number> = {}
  for (const condition of await step.store.markedConditions(workflow._id)) marking[condition.name] = condition.marking
  const started = new Set((await step.store.tasksInStates(workflow._id, ['started'])).map((t) => t.name))
  return { marking, started }
}

/**
 * The OR-join decision over one state, each OR-join analysed at most once.
 * The state is frozen when the analysis is built; a caller that changes the
 * workflow afterwards builds a new one.
 */
export class OrJoinAnalysis {
  private readonly state: OrJoinState
  private readonly decided = new Map<string, boolean>()

  constructor(
    private readonly net: NetDefinition,
    active: ActiveState,
  ) {
    this.state = { marking: { ...active.marking }, started: [...active.started] }
  }

  /** Whether OR-join `task` is enabled in this state; suitable as the pure semantics' `OrJoinDecision`. */
  readonly decide: OrJoinDecision = (task) => {
    let enabled = this.decided.get(task.name)
    if (enabled === undefined) this.decided.set(task.name, (enabled = isOrJoinEnabled(this.net, this.state, task.name)))
    return enabled
  }

  /**
   * OR-joins with at least one marked input: the only ones the decision can
   * enable. An OR-join without a marked input is never analysed.
   */
  withMarkedInput(): TaskNode[] {
    return orJoinsOf(this.net).filter((t) => t.inputs.some((c) => (this.state.marking[c] ?? 0) > 0))
  }
}
