import type { NetDefinition } from './definition'
import { completeTask, enabledTasks, initialState, startTask, type NetState } from './interpreter'
import type { TaskState } from './lifecycle'
import { orJoinDecisionFor, orJoinDecisionForCompletion, orJoinDecisionForStart } from './orJoin'
import { consumedBy, exitCandidates, isJoinSatisfied, type OrJoinDecision, type RouteRequest } from './semantics'

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
 *   subset (sampled for wide splits, see `maxOrSplitOutputs`);
 * - work items: an atomic task is enabled, then started (it fires), then
 *   completed (it exits); a dummy task fires and exits as soon as it is enabled,
 *   in the order the runtime enables tasks (`enableInOrder` in src/runtime/tasks.ts);
 * - failures, policies other than "complete", and canceling a workflow are not
 *   modelled: they end a workflow, they do not route it.
 *
 * One state is one marking plus the set of enabled and the set of started tasks;
 * generations and finished task states do not change what can happen next.
 */

export type VerifyOptions = {
  /** How many distinct states to store before giving up (default 10 000). A search cut off here is not exhaustive. */
  readonly maxStates?: number
  /**
   * How many tokens a condition may hold (default 5). A state with more is reported as
   * `unbounded` and not explored further, so the search is then not exhaustive.
   */
  readonly maxTokens?: number
  /**
   * OR-splits with more outputs than this (default 10) are explored with each single output and
   * with all outputs, instead of all 2^n − 1 subsets; the search is then not exhaustive.
   */
  readonly maxOrSplitOutputs?: number
}

export type VerificationFindingKind = 'deadlock' | 'livelock' | 'improperCompletion' | 'deadTask' | 'unbounded'

/** A state at the end of a finding's path, as far as it explains the finding. */
export type VerificationState = {
  /** Tokens per marked condition. */
  readonly marking: Readonly<Record<string, number>>
  readonly enabled: readonly string[]
  readonly started: readonly string[]
}

export type VerificationFinding = {
  readonly kind: VerificationFindingKind
  readonly message: string
  /**
   * Steps from the initialized workflow to the state the finding is about, e.g.
   * `['start a', 'complete a → b, c']`. A completion names the targets its split
   * marked: a task for a task-to-task flow, else the condition. Dummy tasks appear
   * as the runtime runs them, `start d` then `complete d → …` at once. Empty for a dead task.
   */
  readonly path: readonly string[]
  /** The dead task; for an improper completion, the task whose completion marks the end condition. */
  readonly task?: string
  /** For `unbounded`, the condition that holds too many tokens. */
  readonly condition?: string
  /**
   * The state at the end of the path. For an improper completion, what is left
   * behind when the end condition is marked: tokens in other conditions, tasks still started.
   */
  readonly state?: VerificationState
}

export type VerificationResult = {
  /** Exhaustive and without findings: the net is sound under the abstraction of docs/verification.md. */
  readonly ok: boolean
  /**
   * Every reachable state was explored with every choice. Only then does the absence of a
   * finding mean anything, and only then are dead tasks reported. Findings are true either way.
   */
  readonly exhaustive: boolean
  /** Distinct states reached (a state: marking, enabled tasks, started tasks). */
  readonly statesExplored: number
  readonly findings: readonly VerificationFinding[]
  /** Why the search is not exhaustive; all empty or false when it is. */
  readonly limitsReached: {
    /** `maxStates` states were stored and more remained. */
    readonly maxStates: boolean
    /** Conditions that went over `maxTokens` (each also an `unbounded` finding). */
    readonly maxTokens: readonly string[]
    /** OR-splits whose subsets were sampled (`maxOrSplitOutputs`). */
    readonly orSplits: readonly string[]
    /** Dummy tasks kept firing within one step (a cycle of dummy tasks); that branch was dropped. */
    readonly dummyCascade: boolean
  }
}

/** What a user has at hand: the Builder, the built definition, or the net itself. */
export type VerifiableWorkflow = NetDefinition | { readonly net: NetDefinition } | { build(): { readonly net: NetDefinition } }

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
/** Dummy firings allowed within one step before the branch counts as a dummy cycle. */
const dummyCascadeFactor = 4

/** One way a step can go: the state it reaches and the steps taken to get there. */
type Branch = {
  readonly state: NetState
  readonly steps: readonly string[]
  /** Dummy tasks fired in this step so far (to cut a cycle of dummy tasks). */
  readonly dummies: number
  /** Set when this step marked the end condition while something was left behind. */
  readonly improper?: { readonly task: string; readonly state: VerificationState }
}

/** A state of the explored graph. */
type Node = {
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

const enableable: ReadonlySet<TaskState | undefined> = new Set([undefined, 'disabled', 'completed', 'failed', 'canceled'])

/** `verifyWorkflow` over the net itself. */
export function verifyNet(net: NetDefinition, options: VerifyOptions = {}): VerificationResult {
  const { maxStates, maxTokens, maxOrSplitOutputs } = { ...defaults, ...options }
  const taskNames = Object.keys(net.tasks)
  const orJoins = taskNames.filter((t) => net.tasks[t]!.joinType === 'or')
  const keys = stateKeys(net)
  const decisions = orJoins.length > 0 ? orJoinDecisions(net, keys) : undefined
  const maxDummies = dummyCascadeFactor * (taskNames.length + 1)
  const fired = new Set<string>()
  const sampledSplits = new Set<string>()
  let dummyCascade = false
  /** Set while one state is expanded: a choice was sampled or a branch dropped, so a successor may be missing. */
  let expansionIncomplete = false

  // ---- One step: a task fires or exits, then what the runtime enables follows ----

  const tokensOf = (state: NetState) => ({ tokens: (c: string) => state.marking[c] ?? 0 })
  const withTasks = (state: NetState, tasks: Record<string, TaskState>): NetState => ({ ...state, tasks })

  /** The outputs a split may mark: any one (XOR), any non-empty subset (OR), all (AND). */
  function routeChoices(task: string): string[][] {
    const node = net.tasks[task]!
    const outputs = [...new Set(node.outputs)]
    if (node.splitType === 'and') return [outputs]
    if (node.splitType === 'xor') return outputs.map((c) => [c])
    if (outputs.length > maxOrSplitOutputs) {
      // 2^n − 1 subsets are too many: each single output and all of them (the extremes
      // of the choice) are explored, and the search no longer claims to be exhaustive.
      sampledSplits.add(task)
      expansionIncomplete = true
      return [...outputs.map((c) => [c]), outputs]
    }
    const subsets: string[][] = []
    for (let bits = 1; bits < 1 << outputs.length; bits++) subsets.push(outputs.filter((_, i) => bits & (1 << i)))
    return subsets
  }

  /** A target as the route named it: the task of a task-to-task flow, else the condition. */
  const targetName = (c: string) => (net.conditions[c]?.implicit ? net.conditions[c]!.outputs[0]! : c)

  /**
   * Enables `names` one by one as the runtime's `enableInOrder` does: a task not active
   * whose join holds on the current state is enabled; a dummy task then fires and exits at
   * once, and the names after it are checked on the state it leaves. Stops once the workflow
   * has completed.
   */
  function enableInOrder(branch: Branch, names: readonly string[]): Branch[] {
    let branches = [branch]
    for (const name of names) {
      branches = branches.flatMap((b) => {
        const state = b.state
        if (state.completed || !enableable.has(state.tasks[name])) return [b]
        if (!isJoinSatisfied(net, name, tokensOf(state), decisions?.on(state))) return [b]
        const enabled = { ...b, state: withTasks(state, { ...state.tasks, [name]: 'enabled' }) }
        return net.tasks[name]!.kind === 'dummy' ? runDummy(enabled, name) : [enabled]
      })
    }
    return branches
  }

  function runDummy(branch: Branch, task: string): Branch[] {
    if (branch.dummies >= maxDummies) {
      dummyCascade = true
      expansionIncomplete = true
      return []
    }
    return fireTask({ ...branch, dummies: branch.dummies + 1 }, task).flatMap((b) =>
      // A released OR-join may have completed the workflow, or cancelled this task, meanwhile.
      b.state.completed || b.state.tasks[task] !== 'started' ? [b] : routeChoices(task).flatMap((targets) => exitTask(b, task, targets)),
    )
  }

  /**
   * OR-joins the runtime considers after every firing and exit (`released` in src/runtime/tasks.ts):
   * those with a marked input. `enableInOrder` enables those not active whose decision holds,
   * which on the state after the step is what `orJoinsToEnable` returns; it is not called
   * itself because its decisions would not be memoized.
   */
  const orJoinsWithMarkedInput = (state: NetState) =>
    orJoins.filter((t) => net.tasks[t]!.inputs.some((c) => (state.marking[c] ?? 0) > 0))

  /** The task fires; then, as after every firing in the runtime, OR-joins it released are enabled. */
  function fireTask(branch: Branch, task: string): Branch[] {
    const state = startTask(net, branch.state, task, decisions?.afterStart(branch.state, task))
    fired.add(task)
    const fires = { ...branch, state, steps: [...branch.steps, `start ${task}`] }
    return enableInOrder(fires, orJoinsWithMarkedInput(state))
  }

  /**
   * The task exits into `targets`. The interpreter enables the exit's candidates all at once;
   * they are set back and enabled in the runtime's order (the candidates in `exitCandidates`
   * order, then OR-joins released anywhere), which matters when a dummy among them fires first.
   */
  function exitTask(branch: Branch, task: string, targets: readonly string[]): Branch[] {
    // Generations cleared, so the ones `completeTask` sets are exactly the tasks it enabled.
    const before: NetState = { ...branch.state, generations: {} }
    const routed = net.tasks[task]!.splitType === 'and' ? undefined : { conditions: [...targets] }
    const after = completeTask(net, before, task, routed, decisions?.afterExit(before, task, routed))
    const steps = [...branch.steps, `complete ${task} → ${targets.map(targetName).join(', ')}`]
    if (after.completed) {
      const leftBehind = leftBehindAtCompletion(before, after, task)
      return [{ ...branch, state: after, steps, ...(leftBehind ? { improper: { task, state: leftBehind } } : {}) }]
    }
    const enabled = exitCandidates(net, task, targets).filter((t) => after.generations[t] !== undefined)
    const tasks = { ...after.tasks }
    for (const t of enabled) tasks[t] = 'disabled'
    const released = orJoinsWithMarkedInput(after).filter((t) => !enabled.includes(t))
    return enableInOrder({ ...branch, state: withTasks(after, tasks), steps }, [...enabled, ...released])
  }

  /**
   * What the exit of `task` that marked the end condition leaves behind: tokens in other
   * conditions (including those of enabled tasks) and started tasks its region did not cancel.
   * The runtime disables and cancels these as the workflow completes; undefined if there are none.
   */
  function leftBehindAtCompletion(before: NetState, after: NetState, task: string): VerificationState | undefined {
    const region = new Set(net.tasks[task]!.cancellationRegion?.tasks ?? [])
    const marking = markingOf(after, net.endCondition)
    const started = taskNames.filter((t) => t !== task && before.tasks[t] === 'started' && !region.has(t))
    // Enabled tasks whose tokens are still there (the teardown disables them); an OR-join counts with a marked input.
    const enabled = taskNames.filter(
      (t) => before.tasks[t] === 'enabled' && !region.has(t) && isJoinSatisfied(net, t, tokensOf(after), () => true),
    )
    if (Object.keys(marking).length === 0 && started.length === 0) return undefined
    return { marking, enabled, started }
  }

  /** Every step possible from `state`: start an enabled task, or complete a started one with each route. */
  function successors(state: NetState): Branch[] {
    const from: Branch = { state, steps: [], dummies: 0 }
    const branches: Branch[] = []
    for (const task of enabledTasks(net, state)) branches.push(...fireTask(from, task))
    for (const task of taskNames) {
      if (state.tasks[task] !== 'started') continue
      for (const targets of routeChoices(task)) branches.push(...exitTask(from, task, targets))
    }
    return branches
  }

  /** The initialized workflow: the start condition's token, its tasks enabled in flow order (dummies fire). */
  function initialBranches(): Branch[] {
    const start: NetState = { marking: { [net.startCondition]: 1 }, tasks: {}, generations: {}, completed: false }
    const initial = initialState(net, decisions?.on(start))
    const names = net.conditions[net.startCondition]!.outputs.filter((t) => initial.tasks[t] === 'enabled')
    return enableInOrder({ state: start, steps: [], dummies: 0 }, names)
  }

  // ---- The explored graph, breadth first (so every path found is a shortest one) ----

  const nodes: Node[] = []
  const byKey = new Map<string, number>()
  const queue: number[] = []
  /** The first improper completion found for each task that marks the end condition, and the state it left. */
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

  for (const branch of initialBranches()) add(branch, -1)
  // Once `maxStates` states are stored the search stops; the states still queued stay unexpanded.
  for (let head = 0; head < queue.length && !maxStatesReached; head++) {
    const id = queue[head]!
    const node = nodes[id]!
    expansionIncomplete = false
    for (const branch of successors(node.state)) {
      const successor = add(branch, id)
      if (successor === undefined) expansionIncomplete = true
      else node.successors.push(successor)
    }
    node.expansion = expansionIncomplete ? 'partial' : 'full'
  }

  const pathTo = (id: number): string[] => {
    const parts: (readonly string[])[] = []
    for (let n = id; n !== -1; n = nodes[n]!.parent) parts.push(nodes[n]!.steps)
    return parts.reverse().flat()
  }

  // ---- Findings ----

  const findings: VerificationFinding[] = []
  const end = net.endCondition

  // Option to complete: a state reaches the end if a path leads to a completed state. States
  // not expanded (cut off by a bound) or expanded with a choice left out might reach it through
  // what was not explored, so they count as reaching it: a finding here is never a guess.
  const predecessors = nodes.map((): number[] => [])
  nodes.forEach((n, id) => n.successors.forEach((s) => predecessors[s]!.push(id)))
  const backwardFrom = (seeds: number[]) => {
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
      path: pathTo(id),
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
      path: pathTo(id),
      state,
    })
  }
  for (const [task, { parent, branch }] of improper) {
    const state = branch.improper!.state
    const left = [
      ...(Object.keys(state.marking).length > 0 ? [describeMarking(state.marking)] : []),
      ...(state.started.length > 0 ? [`started: ${state.started.join(', ')}`] : []),
    ]
    findings.push({
      kind: 'improperCompletion',
      message:
        `Improper completion: completing '${task}' marks the end condition '${end}' while ${left.join('; ')}` +
        ' remain; the workflow completes and these are disabled or canceled unfinished.',
      path: [...pathTo(parent), ...branch.steps],
      task,
      state,
    })
  }
  for (const [condition, id] of overBound) {
    const state = summary(nodes[id]!.state)
    findings.push({
      kind: 'unbounded',
      message:
        `Condition '${condition}' holds ${state.marking[condition]} tokens after this path, more than maxTokens (${maxTokens}):` +
        ' the net may be unbounded there. States past the bound were not explored.',
      path: pathTo(id),
      condition,
      state,
    })
  }

  const limitsReached = {
    maxStates: maxStatesReached,
    maxTokens: [...overBound.keys()],
    orSplits: [...sampledSplits],
    dummyCascade,
  }
  const exhaustive = !maxStatesReached && overBound.size === 0 && sampledSplits.size === 0 && !dummyCascade
  // A task is dead only if no run at all fires it, which only an exhaustive search can tell.
  if (exhaustive) {
    for (const task of taskNames.filter((t) => !fired.has(t))) {
      findings.push({
        kind: 'deadTask',
        message: `Dead task: '${task}' never fires; no reachable state enables it and lets it start.`,
        path: [],
        task,
      })
    }
  }
  return { ok: exhaustive && findings.length === 0, exhaustive, statesExplored: nodes.length, findings, limitsReached }
}

// ---- States ----

/** Only what decides the future: marked conditions, enabled and started tasks. */
function normalized(state: NetState): NetState {
  const marking: Record<string, number> = {}
  for (const [c, n] of Object.entries(state.marking)) if (n > 0) marking[c] = n
  const tasks: Record<string, TaskState> = {}
  for (const [t, s] of Object.entries(state.tasks)) if (s === 'enabled' || s === 'started') tasks[t] = s
  return { marking, tasks, generations: {}, completed: state.completed }
}

/**
 * Canonical strings for states, naming conditions and tasks by their index in the net.
 * `state` keys what decides the future (marked conditions, enabled and started tasks,
 * whether the workflow completed); `decision` what an OR-join decision reads (marking and
 * started tasks). Only the entries a state holds are visited: a state marks a few
 * conditions of a net that may have hundreds.
 */
function stateKeys(net: NetDefinition) {
  const conditionNames = Object.keys(net.conditions)
  const conditionIndex = new Map(conditionNames.map((c, i) => [c, i]))
  const taskIndex = new Map(Object.keys(net.tasks).map((t, i) => [t, i]))
  const ascending = (a: number, b: number) => a - b
  const marking = (m: Readonly<Record<string, number>>) => {
    const entries: number[] = []
    for (const c in m) if (m[c]! > 0) entries.push(conditionIndex.get(c)!)
    return entries
      .sort(ascending)
      .map((i) => `${i}=${m[conditionNames[i]!]}`)
      .join(',')
  }
  const tasks = (names: Iterable<string>, mark: (t: string) => string) => {
    const entries: Array<[number, string]> = []
    for (const t of names) {
      const m = mark(t)
      if (m !== '') entries.push([taskIndex.get(t)!, m])
    }
    return entries
      .sort((a, b) => a[0] - b[0])
      .map(([i, m]) => `${i}${m}`)
      .join(',')
  }
  // A step's state is usually keyed twice: for an OR-join decision on it, and when it is stored.
  const known = new WeakMap<NetState, string>()
  return {
    state(state: NetState): string {
      let key = known.get(state)
      if (key === undefined) {
        const mark = (t: string) => (state.tasks[t] === 'enabled' ? 'e' : state.tasks[t] === 'started' ? 's' : '')
        key = `${marking(state.marking)}|${tasks(Object.keys(state.tasks), mark)}${state.completed ? '|completed' : ''}`
        known.set(state, key)
      }
      return key
    },
    decision(m: Readonly<Record<string, number>>, started: Iterable<string>): string {
      return `${marking(m)}|${tasks(started, () => 's')}`
    },
  }
}

function summary(state: NetState): VerificationState {
  return {
    marking: markingOf(state),
    enabled: Object.keys(state.tasks).filter((t) => state.tasks[t] === 'enabled'),
    started: Object.keys(state.tasks).filter((t) => state.tasks[t] === 'started'),
  }
}

function markingOf(state: NetState, except?: string): Record<string, number> {
  const marking: Record<string, number> = {}
  for (const [c, n] of Object.entries(state.marking)) if (n > 0 && c !== except) marking[c] = n
  return marking
}

function describeMarking(marking: Readonly<Record<string, number>>): string {
  const entries = Object.entries(marking)
  if (entries.length === 0) return 'no condition holds a token'
  return `tokens in ${entries.map(([c, n]) => (n === 1 ? `'${c}'` : `'${c}' ×${n}`)).join(', ')}`
}

function describeTasks(state: VerificationState): string {
  return [
    ...(state.enabled.length > 0 ? [`enabled: ${state.enabled.join(', ')}`] : []),
    ...(state.started.length > 0 ? [`started: ${state.started.join(', ')}`] : []),
  ].join('; ')
}

const countOf = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`

// ---- OR-join decisions ----

/**
 * The OR-join decisions of orJoin.ts, memoized. A decision depends only on the marking and
 * the started tasks of the state it is taken on, and the exploration asks for the same one
 * many times (once per interleaving that reaches a state, and several times within a step).
 * Each getter keys on the state its orJoin.ts function decides on (the same construction:
 * tokens consumed and the task started; or the region applied, the task completed and the
 * targets marked) and asks that function on a miss. Keys are built only when a decision is asked.
 */
function orJoinDecisions(net: NetDefinition, keys: ReturnType<typeof stateKeys>) {
  const cache = new Map<string, boolean>()
  const memo = (stateKey: () => string, decide: () => OrJoinDecision): OrJoinDecision => {
    let key: string | undefined
    let decision: OrJoinDecision | undefined
    return (task) => {
      key ??= stateKey()
      const entry = `${task.name}@${key}`
      let enabled = cache.get(entry)
      if (enabled === undefined) cache.set(entry, (enabled = (decision ??= decide())(task)))
      return enabled
    }
  }
  const startedIn = (state: NetState) => Object.keys(state.tasks).filter((t) => state.tasks[t] === 'started')
  return {
    /**
     * `orJoinDecisionFor`: on `state` itself. Keyed on the whole state (its enabled tasks too,
     * which the decision does not read), since that key is computed anyway when it is stored.
     */
    on: (state: NetState) => memo(() => keys.state(state), () => orJoinDecisionFor(net, state)),
    /** `orJoinDecisionForStart`: after `task` took its tokens and started. */
    afterStart(state: NetState, task: string) {
      const marking = { ...state.marking }
      for (const c of consumedBy(net, { tokens: (c) => state.marking[c] ?? 0 }, task)) marking[c] = (marking[c] ?? 0) - 1
      return memo(() => keys.decision(marking, [...startedIn(state), task]), () => orJoinDecisionForStart(net, state, task))
    },
    /** `orJoinDecisionForCompletion`: after `task`'s region was applied, it completed and marked `routed`. */
    afterExit(state: NetState, task: string, routed: RouteRequest) {
      const node = net.tasks[task]!
      const region = node.cancellationRegion
      const marking = { ...state.marking }
      for (const c of region?.conditions ?? []) marking[c] = 0
      for (const c of routed?.conditions ?? node.outputs) marking[c] = (marking[c] ?? 0) + 1
      const started = () => startedIn(state).filter((t) => t !== task && !region?.tasks.includes(t))
      return memo(() => keys.decision(marking, started()), () => orJoinDecisionForCompletion(net, state, task, routed))
    },
  }
}
