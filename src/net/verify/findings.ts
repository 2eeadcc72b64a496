import type { NetDefinition } from '../definition'
import { countOf, describeMarking, describeTasks, summary } from './describe'
import { pathTo, type ExploredGraph } from './explore'
import type { VerificationFinding } from './types'

/** The soundness properties (see index.ts) read off the explored graph, each finding with an example path. */

/**
 * Option to complete: a state reaches the end if a path leads to a completed state. States
 * not expanded (cut off by a bound) or expanded with a choice left out might reach it through
 * what was not explored, so they count as reaching it: a finding here is never a guess.
 */
export function optionToComplete(net: NetDefinition, { nodes }: ExploredGraph): VerificationFinding[] {
  const findings: VerificationFinding[] = []
  const end = net.endCondition
  const backwardFrom = backwardReachability(nodes)
  const reachesEnd = backwardFrom(nodes.flatMap((n, id) => (n.state.completed || n.expansion !== 'full' ? [id] : [])))
  // Nothing enabled or started (every enabled task can start, every started one can complete).
  const deadlocks = nodes.flatMap((n, id) => (n.expansion === 'full' && n.successors.length === 0 ? [id] : []))
  const reachesDeadlock = backwardFrom(deadlocks)
  if (deadlocks.length > 0) {
    const id = deadlocks[0]!
    const state = summary(nodes[id]!.state)
    findings.push({
      kind: 'deadlock',
      message:
        `Deadlock: after this path no task is enabled or started, but the end condition '${end}' is not marked` +
        ` (${describeMarking(state.marking)}). ${countOf(deadlocks.length, 'reachable state')} like this.`,
      path: pathTo(nodes, id),
      state,
    })
  }
  // A state that cannot reach the end and cannot reach a deadlock either keeps running in a cycle.
  const livelocks = nodes.flatMap((n, id) => (n.expansion === 'full' && !reachesEnd.has(id) && !reachesDeadlock.has(id) ? [id] : []))
  if (livelocks.length > 0) {
    const id = livelocks[0]!
    const state = summary(nodes[id]!.state)
    findings.push({
      kind: 'livelock',
      message:
        `Livelock: after this path tasks can still run (${describeTasks(state)}) but the end condition '${end}'` +
        ` can no longer be marked. ${countOf(livelocks.length, 'reachable state')} like this.`,
      path: pathTo(nodes, id),
      state,
    })
  }
  return findings
}

/** The nodes from which one of `seeds` can be reached (including those in `seeds`), over the explored edges. */
function backwardReachability(nodes: ExploredGraph['nodes']): (seeds: number[]) => Set<number> {
  const predecessors = nodes.map((): number[] => [])
  nodes.forEach((n, id) => n.successors.forEach((s) => predecessors[s]!.push(id)))
  return (seeds) => {
    const seen = new Set(seeds)
    const stack = [...seeds]
    while (stack.length > 0) {
      for (const p of predecessors[stack.pop()!]!) {
        if (seen.has(p)) continue
        seen.add(p)
        stack.push(p)
      }
    }
    return seen
  }
}

/** Proper completion: one finding per task whose completion marks the end while something is left behind. */
export function improperCompletions(net: NetDefinition, { nodes, improper }: ExploredGraph): VerificationFinding[] {
  return [...improper].map(([task, { parent, branch }]) => {
    const state = branch.improper!.state
    const left = [
      ...(Object.keys(state.marking).length > 0 ? [describeMarking(state.marking)] : []),
      ...(state.started.length > 0 ? [`started: ${state.started.join(', ')}`] : []),
    ]
    return {
      kind: 'improperCompletion',
      message:
        `Improper completion: completing '${task}' marks the end condition '${net.endCondition}' while ${left.join('; ')}` +
        ' remain; the workflow completes and these are disabled or canceled unfinished.',
      path: [...pathTo(nodes, parent), ...branch.steps],
      task,
      state,
    }
  })
}

/** Each condition that went over `maxTokens`, with the path that filled it. */
export function unboundedConditions({ nodes, overBound }: ExploredGraph, maxTokens: number): VerificationFinding[] {
  return [...overBound].map(([condition, id]) => {
    const state = summary(nodes[id]!.state)
    return {
      kind: 'unbounded',
      message:
        `Condition '${condition}' holds ${state.marking[condition]} tokens after this path, more than maxTokens (${maxTokens}):` +
        ' the net may be unbounded there. States past the bound were not explored.',
      path: pathTo(nodes, id),
      condition,
      state,
    }
  })
}

/** Tasks that fired in no run. Only meaningful for an exhaustive search, which the caller checks. */
export function deadTasks(net: NetDefinition, fired: ReadonlySet<string>): VerificationFinding[] {
  return Object.keys(net.tasks)
    .filter((t) => !fired.has(t))
    .map((task) => ({
      kind: 'deadTask',
      message: `Dead task: '${task}' never fires; no reachable state enables it and lets it start.`,
      path: [],
      task,
    }))
}
