import { tasknetError } from '../errors'
import type { NetDefinition, TaskNode } from './definition'
import type { NetState } from './interpreter'
import type { OrJoinDecision } from './semantics'

/**
 * The OR-join enabling decision, as pure functions over a net definition and
 * the active state of one workflow: `isOrJoinEnabled` over the whole state, and
 * `inputStillReachable`, a lazy search for one empty input that reads the state
 * only where it needs to.
 *
 * Method: backward coverability on the reset net of the YAWL net, as in
 * M. T. Wynn, D. Edmond, W. M. P. van der Aalst, A. H. M. ter Hofstede,
 * "Achieving a general, formal and decidable approach to the OR-join in
 * workflow using reset nets" (ICATPN 2005), and Wynn et al., "Business process
 * verification – finally a reality!" (BPMJ 15(1), 2009). The backward algorithm
 * is the one for well-structured transition systems (Abdulla, Čerāns, Jonsson,
 * Tsay 1996; Finkel & Schnoebelen 2001), which decides coverability for reset
 * nets and terminates on every net, loops included (Dickson's lemma: the
 * antichain of minimal markings computed below cannot grow forever). It can
 * grow very large before it stops, though, so the work is bounded (below).
 *
 * The reset net (the analysis net):
 * - every condition is a place; every task `t` also gets a place `busy:t`, which
 *   holds one token while `t` is started (it will produce into its outputs);
 * - start of `t`: an AND-join consumes one token from every input, an XOR-join
 *   one token from one input (one transition per input); both produce `busy:t`;
 * - end of `t`: consumes `busy:t`, resets (empties) what `t`'s cancellation
 *   region removes (`cancellationResets`): the region's conditions, the `busy:`
 *   places of its tasks, and the IMPLICIT input conditions of its tasks (a
 *   canceled region task is withdrawn: the flows into it lose their tokens);
 *   then an AND-split produces into every output, an XOR-split into one output
 *   (one transition per output), an OR-split — see below;
 * - other OR-joins are treated as XOR-joins (Wynn et al.'s "optimistic approach");
 * - the OR-join under analysis cannot start: the question is what can still reach
 *   it *without* it firing (Wynn et al.: "the only reachable marking ... without
 *   enabling task E itself"). A started previous generation of it still ends.
 *
 * The decision: the OR-join `t` with current marking M is enabled iff some input
 * of `t` is marked and, for no currently empty input `q`, a marking covering
 * M|shared + q is reachable in that reset net from M plus one `busy:x` token per
 * started task x. `shared` are the marked inputs of `t` that some other
 * transition consumes or resets (`sharedInputsOf`): they must keep their tokens.
 * A marked input that nothing else consumes or resets keeps its tokens in every
 * reachable marking, so requiring them changes nothing and is left out (exact;
 * it keeps targets, and the antichain, small when many inputs are marked).
 *
 * OR-splits are not enumerated. In the analysis an OR-split is modelled as the
 * AND-split into all of its outputs, which is exact for the coverability
 * question asked here:
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
 * Approximations of the real engine:
 * - the runtime's XOR-join consumes from the *first* marked input; the analysis
 *   lets it consume from any marked input (a superset of behaviours: waits longer);
 * - other OR-joins are XOR-joins (they may fire on a single token), per Wynn et al.
 * A region resets the implicit inputs of every region task, exactly as the engine
 * withdraws them (whatever the region task's state: src/net/cancellation.ts).
 * Every task that starts may end in the model; failure of a started task and
 * cancellation from outside the net are not modelled (a failed or canceled task
 * is no longer `started`, so the decision re-taken after it sees it gone).
 *
 * Pruning (exact). The full decision knows the whole state, so it first computes
 * which places can ever hold a token from it (`markablePlaces`): a forward
 * closure of the analysis net that ignores token counts and resets, in which a
 * transition can fire once all its input places are markable (the OR-join under
 * analysis has no start transition). That over-approximates the reachable
 * markings' supports, so a basis marking that needs an unmarkable place covers
 * no reachable marking, and neither does anything its predecessors lead to from
 * the current state: it is dropped. An empty input that is not markable is
 * decided at once. (On the 7-task net of issue 10 this decides in microseconds
 * what the plain search did not decide in minutes.) The lazy search cannot afford
 * the closure up front (it would read the whole state). It first drops only a basis
 * marking that needs a place no transition produces into (`busy:` of the OR-join,
 * the start condition) beyond what the current state holds there, reading just
 * that place; most questions end within a few dozen basis markings. If not, it
 * reads the places of the target's structural backward cone (the only places its
 * search can ever touch), computes the closure over them (exact on the cone: a
 * transition producing into it has all its input places in it) and searches again
 * with the full decision's pruning.
 *
 * Forward witness (exact for waiting). Before its backward search, the full
 * decision looks forward from the current state for a run that reaches a target
 * (`forwardReaches`, at most `forwardStates` markings). Such a run proves the
 * OR-join must wait. Loops through AND-splits make the backward basis grow
 * combinatorially even where a short forward run answers (a net of the fuzz suite
 * needed more than 20,000 basis markings and 50 s; forward, 1 ms).
 *
 * Bound. Both searches count the basis markings they add (the cost of adding one
 * grows with the basis, so the time is about quadratic in the count). The full
 * decision refuses beyond `orJoinSearchBound` with `LIMIT_EXCEEDED` (naming the
 * OR-join, the net and the bound), never guessing; 2,000 basis markings take
 * about 0.2 s on this machine's hardest net, well inside Convex's one second for a
 * whole mutation. The lazy search answers 'unknown' beyond its budget and lets the
 * caller decide what to do.
 */

/** Basis markings one full decision may add before it refuses with LIMIT_EXCEEDED. */
export const orJoinSearchBound = 2_000

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
  /** Places emptied by the transition (reset arcs): what the region of the task that ends removes. */
  readonly reset: readonly number[]
}

/**
 * A marking of the analysis net, sparse: place index → tokens, positive counts
 * only. The markings of the backward search name a handful of places each,
 * while the net has one place per condition and per task; comparing them
 * entry by entry keeps the search linear in the markings' sizes, not the net's.
 */
type Marking = ReadonlyMap<number, number>

const busyPrefix = 'busy:'
const busy = (task: string) => `${busyPrefix}${task}`

/**
 * Reset arcs of the end of `task`: its cancellation region (exit step 2) empties the
 * region's conditions and cancels the region's tasks, which in the analysis net means
 * emptying their `busy:` places and withdrawing the tokens of their implicit input
 * conditions. The owner is completing, not canceled; its `busy:` token is consumed by
 * `pre`. Runtime order is consume, cancel the region, then produce the split's outputs,
 * which is the order `predecessor` applies (pre, reset, post).
 */
function cancellationResets(net: NetDefinition, task: TaskNode, place: (name: string) => number): number[] {
  const region = task.cancellationRegion
  if (!region) return []
  const tasks = region.tasks.filter((t) => t !== task.name)
  return [
    ...new Set([
      ...region.conditions.map(place),
      ...tasks.map((t) => place(busy(t))),
      ...tasks.flatMap((t) => net.tasks[t]!.inputs.filter((c) => net.conditions[c]!.implicit).map(place)),
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
  const names = [...index.keys()]

  const bag = (list: readonly string[]) => {
    const m = new Map<number, number>()
    for (const n of list) m.set(place(n), (m.get(place(n)) ?? 0) + 1)
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
    const reset = cancellationResets(net, task, place)
    if (task.splitType === 'xor') {
      for (const c of new Set(task.outputs)) transitions.push({ pre: bag(b), post: bag([c]), reset })
    } else {
      transitions.push({ pre: bag(b), post: bag(task.outputs), reset })
    }
  }
  // Only transitions that produce into a place a marking needs can help reach it.
  const producers = new Map<number, Transition[]>()
  // The transitions that take tokens from a place (for the forward closure).
  const consumers = new Map<number, Transition[]>()
  for (const tr of transitions) {
    for (const p of tr.post.keys()) producers.set(p, [...(producers.get(p) ?? []), tr])
    for (const p of tr.pre.keys()) consumers.set(p, [...(consumers.get(p) ?? []), tr])
  }
  // Places some transition takes tokens from, or a reset arc empties (see `sharedInputsOf`).
  const consumed = new Set<number>()
  for (const tr of transitions) {
    for (const p of tr.pre.keys()) consumed.add(p)
    for (const p of tr.reset) consumed.add(p) // a cancellation region can empty it too
  }
  // The OR-join's own inputs, as places (the shared ones among them may be in a target).
  const inputsOf = new Set(net.tasks[orJoin]!.inputs.map(place))
  return { index, names, transitions, producers, consumers, consumed, inputsOf }
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
 * The places that can ever hold a token from a state whose marked places (and busy places of
 * started tasks) are `marked`: the forward closure of the analysis net, token counts and resets
 * ignored, where a transition can fire once every place it consumes from is markable.
 */
function markablePlaces(an: AnalysisNet, marked: Iterable<number>): Set<number> {
  const markable = new Set<number>()
  const missing = new Map<Transition, number>(an.transitions.map((tr) => [tr, tr.pre.size]))
  const queue: number[] = []
  const mark = (p: number) => {
    if (markable.has(p)) return
    markable.add(p)
    queue.push(p)
  }
  for (const p of marked) mark(p)
  while (queue.length > 0) {
    for (const tr of an.consumers.get(queue.pop()!) ?? []) {
      const left = missing.get(tr)! - 1
      missing.set(tr, left)
      if (left === 0) for (const p of tr.post.keys()) mark(p)
    }
  }
  return markable
}

type SearchOutcome = 'covered' | 'exhausted' | 'bound'

/**
 * The backward search: is some marking covering one of `targets` reachable from the current
 * state? `basis` is an antichain of minimal markings whose upward closure is the set of markings
 * known to reach a target; `current(p)` reads the current state's tokens in place `p`; `keep(m)`
 * is false for a marking that provably covers nothing reachable (dropped, see the header). Stops
 * at the first basis marking the current state covers ('covered'), when no predecessor is new
 * ('exhausted'), or once `bound` basis markings were added ('bound').
 */
function backwardSearch(
  an: AnalysisNet,
  targets: readonly Marking[],
  current: (p: number) => number,
  keep: (m: Marking) => boolean,
  bound: number,
): SearchOutcome {
  // Each basis marking is filed under every place it needs, so a comparison only
  // looks at markings that share a place (every marking here needs at least one).
  const basis = new Set<Marking>()
  const byPlace = new Map<number, Set<Marking>>()
  const work: Marking[] = []
  let added = 0
  const isCovered = (m: Marking) => {
    for (const [p, n] of m) if (current(p) < n) return false
    return true
  }
  /** Adds `m` unless a basis marking is smaller; 'covered' if the current state covers it. */
  const add = (m: Marking): SearchOutcome | undefined => {
    for (const p of m.keys()) for (const b of byPlace.get(p) ?? []) if (covers(m, b)) return undefined
    if (!keep(m)) return undefined
    if (isCovered(m)) return 'covered'
    if (++added > bound) return 'bound'
    const [some] = m.keys()
    for (const b of [...(byPlace.get(some!) ?? [])]) {
      if (!covers(b, m)) continue
      basis.delete(b)
      for (const p of b.keys()) byPlace.get(p)!.delete(b)
    }
    basis.add(m)
    for (const p of m.keys()) byPlace.set(p, (byPlace.get(p) ?? new Set()).add(m))
    work.push(m)
    return undefined
  }
  for (const target of targets) {
    const outcome = add(target)
    if (outcome) return outcome
  }
  while (work.length > 0) {
    const m = work.pop()!
    if (!basis.has(m)) continue // superseded by a smaller marking since it was queued
    const useful = new Set<Transition>()
    for (const p of m.keys()) for (const tr of an.producers.get(p) ?? []) useful.add(tr)
    for (const tr of useful) {
      const pre = predecessor(m, tr)
      const outcome = pre && add(pre)
      if (outcome) return outcome
    }
  }
  return 'exhausted'
}

function orJoinNode(net: NetDefinition, task: string): TaskNode {
  const node = net.tasks[task]
  if (!node) throw new Error(`Net '${net.name}' has no task '${task}'.`)
  if (node.joinType !== 'or') throw new Error(`Task '${task}' of net '${net.name}' is not an OR-join.`)
  return node
}

/**
 * The inputs of OR-join `orJoin` that a target of its decision may include: those some other
 * transition of the analysis net consumes or resets (a competitor reads it, a region empties it).
 * A caller of `inputStillReachable` must be able to read their tokens; the others are never read
 * for the target.
 */
export function sharedInputsOf(net: NetDefinition, orJoin: string): string[] {
  const node = orJoinNode(net, orJoin)
  const { index, consumed } = buildAnalysisNet(net, orJoin)
  return [...new Set(node.inputs)].filter((c) => consumed.has(index.get(c)!))
}

/** The target for empty input `q`: the marked shared inputs keep their tokens, `q` gets one. */
function targetFor(an: AnalysisNet, marked: ReadonlyArray<readonly [string, number]>, q: string): Marking {
  const target = new Map<number, number>()
  for (const [c, n] of marked) if (an.consumed.has(an.index.get(c)!)) target.set(an.index.get(c)!, n)
  target.set(an.index.get(q)!, 1)
  return target
}

/**
 * Whether the OR-join `task` is enabled in `state`: some input is marked and no empty input
 * can still receive a token while the marked ones keep theirs. See the header of this file for
 * the method. Throws LIMIT_EXCEEDED if the search needs more than `orJoinSearchBound` basis
 * markings.
 */
export function isOrJoinEnabled(net: NetDefinition, state: OrJoinState, task: string): boolean {
  return decideOrJoin(net, state, task, orJoinSearchBound)
}

/** `isOrJoinEnabled` with the bound as a parameter (tests set it small). */
export function decideOrJoin(net: NetDefinition, state: OrJoinState, task: string, bound: number): boolean {
  const node = orJoinNode(net, task)
  const tokens = (c: string) => state.marking[c] ?? 0
  const inputs = [...new Set(node.inputs)]
  const marked = inputs.filter((c) => tokens(c) > 0).map((c) => [c, tokens(c)] as const)
  if (marked.length === 0) return false
  const empty = inputs.filter((c) => tokens(c) === 0)
  if (empty.length === 0) return true

  const an = buildAnalysisNet(net, task)
  const current = new Map<number, number>()
  for (const [c, n] of Object.entries(state.marking)) {
    const i = an.index.get(c)
    if (i !== undefined && n > 0) current.set(i, n)
  }
  for (const t of state.started) {
    const i = an.index.get(busy(t))
    if (i !== undefined) current.set(i, (current.get(i) ?? 0) + 1)
  }
  const markable = markablePlaces(an, current.keys())
  const keep = (m: Marking) => {
    for (const p of m.keys()) if (!markable.has(p)) return false
    return true
  }
  // An empty input that can never be marked is decided at once (`keep` drops its target).
  const targets = empty.map((q) => targetFor(an, marked, q)).filter(keep)
  if (targets.length === 0) return true
  // Waiting needs only one run that reaches a target; looking forward from the current state finds
  // it at once in nets whose loops make the backward basis explode (a loop through an AND-split).
  if (forwardReaches(an, current, targets, forwardStates)) return false
  const outcome = backwardSearch(an, targets, (p) => current.get(p) ?? 0, keep, bound)
  if (outcome === 'bound') {
    throw tasknetError(
      'LIMIT_EXCEEDED',
      `The decision of OR-join '${task}' in workflow '${net.name}' needs more than ${bound} basis markings of its` +
        ' backward search; the net is too complex around this OR-join to decide it within one step.',
      { taskName: task, net: net.name, bound },
    )
  }
  return outcome === 'exhausted'
}

/** States the forward search of `decideOrJoin` visits before it leaves the question to the backward search. */
export const forwardStates = 500

/**
 * Whether some firing sequence of the analysis net from `current` reaches a marking that covers one
 * of `targets`: a witness that the OR-join must wait, so a 'true' is exact. Breadth-first, skipping
 * any marking covered by one already visited (from a larger marking the same transitions fire and
 * lead to larger markings: reset nets are monotone), and giving up after `limit` markings: a
 * 'false' only means "not found this way", and the backward search decides.
 */
function forwardReaches(an: AnalysisNet, current: Marking, targets: readonly Marking[], limit: number): boolean {
  const visited: Marking[] = []
  const queue: Marking[] = [current]
  for (let head = 0; head < queue.length && visited.length < limit; head++) {
    const m = queue[head]!
    if (visited.some((v) => covers(v, m))) continue
    if (targets.some((target) => covers(m, target))) return true
    visited.push(m)
    for (const tr of an.transitions) {
      let enabled = true
      for (const [p, n] of tr.pre) if ((m.get(p) ?? 0) < n) enabled = false
      if (!enabled) continue
      const next = new Map(m)
      for (const [p, n] of tr.pre) {
        const left = next.get(p)! - n
        if (left > 0) next.set(p, left)
        else next.delete(p)
      }
      for (const p of tr.reset) next.delete(p)
      for (const [p, n] of tr.post) next.set(p, (next.get(p) ?? 0) + n)
      queue.push(next)
    }
  }
  return false
}

/** How the lazy search reads the current state: tokens of a condition, whether a task is started. */
export type OrJoinReader = { tokens(condition: string): number; started(task: string): boolean }

/** Basis markings `inputStillReachable` adds before it answers 'unknown' (unless given a budget). */
export const inputSearchBudget = 500

/**
 * Whether the currently EMPTY input `input` of OR-join `orJoin` can still receive a token while
 * the marked inputs keep theirs: the same target as the full decision (the marked inputs in
 * `sharedInputsOf`, read through `read.tokens`, plus one token in `input`), searched backward with
 * an early exit. The current state is read only through `read`, only for the places the search
 * touches, each at most once per call. 'yes' as soon as a basis marking is covered by the current
 * state; 'no' when the search completes without one (exact); 'unknown' once more than `budget`
 * basis markings were needed (by the second phase; the first, cheaper phase stops after a few
 * dozen, see the header). Exceptions thrown by `read` pass through (a caller may throw to load a
 * document and call again; the next call starts afresh).
 *
 * The OR-join is enabled iff some input is marked and this answers 'no' for every empty input.
 */
export function inputStillReachable(
  net: NetDefinition,
  orJoin: string,
  input: string,
  read: OrJoinReader,
  budget: number = inputSearchBudget,
): 'yes' | 'no' | 'unknown' {
  const node = orJoinNode(net, orJoin)
  if (!node.inputs.includes(input)) throw new Error(`'${input}' is not an input of OR-join '${orJoin}' of net '${net.name}'.`)
  const an = buildAnalysisNet(net, orJoin)
  const cache = new Map<number, number>()
  const current = (p: number): number => {
    let n = cache.get(p)
    if (n === undefined) {
      const name = an.names[p]!
      n = name.startsWith(busyPrefix) && !net.conditions[name] ? (read.started(name.slice(busyPrefix.length)) ? 1 : 0) : read.tokens(name)
      cache.set(p, n)
    }
    return n
  }
  const q = an.index.get(input)!
  if (current(q) > 0) throw new Error(`Input '${input}' of OR-join '${orJoin}' is not empty.`)
  const marked = sharedInputsOf(net, orJoin)
    .filter((c) => c !== input)
    .map((c) => [c, current(an.index.get(c)!)] as const)
    .filter(([, n]) => n > 0)
  const target = targetFor(an, marked, input)
  // Phase 1: a place nothing produces into holds, in any reachable marking, at most what it
  // holds now (reading just that place). Enough for most questions, which end early.
  const cheap = (m: Marking) => {
    for (const [p, n] of m) if (!an.producers.has(p) && current(p) < n) return false
    return true
  }
  const first = Math.min(budget, lazyFirstPhase)
  let outcome = backwardSearch(an, [target], current, cheap, first)
  if (outcome === 'bound' && budget > first) {
    // Phase 2: read the places the target's search can ever touch (its structural backward
    // cone) and prune with the forward closure over them, as the full decision does.
    const cone = backwardCone(an, input)
    const markable = markablePlaces(an, [...cone].filter((p) => current(p) > 0))
    const keep = (m: Marking) => {
      for (const p of m.keys()) if (!markable.has(p)) return false
      return true
    }
    outcome = backwardSearch(an, [target], current, keep, budget)
  }
  return outcome === 'covered' ? 'yes' : outcome === 'exhausted' ? 'no' : 'unknown'
}

/** Basis markings the lazy search adds with its cheap pruning before it reads the target's cone. */
const lazyFirstPhase = 64

const cones = new WeakMap<AnalysisNet, Map<string, Set<number>>>()

/**
 * The places a backward search for input `input` of the analysis net's OR-join can touch: the shared inputs and
 * `input`, and, recursively, every place some producer of a touched place consumes from. A
 * transition producing into the cone has all its input places in it, so the forward closure
 * computed from the cone's marked places is exact on the cone.
 */
function backwardCone(an: AnalysisNet, input: string): Set<number> {
  let byInput = cones.get(an)
  if (!byInput) cones.set(an, (byInput = new Map()))
  let cone = byInput.get(input)
  if (!cone) {
    cone = new Set<number>()
    const stack = [an.index.get(input)!, ...[...an.consumed].filter((p) => an.inputsOf.has(p))]
    while (stack.length > 0) {
      const p = stack.pop()!
      if (cone.has(p)) continue
      cone.add(p)
      for (const tr of an.producers.get(p) ?? []) stack.push(...tr.pre.keys())
    }
    byInput.set(input, cone)
  }
  return cone
}

/** The tasks of `state` that are started. */
function startedTasks(state: NetState): string[] {
  return Object.entries(state.tasks)
    .filter(([, s]) => s === 'started')
    .map(([t]) => t)
}

/** An `OrJoinDecision` for the interpreter, deciding on the whole state `state`. */
export function orJoinDecisionFor(net: NetDefinition, state: NetState): OrJoinDecision {
  const analysed: OrJoinState = { marking: state.marking, started: startedTasks(state) }
  return (task: TaskNode) => isOrJoinEnabled(net, analysed, task.name)
}
