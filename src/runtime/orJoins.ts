import type { NetDefinition, TaskNode } from '../net/definition'
import { inputStillReachable, isOrJoinEnabled, type OrJoinReader } from '../net/orJoin'
import { distinctInputCount } from '../net/semantics'
import { notLoaded, untilLoaded } from './lazyReads'
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

/**
 * Whether OR-join `node`, which has a marked input, may fire on the workflow's current state.
 *
 * Proving that it must wait takes one empty input that can still be marked; proving that it may
 * fire takes every empty input. Neither needs the whole workflow: `inputStillReachable` searches
 * backward from one input and reads only the conditions and tasks it meets. The input that made
 * the last decision wait is kept on the task (`pendingInput`) and tried first, so while a branch
 * is on its way the decision costs a handful of reads, however many inputs the join has; when that
 * input is marked, the next empty one in declaration order takes its place. An input that can no
 * longer be marked (or a search past its budget) hands over to the exact decision over the whole
 * active state, which proves every empty input at once and is bounded too (`LIMIT_EXCEEDED`).
 */
export async function decideOrJoin(step: Step, workflow: WorkflowRecord, node: TaskNode, task: TaskRecord): Promise<boolean> {
  if (task.markedInputs === distinctInputCount(node)) return true
  const inputs = [...new Set(node.inputs)]
  const net = step.definitionOf(workflow).net
  const first = Math.max(0, task.pendingInput === undefined ? 0 : inputs.indexOf(task.pendingInput))
  const reader = new StateReader(step, workflow)
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[(first + k) % inputs.length]!
    if ((await step.store.condition(workflow._id, input)).marking > 0) continue
    const answer = await reader.run((read) => inputStillReachable(net, node.name, input, read))
    if (answer === 'yes') {
      if (task.pendingInput !== input) step.store.update(task, { pendingInput: input })
      return false
    }
    // An input that can no longer be marked usually means the join is about to fire: proving that
    // takes every empty input, which one pruned search over the active state does at once, faster
    // than one backward search per input. A search past its budget ends up there too.
    const active = await reader.activeState()
    return isOrJoinEnabled(net, { marking: active.marking, started: [...active.started] }, node.name)
  }
  return true
}

/**
 * Runs pure searches that read the state through an `OrJoinReader`, for one decision. A read of
 * something not loaded yet stops the search (it is pure and cheap), the document is loaded through
 * the Store, and the search runs again (lazyReads.ts). After `pointReads` such loads the workflow's whole active
 * state is read instead (its marked conditions and started tasks, two queries: what is not in it is
 * empty or not started), so a search that wanders far upstream costs what is active, not one query
 * and one restart per place it meets. What was read serves every later search of the decision.
 */
class StateReader {
  private readonly tokens = new Map<string, number>()
  private readonly started = new Map<string, boolean>()
  private active: ActiveState | undefined
  private readonly read: OrJoinReader = {
    tokens: (c) => this.tokens.get(c) ?? (this.active ? (this.active.marking[c] ?? 0) : notLoaded(`condition:${c}`)),
    started: (t) => this.started.get(t) ?? (this.active ? this.active.started.has(t) : notLoaded(`task:${t}`)),
  }

  constructor(
    private readonly step: Step,
    private readonly workflow: WorkflowRecord,
  ) {}

  async activeState(): Promise<ActiveState> {
    return (this.active ??= await loadActiveState(this.step, this.workflow))
  }

  run<T>(search: (read: OrJoinReader) => T): Promise<T> {
    const { store } = this.step
    const id = this.workflow._id
    return untilLoaded(() => search(this.read), {
      loaded: () => this.tokens.size + this.started.size,
      loadOne: async (key) => {
        const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)]
        if (kind === 'condition') this.tokens.set(name, (await store.condition(id, name)).marking)
        else this.started.set(name, (await store.task(id, name))?.state === 'started')
      },
      loadAll: async () => {
        await this.activeState()
      },
    })
  }
}
