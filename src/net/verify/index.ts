import type { NetDefinition } from '../definition'
import { explore } from './explore'
import { deadTasks, improperCompletions, optionToComplete, unboundedConditions } from './findings'
import type { VerifiableWorkflow, VerificationResult, VerifyOptions } from './types'

export type {
  VerifiableWorkflow,
  VerificationFinding,
  VerificationFindingKind,
  VerificationResult,
  VerificationState,
  VerifyOptions,
} from './types'

/**
 * Verification of a workflow net by bounded state-space exploration: the three
 * properties of a *sound* workflow net (van der Aalst, "Verification of workflow
 * nets", ICATPN 1997; for YAWL with cancellation and OR-joins, Wynn et al.,
 * "Business process verification – finally a reality!", BPMJ 15(1), 2009):
 *
 * - **option to complete**: from every reachable state the end condition can
 *   still be marked (no `deadlock`, no `livelock`);
 * - **proper completion**: when the end condition is marked, no other condition
 *   holds a token and no other task is started (`improperCompletion`; the
 *   runtime disables and cancels what is left at that moment, so this is what
 *   would be thrown away);
 * - **no dead tasks**: every task fires in some run (`deadTask`).
 *
 * The exploration runs the interpreter (`startTask`, `completeTask`) with the
 * OR-join decisions of `orJoin.ts`, so it follows the rules the runtime runs.
 * What it abstracts away, and its limits, are in docs/verification.md:
 * - data: an XOR-split may take any one output, an OR-split any non-empty
 *   subset (sampled for wide splits, see `maxOrSplitOutputs`); a split whose
 *   route declared its target sets takes exactly those, never sampled;
 * - work items: an atomic task is enabled, then started (it fires), then
 *   completed (it exits); every step then settles as the interpreter's `settle`
 *   does (a dummy task fires and exits as soon as its join holds, the first in
 *   declaration order first; then every other task is enabled iff its join holds);
 * - failures, policies other than "complete", and canceling a workflow are not
 *   modelled: they end a workflow, they do not route it.
 *
 * One state is one marking plus the set of enabled and the set of started tasks;
 * generations and finished task states do not change what can happen next.
 *
 * The parts, each in its own file:
 * - `steps.ts`: one step from a state (a task fires or exits, then the state settles);
 * - `explore.ts`: the graph of reachable states, breadth first;
 * - `findings.ts`: the soundness properties read off that graph;
 * - `stateKeys.ts` and `decisions.ts`: canonical state keys, and the OR-join decisions memoized on them;
 * - `describe.ts`: states and markings as findings report them.
 */

/**
 * Explores the workflow's state space (bounded) and reports, each with an example
 * path, whether it can always complete, whether it completes properly, and which
 * tasks can never fire. See docs/verification.md.
 *
 * @example
 * const result = verifyWorkflow(orderWorkflow)
 * if (!result.ok) for (const f of result.findings) console.log(f.kind, f.message, f.path.join(' ; '))
 */
export function verifyWorkflow(workflow: VerifiableWorkflow, options: VerifyOptions = {}): VerificationResult {
  const net = 'net' in workflow ? workflow.net : 'build' in workflow ? workflow.build().net : workflow
  return verifyNet(net, options)
}

const defaults = { maxStates: 10_000, maxTokens: 5, maxOrSplitOutputs: 10 } as const

/** `verifyWorkflow` over the net itself. */
export function verifyNet(net: NetDefinition, options: VerifyOptions = {}): VerificationResult {
  const limits = { ...defaults, ...options }
  const graph = explore(net, limits)
  const { fired, sampledSplits, dummyCascade } = graph.record
  const findings = [
    ...optionToComplete(net, graph),
    ...improperCompletions(net, graph),
    ...unboundedConditions(graph, limits.maxTokens),
  ]
  const limitsReached = {
    maxStates: graph.maxStatesReached,
    maxTokens: [...graph.overBound.keys()],
    orSplits: [...sampledSplits],
    dummyCascade,
  }
  const exhaustive = !graph.maxStatesReached && graph.overBound.size === 0 && sampledSplits.size === 0 && !dummyCascade
  // A task is dead only if no run at all fires it, which only an exhaustive search can tell.
  if (exhaustive) findings.push(...deadTasks(net, fired))
  return { ok: exhaustive && findings.length === 0, exhaustive, statesExplored: graph.nodes.length, findings, limitsReached }
}
