import type { NetDefinition, TaskNode } from './definition'
import type { NetState } from './interpreter'
import { consumedBy, splitTargets, type OrJoinDecision, type RouteRequest } from './semantics'

/**
 * The OR-join enabling decision of semantics.md §3, as a pure function over a
 * net definition and the whole active state of one workflow.
 *
 * Method: backward coverability on the reset net of the YAWL net, as in
 * M. T. Wynn, D. Edmond, W. M. P. van der Aalst, A. H. M. ter Hofstede,
 * "Achieving a general, formal and decidable approach to the OR-join in
 * workflow using reset nets" (ICATPN 2005), and Wynn et al., "Business process
 * verification – finally a reality!" (BPMJ 15(1), 2009). The backward algorithm
 * is the one for well-structured transition systems (Abdulla, Čerāns, Jonsson,
 * Tsay 1996; Finkel & Schnoebelen 2001), which decides coverability for reset
 * nets and terminates on every net, loops included (Dickson's lemma: the
 * antichain of minimal markings computed below cannot grow forever).
 *
 * The reset net (Wynn et al., Fig. "Mapping YAWL elements to reset nets"):
 * - every condition is a place; every task `t` also gets a place `busy:t`, which
 *   holds one token while `t` is started (it will produce into its outputs);
 * - start of `t`: an AND-join consumes one token from every input, an XOR-join
 *   one token from one input (one transition per input); both produce `busy:t`;
 * - end of `t`: consumes `busy:t`, resets (empties) the conditions of `t`'s
 *   cancellation region and the `busy:` places of its tasks (`cancellationResets`),
 *   then an AND-split produces into every output, an XOR-split into one output
 *   (one transition per output), an OR-split — see below;
 * - other OR-joins are treated as XOR-joins (Wynn et al.'s "optimistic approach");
 * - the OR-join under analysis cannot start: the question is what can still reach
 *   it *without* it firing (Wynn et al.: "the only reachable marking ... without
 *   enabling task E itself"). A started previous generation of it still ends.
 *
 * The decision: the OR-join `t` with current marking M is enabled iff some input
 * of `t` is marked and, for no currently empty input `q`, a marking covering
 * M|inputs(t) + q (the marked inputs keep their tokens and `q` gets one) is
 * reachable in that reset net from M plus one `busy:x` token per started task x.
 *
 * OR-splits are not enumerated (scenario 10). In the analysis an OR-split is
 * modelled as the AND-split into all of its outputs, which is exact for the
 * coverability question asked here:
 * - the AND behaviour is one of the OR-split's legal choices (the full set), so
 *   every marking reachable in the AND-model is reachable in the real net: the
 *   model never makes the OR-join wait for something that cannot happen;
 * - any other choice S yields a marking M_S ≤ M_all (the AND result). Petri nets,
 *   and reset nets too, are monotone: every sequence firable from M_S is firable
 *   from M_all and ends in a marking at least as large (resets empty a place in
 *   both runs alike). So whatever covering the real net can reach through choice
 *   S, the AND-model reaches a marking that covers it as well: the model never
 *   lets the OR-join fire early.
 * This holds because the question is *coverability* (upward closed); it would not
 * hold for exact reachability or for a question about a place being empty.
 *
 * Approximations, both in the direction of waiting longer (never firing early):
 * - the runtime's XOR-join consumes from the *first* marked input; the analysis
 *   lets it consume from any marked input (a superset of behaviours);
 * - other OR-joins are XOR-joins (they may fire on a single token), per Wynn et al.
 * Every task that starts may end in the model; failure of a started task and
 * cancellation from outside the net are not modelled (a failed or canceled task
 * is no longer `started`, so the decision re-taken after it sees it gone).
 *
 * Cost: the search always terminates, but coverability is not polynomial in
 * general. Targets are kept to one token per empty input (see `consumed` below),
 * which makes scenario 10 take milliseconds; a net whose many *marked* inputs of
 * the OR-join are also consumed by other tasks or emptied by cancellation regions
 * keeps those tokens in the target and can make the antichain grow combinatorially.
 */

/** The active state of one workflow, as far as the OR-join analysis needs it. */
export type OrJoinState = {
  /** Tokens per condition (absent = 0). */
  readonly marking: Readonly<Record<string, number>>
  /** Tasks currently started: each will produce into its outputs when it ends. */
  readonly started: readonly string[]
  /**
   * Tasks currently enabled. Not needed by the analysis (enabling consumes
   * nothing, so an enabled task's tokens are still in `marking` and the task may
   * fire in the model anyway); accepted so callers can pass their whole state.
   */
  readonly enabled?: readonly string[]
}

/** A transition of the analysis' reset net over place indices. */
type Transition = {
  readonly pre: ReadonlyMap<number, number>
  readonly post: ReadonlyMap<number, number>
  /** Places emptied by the transition (reset arcs): the cancellation region of the task that ends. */
  readonly reset: readonly number[]
}

/**
 * A marking of the analysis net, sparse: place index → tokens, positive counts
 * only. The markings of the backward search name a handful of places each,
 * while the net has one place per condition and per task; comparing them
 * entry by entry keeps the search linear in the markings' sizes, not the net's.
 */
type Marking = ReadonlyMap<number, number>

const busy = (task: string) => `busy:${task}`

/**
 * Reset arcs of the end of `task`: its cancellation region (semantics.md §5 step 3)
 * empties the region's conditions and cancels the region's tasks, which in the
 * analysis net means emptying their `busy:` places (an enabled region task holds
 * no token of its own: its tokens are in conditions, emptied only when listed).
 * The owner is completing, not canceled; its `busy:` token is consumed by `pre`.
 * Runtime order is consume, cancel the region, then produce the split's outputs,
 * which is the order `predecessor` applies (pre, reset, post).
 */
function cancellationResets(task: TaskNode, place: (name: string) => number): number[] {
  const region = task.cancellationRegion
  if (!region) return []
  return [
    ...new Set([
      ...region.conditions.map(place),
      ...region.tasks.filter((t) => t !== task.name).map((t) => place(busy(t))),
    ]),
  ]
}

type AnalysisNet = ReturnType<typeof buildAnalysisNetUncached>

/** The analysis net depends only on the definition and the OR-join: built once per pair, then reused. */
const analysisNets = new WeakMap<NetDefinition, Map<string, AnalysisNet>>()

function buildAnalysisNet(net: NetDefinition, orJoin: string): AnalysisNet {
  let byOrJoin = analysisNets.get(net)
  if (!byOrJoin) analysisNets.set(net, (byOrJoin = new Map()))
  let built = byOrJoin.get(orJoin)
  if (!built) byOrJoin.set(orJoin, (built = buildAnalysisNetUncached(net, orJoin)))
  return built
}

function buildAnalysisNetUncached(net: NetDefinition, orJoin: string) {
  const index = new Map<string, number>()
  const place = (name: string): number => {
    let i = index.get(name)
    if (i === undefined) index.set(name, (i = index.size))
    return i
  }
  for (const c of Object.keys(net.conditions)) place(c)
  for (const t of Object.keys(net.tasks)) place(busy(t))

  const bag = (names: readonly string[]) => {
    const m = new Map<number, number>()
    for (const n of names) m.set(place(n), (m.get(place(n)) ?? 0) + 1)
    return m
  }
  const transitions: Transition[] = []
  for (const task of Object.values(net.tasks)) {
    const b = [busy(task.name)]
    // Start: the OR-join under analysis never starts; other OR-joins act as XOR-joins.
    if (task.name !== orJoin) {
      if (task.joinType === 'and') transitions.push({ pre: bag(task.inputs), post: bag(b), reset: [] })
      else for (const c of new Set(task.inputs)) transitions.push({ pre: bag([c]), post: bag(b), reset: [] })
    }
    // End: an OR-split is its AND-split (exact for coverability, see the header).
    const reset = cancellationResets(task, place)
    if (task.splitType === 'xor') {
      for (const c of new Set(task.outputs)) transitions.push({ pre: bag(b), post: bag([c]), reset })
    } else {
      transitions.push({ pre: bag(b), post: bag(task.outputs), reset })
    }
  }
  // Only transitions that produce into a place a marking needs can help reach it.
  const producers = new Map<number, Transition[]>()
  for (const tr of transitions) {
    for (const p of tr.post.keys()) producers.set(p, [...(producers.get(p) ?? []), tr])
  }
  // Places some transition takes tokens from, or a reset arc empties (see `isOrJoinEnabled`).
  const consumed = new Set<number>()
  for (const tr of transitions) {
    for (const p of tr.pre.keys()) consumed.add(p)
    for (const p of tr.reset) consumed.add(p) // a cancellation region can empty it too
  }
  return { index, size: index.size, transitions, producers, consumed }
}

/** Whether `big` holds at least the tokens of `small` in every place. */
const covers = (big: Marking, small: Marking) => {
  if (small.size > big.size) return false
  for (const [p, n] of small) if ((big.get(p) ?? 0) < n) return false
  return true
}

/**
 * The minimal marking from which firing `tr` yields a marking covering `m`, or
 * undefined when no marking can (a reset place would have to hold tokens).
 * Transition firing order: consume `pre`, empty `reset`, produce `post`.
 */
function predecessor(m: Marking, tr: Transition): Marking | undefined {
  const out = new Map(m)
  for (const [p, n] of tr.post) {
    const left = (out.get(p) ?? 0) - n
    if (left > 0) out.set(p, left)
    else out.delete(p)
  }
  for (const p of tr.reset) {
    if (out.has(p)) return undefined
  }
  for (const [p, n] of tr.pre) out.set(p, (out.get(p) ?? 0) + n)
  return out
}

/**
 * Whether the OR-join `task` is enabled in `state` (semantics.md §3): some input
 * is marked and no empty input can still receive a token while the marked ones
 * keep theirs. See the header of this file for the method.
 */
export function isOrJoinEnabled(net: NetDefinition, state: OrJoinState, task: string): boolean {
  const node = net.tasks[task]
  if (!node) throw new Error(`Net '${net.name}' has no task '${task}'.`)
  const tokens = (c: string) => state.marking[c] ?? 0
  const inputs = [...new Set(node.inputs)]
  const marked = inputs.filter((c) => tokens(c) > 0)
  if (marked.length === 0) return false
  const empty = inputs.filter((c) => tokens(c) === 0)
  if (empty.length === 0) return true

  const { index, producers, consumed } = buildAnalysisNet(net, task)
  const current = new Map<number, number>()
  for (const [c, n] of Object.entries(state.marking)) {
    const i = index.get(c)
    if (i !== undefined && n > 0) current.set(i, n)
  }
  for (const t of state.started) {
    const i = index.get(busy(t))
    if (i !== undefined) current.set(i, (current.get(i) ?? 0) + 1)
  }

  // Backward search: `basis` is an antichain of minimal markings whose upward
  // closure is the set of markings known to reach the target (cover M|inputs + q).
  // Each basis marking is filed under every place it needs, so a comparison only
  // looks at markings that share a place (every marking here needs at least one).
  const basis = new Set<Marking>()
  const byPlace = new Map<number, Set<Marking>>()
  const work: Marking[] = []
  const add = (m: Marking): boolean => {
    for (const p of m.keys()) for (const b of byPlace.get(p) ?? []) if (covers(m, b)) return false
    const [some] = m.keys()
    for (const b of [...(byPlace.get(some!) ?? [])]) {
      if (!covers(b, m)) continue
      basis.delete(b)
      for (const p of b.keys()) byPlace.get(p)!.delete(b)
    }
    basis.add(m)
    for (const p of m.keys()) byPlace.set(p, (byPlace.get(p) ?? new Set()).add(m))
    work.push(m)
    return covers(current, m)
  }
  // A marked input that no transition of the analysis net consumes (usually: the
  // OR-join under analysis is its only consumer) keeps its tokens in every reachable
  // marking, so requiring them in the target changes nothing: leave it out. (A place
  // some reset arc empties counts as consumed.) This is
  // exact, and keeps the targets (and the antichain) small when many inputs are
  // marked; a marked input shared with another task (deferred choice) stays in.
  for (const q of empty) {
    const target = new Map<number, number>()
    for (const c of marked) if (consumed.has(index.get(c)!)) target.set(index.get(c)!, tokens(c))
    target.set(index.get(q)!, 1)
    if (add(target)) return false
  }
  while (work.length > 0) {
    const m = work.pop()!
    if (!basis.has(m)) continue // superseded by a smaller marking since it was queued
    const useful = new Set<Transition>()
    for (const p of m.keys()) for (const tr of producers.get(p) ?? []) useful.add(tr)
    for (const tr of useful) {
      const pre = predecessor(m, tr)
      if (pre && add(pre)) return false
    }
  }
  return true
}

/** The tasks of `state` that are started. */
function startedTasks(state: NetState): string[] {
  return Object.entries(state.tasks)
    .filter(([, s]) => s === 'started')
    .map(([t]) => t)
}

/** An `OrJoinDecision` for the interpreter, deciding on the whole state `state`. */
export function orJoinDecisionFor(net: NetDefinition, state: NetState): OrJoinDecision {
  const analysed: OrJoinState = {
    marking: state.marking,
    started: startedTasks(state),
    enabled: Object.entries(state.tasks)
      .filter(([, s]) => s === 'enabled')
      .map(([t]) => t),
  }
  return (task: TaskNode) => isOrJoinEnabled(net, analysed, task.name)
}

/**
 * The decision `startTask(net, state, task, ·)` needs: `fire` re-checks the
 * competitors' joins on the marking *after* `task` consumed its tokens and is
 * started, so the decision is taken on that state.
 */
export function orJoinDecisionForStart(net: NetDefinition, state: NetState, task: string): OrJoinDecision {
  const marking = { ...state.marking }
  for (const c of consumedBy(net, { tokens: (c) => state.marking[c] ?? 0 }, task)) marking[c] = (marking[c] ?? 0) - 1
  return orJoinDecisionFor(net, { ...state, marking, tasks: { ...state.tasks, [task]: 'started' } })
}

/**
 * The decision `completeTask(net, state, task, routed, ·)` needs: `exit` checks
 * the candidates' joins on the marking *after* `task` produced into its targets
 * and counts as completed (its cancellation region applied first), so the
 * decision is taken on that state (taking it on
 * `state`, where `task` is still started, would make an OR-join wait for outputs
 * an XOR/OR-split is not choosing).
 */
export function orJoinDecisionForCompletion(
  net: NetDefinition,
  state: NetState,
  task: string,
  routed?: RouteRequest,
): OrJoinDecision {
  const node = net.tasks[task]
  if (!node) throw new Error(`Net '${net.name}' has no task '${task}'.`)
  const marking = { ...state.marking }
  const tasks = { ...state.tasks, [task]: 'completed' as const }
  // semantics.md §5 step 3 before step 4: the region empties its conditions and cancels
  // its active tasks (only `started` matters to the analysis), then the split produces.
  const region = node.cancellationRegion
  for (const c of region?.conditions ?? []) marking[c] = 0
  for (const t of region?.tasks ?? []) if (t !== task && tasks[t] === 'started') tasks[t] = 'canceled'
  for (const c of splitTargets(net, task, routed)) marking[c] = (marking[c] ?? 0) + 1
  return orJoinDecisionFor(net, { ...state, marking, tasks })
}

/** States from which a task may be enabled (again); as in `semantics.ts`. */
const enableable = new Set(['disabled', 'completed', 'failed', 'canceled'])

/**
 * OR-joins that are not active in `state` and whose join is satisfied by it.
 * `exit` only re-checks the successors of the conditions it marked, while an
 * OR-join can become enabled when any other task completes, routes elsewhere or
 * is canceled (semantics.md §3, scenario 2): after every step, the caller
 * enables these too.
 */
export function orJoinsToEnable(net: NetDefinition, state: NetState): string[] {
  const analysed: OrJoinState = { marking: state.marking, started: startedTasks(state) }
  return Object.values(net.tasks)
    .filter((t) => t.joinType === 'or' && enableable.has(state.tasks[t.name] ?? 'disabled'))
    .filter((t) => isOrJoinEnabled(net, analysed, t.name))
    .map((t) => t.name)
}
