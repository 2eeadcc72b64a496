import type { NetDefinition } from '../definition'
import { completeTask, enabledTasks, initialState, startTask, type NetState } from '../interpreter'
import type { TaskState } from '../lifecycle'
import { exitCandidates, isJoinSatisfied } from '../semantics'
import { OrJoinDecisions } from './decisions'
import { markingOf } from './describe'
import type { StateKeys } from './stateKeys'
import type { VerificationState } from './types'

/**
 * One step of the exploration: a task fires or exits, then what the runtime enables
 * follows, in the runtime's order (dummy tasks fire and exit at once, OR-joins are
 * released after every firing and exit). A step may branch: on a split's route choices,
 * and on the choices of the dummy tasks it runs.
 */

/** Dummy firings allowed within one step before the branch counts as a dummy cycle. */
const dummyCascadeFactor = 4

/** One way a step can go: the state it reaches and the steps taken to get there. */
export type Branch = {
  readonly state: NetState
  readonly steps: readonly string[]
  /** Dummy tasks fired in this step so far (to cut a cycle of dummy tasks). */
  readonly dummies: number
  /** Set when this step marked the end condition while something was left behind. */
  readonly improper?: { readonly task: string; readonly state: VerificationState }
}

/** What the steps ran into over the whole search, for the result. */
export type StepRecord = {
  /** Tasks that fired in some step; with an exhaustive search, the others are dead. */
  readonly fired: Set<string>
  /** OR-splits whose subsets were sampled (`maxOrSplitOutputs`). */
  readonly sampledSplits: Set<string>
  /** A cycle of dummy tasks was cut off. */
  dummyCascade: boolean
}

/** What every step of one verification reads, and where it records what it ran into. */
export type StepContext = {
  readonly net: NetDefinition
  readonly taskNames: readonly string[]
  readonly orJoins: readonly string[]
  /** Absent for a net without OR-joins, which never asks for a decision. */
  readonly decisions: OrJoinDecisions | undefined
  readonly maxOrSplitOutputs: number
  readonly maxDummies: number
  readonly record: StepRecord
  /** Set while one state is expanded: a choice was sampled or a branch dropped, so a successor may be missing. */
  expansionIncomplete: boolean
}

export function stepContext(net: NetDefinition, keys: StateKeys, maxOrSplitOutputs: number): StepContext {
  const taskNames = Object.keys(net.tasks)
  const orJoins = taskNames.filter((t) => net.tasks[t]!.joinType === 'or')
  return {
    net,
    taskNames,
    orJoins,
    decisions: orJoins.length > 0 ? new OrJoinDecisions(net, keys) : undefined,
    maxOrSplitOutputs,
    maxDummies: dummyCascadeFactor * (taskNames.length + 1),
    record: { fired: new Set(), sampledSplits: new Set(), dummyCascade: false },
    expansionIncomplete: false,
  }
}

/** The initialized workflow: the start condition's token, its tasks enabled in flow order (dummies fire). */
export function initialBranches(ctx: StepContext): Branch[] {
  const { net } = ctx
  const start: NetState = { marking: { [net.startCondition]: 1 }, tasks: {}, generations: {}, completed: false }
  const initial = initialState(net, ctx.decisions?.on(start))
  const names = net.conditions[net.startCondition]!.outputs.filter((t) => initial.tasks[t] === 'enabled')
  return enableInOrder(ctx, { state: start, steps: [], dummies: 0 }, names)
}

/**
 * Every step possible from `state`: start an enabled task, or complete a started one with each
 * route. `complete` is false if a choice was sampled or a branch dropped on the way.
 */
export function successors(ctx: StepContext, state: NetState): { branches: Branch[]; complete: boolean } {
  ctx.expansionIncomplete = false
  const from: Branch = { state, steps: [], dummies: 0 }
  const branches: Branch[] = []
  for (const task of enabledTasks(ctx.net, state)) branches.push(...fireTask(ctx, from, task))
  for (const task of ctx.taskNames) {
    if (state.tasks[task] !== 'started') continue
    for (const targets of routeChoices(ctx, task)) branches.push(...exitTask(ctx, from, task, targets))
  }
  return { branches, complete: !ctx.expansionIncomplete }
}

const enableable: ReadonlySet<TaskState | undefined> = new Set([undefined, 'disabled', 'completed', 'failed', 'canceled'])

const tokensOf = (state: NetState) => ({ tokens: (c: string) => state.marking[c] ?? 0 })
const withTasks = (state: NetState, tasks: Record<string, TaskState>): NetState => ({ ...state, tasks })

/** The outputs a split may mark: any one (XOR), any non-empty subset (OR), all (AND). */
function routeChoices(ctx: StepContext, task: string): string[][] {
  const node = ctx.net.tasks[task]!
  const outputs = [...new Set(node.outputs)]
  if (node.splitType === 'and') return [outputs]
  if (node.splitType === 'xor') return outputs.map((c) => [c])
  if (outputs.length > ctx.maxOrSplitOutputs) {
    // 2^n − 1 subsets are too many: each single output and all of them (the extremes
    // of the choice) are explored, and the search no longer claims to be exhaustive.
    ctx.record.sampledSplits.add(task)
    ctx.expansionIncomplete = true
    return [...outputs.map((c) => [c]), outputs]
  }
  const subsets: string[][] = []
  for (let bits = 1; bits < 1 << outputs.length; bits++) subsets.push(outputs.filter((_, i) => bits & (1 << i)))
  return subsets
}

/** A target as the route named it: the task of a task-to-task flow, else the condition. */
const targetName = (net: NetDefinition, c: string) => (net.conditions[c]?.implicit ? net.conditions[c]!.outputs[0]! : c)

/**
 * Enables `names` one by one as the runtime's `enableInOrder` does: a task not active
 * whose join holds on the current state is enabled; a dummy task then fires and exits at
 * once, and the names after it are checked on the state it leaves. Stops once the workflow
 * has completed.
 */
function enableInOrder(ctx: StepContext, branch: Branch, names: readonly string[]): Branch[] {
  const { net } = ctx
  let branches = [branch]
  for (const name of names) {
    branches = branches.flatMap((b) => {
      const state = b.state
      if (state.completed || !enableable.has(state.tasks[name])) return [b]
      if (!isJoinSatisfied(net, name, tokensOf(state), ctx.decisions?.on(state))) return [b]
      const enabled = { ...b, state: withTasks(state, { ...state.tasks, [name]: 'enabled' }) }
      return net.tasks[name]!.kind === 'dummy' ? runDummy(ctx, enabled, name) : [enabled]
    })
  }
  return branches
}

function runDummy(ctx: StepContext, branch: Branch, task: string): Branch[] {
  if (branch.dummies >= ctx.maxDummies) {
    ctx.record.dummyCascade = true
    ctx.expansionIncomplete = true
    return []
  }
  return fireTask(ctx, { ...branch, dummies: branch.dummies + 1 }, task).flatMap((b) =>
    // A released OR-join may have completed the workflow, or cancelled this task, meanwhile.
    b.state.completed || b.state.tasks[task] !== 'started'
      ? [b]
      : routeChoices(ctx, task).flatMap((targets) => exitTask(ctx, b, task, targets)),
  )
}

/**
 * OR-joins the runtime considers after every firing and exit (`released` in src/runtime/tasks.ts):
 * those with a marked input. `enableInOrder` enables those not active whose decision holds,
 * which on the state after the step is what `orJoinsToEnable` returns; it is not called
 * itself because its decisions would not be memoized.
 */
const orJoinsWithMarkedInput = (ctx: StepContext, state: NetState) =>
  ctx.orJoins.filter((t) => ctx.net.tasks[t]!.inputs.some((c) => (state.marking[c] ?? 0) > 0))

/** The task fires; then, as after every firing in the runtime, OR-joins it released are enabled. */
function fireTask(ctx: StepContext, branch: Branch, task: string): Branch[] {
  const state = startTask(ctx.net, branch.state, task, ctx.decisions?.afterStart(branch.state, task))
  ctx.record.fired.add(task)
  const fires = { ...branch, state, steps: [...branch.steps, `start ${task}`] }
  return enableInOrder(ctx, fires, orJoinsWithMarkedInput(ctx, state))
}

/**
 * The task exits into `targets`. The interpreter enables the exit's candidates all at once;
 * they are set back and enabled in the runtime's order (the candidates in `exitCandidates`
 * order, then OR-joins released anywhere), which matters when a dummy among them fires first.
 */
function exitTask(ctx: StepContext, branch: Branch, task: string, targets: readonly string[]): Branch[] {
  const { net } = ctx
  // Generations cleared, so the ones `completeTask` sets are exactly the tasks it enabled.
  const before: NetState = { ...branch.state, generations: {} }
  const routed = net.tasks[task]!.splitType === 'and' ? undefined : { conditions: [...targets] }
  const after = completeTask(net, before, task, routed, ctx.decisions?.afterExit(before, task, routed))
  const steps = [...branch.steps, `complete ${task} → ${targets.map((c) => targetName(net, c)).join(', ')}`]
  if (after.completed) {
    const leftBehind = leftBehindAtCompletion(ctx, before, after, task)
    return [{ ...branch, state: after, steps, ...(leftBehind ? { improper: { task, state: leftBehind } } : {}) }]
  }
  const enabled = exitCandidates(net, task, targets).filter((t) => after.generations[t] !== undefined)
  const tasks = { ...after.tasks }
  for (const t of enabled) tasks[t] = 'disabled'
  const released = orJoinsWithMarkedInput(ctx, after).filter((t) => !enabled.includes(t))
  return enableInOrder(ctx, { ...branch, state: withTasks(after, tasks), steps }, [...enabled, ...released])
}

/**
 * What the exit of `task` that marked the end condition leaves behind: tokens in other
 * conditions (including those of enabled tasks) and started tasks its region did not cancel.
 * The runtime disables and cancels these as the workflow completes; undefined if there are none.
 */
function leftBehindAtCompletion(ctx: StepContext, before: NetState, after: NetState, task: string): VerificationState | undefined {
  const { net, taskNames } = ctx
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
