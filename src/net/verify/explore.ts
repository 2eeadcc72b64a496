import type { NetDefinition } from '../definition'
import type { NetState } from '../interpreter'
import { normalized, stateKeys } from './stateKeys'
import { initialBranches, stepContext, successors, type Branch, type StepRecord } from './steps'

/**
 * The explored graph: every state reachable from the initialized workflow, one node per
 * distinct state, breadth first (so every path found is a shortest one), within the bounds.
 */

/** A state of the explored graph. */
export type Node = {
  readonly state: NetState
  readonly parent: number
  /** Steps from the parent (from the initialized workflow for a root). */
  readonly steps: readonly string[]
  readonly successors: number[]
  /**
   * `full`: every step from the state was explored. `partial`: a choice was sampled or a
   * successor dropped, so the end may be reachable through what is missing. `none`: not
   * explored (completed, over a bound, or still queued when the search stopped).
   */
  expansion: 'none' | 'partial' | 'full'
}

export type ExploredGraph = {
  readonly nodes: readonly Node[]
  /** The first improper completion found for each task that marks the end condition, and the state it left. */
  readonly improper: ReadonlyMap<string, { readonly parent: number; readonly branch: Branch }>
  /** Each condition that went over `maxTokens`, with the first node where it did. */
  readonly overBound: ReadonlyMap<string, number>
  /** `maxStates` states were stored and more remained. */
  readonly maxStatesReached: boolean
  readonly record: StepRecord
}

export type ExploreLimits = { readonly maxStates: number; readonly maxTokens: number; readonly maxOrSplitOutputs: number }

export function explore(net: NetDefinition, { maxStates, maxTokens, maxOrSplitOutputs }: ExploreLimits): ExploredGraph {
  const keys = stateKeys(net)
  const ctx = stepContext(net, keys, maxOrSplitOutputs)
  const nodes: Node[] = []
  const byKey = new Map<string, number>()
  const queue: number[] = []
  const improper = new Map<string, { parent: number; branch: Branch }>()
  const overBound = new Map<string, number>()
  let maxStatesReached = false

  /** The node of the state `branch` reaches (added if new); undefined once `maxStates` are stored. */
  function add(branch: Branch, parent: number): number | undefined {
    const key = keys.state(branch.state)
    let id = byKey.get(key)
    // An improper completion is real even when its state is not stored.
    if (branch.improper && !improper.has(branch.improper.task)) improper.set(branch.improper.task, { parent, branch })
    if (id === undefined) {
      if (nodes.length >= maxStates) {
        maxStatesReached = true
        return undefined
      }
      const state = normalized(branch.state)
      id = nodes.length
      nodes.push({ state, parent, steps: branch.steps, successors: [], expansion: 'none' })
      byKey.set(key, id)
      const over = Object.keys(state.marking).filter((c) => state.marking[c]! > maxTokens)
      for (const c of over) if (!overBound.has(c)) overBound.set(c, id)
      // A state over the token bound is kept (a path leads to it) but not explored further.
      if (!state.completed && over.length === 0) queue.push(id)
    }
    return id
  }

  for (const branch of initialBranches(ctx)) add(branch, -1)
  // Once `maxStates` states are stored the search stops; the states still queued stay unexpanded.
  for (let head = 0; head < queue.length && !maxStatesReached; head++) {
    const id = queue[head]!
    const node = nodes[id]!
    const { branches, complete } = successors(ctx, node.state)
    let incomplete = !complete
    for (const branch of branches) {
      const successor = add(branch, id)
      if (successor === undefined) incomplete = true
      else node.successors.push(successor)
    }
    node.expansion = incomplete ? 'partial' : 'full'
  }
  return { nodes, improper, overBound, maxStatesReached, record: ctx.record }
}

/** The steps from the initialized workflow to node `id`. */
export function pathTo(nodes: readonly Node[], id: number): string[] {
  const parts: (readonly string[])[] = []
  for (let n = id; n !== -1; n = nodes[n]!.parent) parts.push(nodes[n]!.steps)
  return parts.reverse().flat()
}
