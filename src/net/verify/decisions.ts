import type { NetDefinition } from '../definition'
import type { NetState, OrJoinDecider } from '../interpreter'
import { orJoinDecisionFor } from '../orJoin'
import type { OrJoinDecision } from '../semantics'
import type { StateKeys } from './stateKeys'

/**
 * The OR-join decisions of orJoin.ts, memoized. A decision depends only on the marking and
 * the started tasks of the state it is taken on, and the exploration asks for the same one
 * many times (once per interleaving that reaches a state, and once per round of settling).
 * Keys are built only when a decision is asked.
 */
export class OrJoinDecisions {
  /** Decisions per OR-join and state key (`keys.decision`: marking and started tasks). */
  private readonly cache = new Map<string, boolean>()

  constructor(
    private readonly net: NetDefinition,
    private readonly keys: StateKeys,
  ) {}

  /** The decider settling takes (`SettleOptions.decide`): each decision on the state asked, memoized. */
  readonly decide: OrJoinDecider = (state: NetState): OrJoinDecision => {
    let key: string | undefined
    let decision: OrJoinDecision | undefined
    return (task) => {
      const entry = `${task.name}@${(key ??= this.keys.decision(state))}`
      let enabled = this.cache.get(entry)
      if (enabled === undefined) this.cache.set(entry, (enabled = (decision ??= orJoinDecisionFor(this.net, state))(task)))
      return enabled
    }
  }
}
