import type { NetDefinition } from '../definition'
import type { NetState } from '../interpreter'
import type { TaskState } from '../lifecycle'
import { orJoinDecisionFor } from '../orJoin'
import { consumedBy, splitTargets, type OrJoinDecision, type RouteRequest } from '../semantics'
import type { StateKeys } from './stateKeys'

/**
 * The OR-join decisions of orJoin.ts, memoized. A decision depends only on the marking and
 * the started tasks of the state it is taken on, and the exploration asks for the same one
 * many times (once per interleaving that reaches a state, and several times within a step).
 *
 * Each decision is taken by `orJoinDecisionFor` on one state, and keyed on that same state:
 * the state itself, or the state after a step (`stateAfterStart`, `stateAfterExit`), which
 * is built once and serves both, so a cached decision always belongs to its key. States and
 * keys are built only when a decision is asked.
 */
export class OrJoinDecisions {
  /**
   * Decisions per OR-join and key. The two kinds of key share it: a state without enabled
   * tasks that has not completed gets the same key from `keys.state` as from `keys.decision`,
   * and since a decision reads only the marking and the started tasks, it is the same decision.
   */
  private readonly cache = new Map<string, boolean>()

  constructor(
    private readonly net: NetDefinition,
    private readonly keys: StateKeys,
  ) {}

  /**
   * On `state` itself. Keyed on the whole state (its enabled tasks too, which the decision
   * does not read), since that key is computed anyway when it is stored.
   */
  on(state: NetState): OrJoinDecision {
    return this.memo(() => state, this.keys.state)
  }

  /** What `startTask(net, state, task, ·)` needs: the decision after `task` took its tokens and started. */
  afterStart(state: NetState, task: string): OrJoinDecision {
    return this.memo(() => stateAfterStart(this.net, state, task), this.keys.decision)
  }

  /**
   * What `completeTask(net, state, task, routed, ·)` needs: the decision after `task`'s region
   * was applied, it completed and marked `routed`.
   */
  afterExit(state: NetState, task: string, routed: RouteRequest): OrJoinDecision {
    return this.memo(() => stateAfterExit(this.net, state, task, routed), this.keys.decision)
  }

  private memo(decidedOn: () => NetState, keyOf: (state: NetState) => string): OrJoinDecision {
    let key: string | undefined
    let state: NetState | undefined
    let decision: OrJoinDecision | undefined
    return (task) => {
      const on = (state ??= decidedOn())
      key ??= keyOf(on)
      const entry = `${task.name}@${key}`
      let enabled = this.cache.get(entry)
      if (enabled === undefined) this.cache.set(entry, (enabled = (decision ??= orJoinDecisionFor(this.net, on))(task)))
      return enabled
    }
  }
}

/*
 * The two states below are the ones `orJoinDecisionForStart` and `orJoinDecisionForCompletion`
 * (orJoin.ts) build and decide on. Those functions keep the state to themselves, and the cache
 * needs it for its key, so their few lines are repeated here rather than called (orJoin.ts
 * handing out these states would end the copy): a change to what a step decides on (what
 * `fire` and `exit` check joins on) must be made in both places.
 */

/** `fire` re-checks the competitors' joins on the marking after `task` consumed its tokens and is started. */
function stateAfterStart(net: NetDefinition, state: NetState, task: string): NetState {
  const marking = { ...state.marking }
  for (const c of consumedBy(net, { tokens: (c) => state.marking[c] ?? 0 }, task)) marking[c] = (marking[c] ?? 0) - 1
  return { ...state, marking, tasks: { ...state.tasks, [task]: 'started' } }
}

/**
 * `exit` checks the candidates' joins on the marking after `task` produced into its targets
 * and counts as completed, its cancellation region applied first.
 */
function stateAfterExit(net: NetDefinition, state: NetState, task: string, routed: RouteRequest): NetState {
  const region = net.tasks[task]!.cancellationRegion
  const marking = { ...state.marking }
  const tasks: Record<string, TaskState> = { ...state.tasks, [task]: 'completed' }
  // semantics.md §5 step 3 before step 4: the region empties its conditions and cancels
  // its active tasks (only `started` matters to the analysis), then the split produces.
  for (const c of region?.conditions ?? []) marking[c] = 0
  for (const t of region?.tasks ?? []) if (t !== task && tasks[t] === 'started') tasks[t] = 'canceled'
  for (const c of splitTargets(net, task, routed)) marking[c] = (marking[c] ?? 0) + 1
  return { ...state, marking, tasks }
}
