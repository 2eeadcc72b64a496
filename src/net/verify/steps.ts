import type { NetDefinition } from '../definition'
import { enabledTasks, exitTask, fireTask, settleRound, type NetState, type OrJoinDecider } from '../interpreter'
import { isJoinSatisfied } from '../semantics'
import { OrJoinDecisions } from './decisions'
import { markingOf } from './describe'
import type { StateKeys } from './stateKeys'
import type { VerificationState } from './types'

/**
 * One step of the exploration: a task fires or exits, then the step settles exactly as the
 * interpreter's `settle` does (interpreter.ts): a marked end condition completes the
 * workflow; else the first dummy task whose join holds fires and exits at once, and settling
 * starts over; else every other task is enabled or disabled as its join says, OR-joins
 * decided on the current state. A step may branch: on a split's route choices, and on the
 * route choices of the dummy tasks it runs.
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
  /** The task that exited last in this step (the one that marked the end condition, if it is marked). */
  readonly exited?: string
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
  /** How settling decides OR-joins: memoized, and never asked for a net without OR-joins. */
  readonly decide: OrJoinDecider
  readonly maxOrSplitOutputs: number
  readonly maxDummies: number
  readonly record: StepRecord
  /** Set while one state is expanded: a choice was sampled or a branch dropped, so a successor may be missing. */
  expansionIncomplete: boolean
}

const noOrJoin: OrJoinDecider = () => (task) => {
  throw new Error(`OR-join decision asked for '${task.name}' in a net without OR-joins.`)
}

export function stepContext(net: NetDefinition, keys: StateKeys, maxOrSplitOutputs: number): StepContext {
  const taskNames = Object.keys(net.tasks)
  const hasOrJoin = taskNames.some((t) => net.tasks[t]!.joinType === 'or')
  return {
    net,
    taskNames,
    decide: hasOrJoin ? new OrJoinDecisions(net, keys).decide : noOrJoin,
    maxOrSplitOutputs,
    maxDummies: dummyCascadeFactor * (taskNames.length + 1),
    record: { fired: new Set(), sampledSplits: new Set(), dummyCascade: false },
    expansionIncomplete: false,
  }
}

/** The initialized workflow: the start condition's token, settled. */
export function initialBranches(ctx: StepContext): Branch[] {
  const start: NetState = { marking: { [ctx.net.startCondition]: 1 }, tasks: {}, generations: {}, completed: false }
  return settleBranches(ctx, { state: start, steps: [], dummies: 0 })
}

/**
 * Every step possible from `state`: start an enabled task, or complete a started one with each
 * route. `complete` is false if a choice was sampled or a branch dropped on the way.
 */
export function successors(ctx: StepContext, state: NetState): { branches: Branch[]; complete: boolean } {
  ctx.expansionIncomplete = false
  const { net } = ctx
  const branches: Branch[] = []
  for (const task of enabledTasks(net, state)) {
    ctx.record.fired.add(task)
    branches.push(...settleBranches(ctx, { state: fireTask(net, state, task), steps: [`start ${task}`], dummies: 0 }))
  }
  for (const task of ctx.taskNames) {
    if (state.tasks[task] !== 'started') continue
    for (const targets of routeChoices(ctx, task)) {
      const exited = { state: exitTask(net, state, task, targets), steps: [completion(net, task, targets)], dummies: 0, exited: task }
      branches.push(...settleBranches(ctx, exited))
    }
  }
  return { branches, complete: !ctx.expansionIncomplete }
}

/**
 * The outputs a split may mark: all (AND); the target sets its route declared, when it did
 * (the runtime refuses any other, so exploring only these is exhaustive, however wide the split);
 * else any one (XOR) or any non-empty subset (OR).
 */
function routeChoices(ctx: StepContext, task: string): string[][] {
  const node = ctx.net.tasks[task]!
  const outputs = [...new Set(node.outputs)]
  if (node.splitType === 'and') return [outputs]
  if (node.targetSets) return node.targetSets.map((set) => [...set])
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

const completion = (net: NetDefinition, task: string, targets: readonly string[]) =>
  `complete ${task} → ${targets.map((c) => targetName(net, c)).join(', ')}`

/**
 * Settles `branch` round by round (`settleRound`), branching on the routes of the dummy tasks
 * it fires. A branch that fires more than `maxDummies` dummy tasks in one step is dropped as a
 * dummy cycle. A branch whose end condition is marked completes, and records what it leaves
 * behind (an improper completion).
 */
function settleBranches(ctx: StepContext, branch: Branch): Branch[] {
  const { net } = ctx
  const settled: Branch[] = []
  const pending = [branch]
  for (let b = pending.shift(); b !== undefined; b = pending.shift()) {
    const round = settleRound(net, b.state, ctx.decide)
    if (round.kind === 'stable') {
      settled.push({ ...b, state: round.state })
    } else if (round.kind === 'completed') {
      const leftBehind = leftBehindAtCompletion(ctx, b.state)
      const improper = leftBehind && b.exited ? { improper: { task: b.exited, state: leftBehind } } : {}
      settled.push({ ...b, state: round.state, ...improper })
    } else if (b.dummies >= ctx.maxDummies) {
      ctx.record.dummyCascade = true
      ctx.expansionIncomplete = true
    } else {
      const { task, state } = round
      ctx.record.fired.add(task)
      for (const targets of routeChoices(ctx, task)) {
        pending.push({
          ...b,
          state: exitTask(net, state, task, targets),
          steps: [...b.steps, `start ${task}`, completion(net, task, targets)],
          dummies: b.dummies + 1,
          exited: task,
        })
      }
    }
  }
  return settled
}

/**
 * What is left behind when the end condition of `state` is marked: tokens in other conditions
 * (including those of enabled tasks) and started tasks. The workflow completes at once, which
 * disables and cancels these; undefined if there are none.
 */
function leftBehindAtCompletion(ctx: StepContext, state: NetState): VerificationState | undefined {
  const { net, taskNames } = ctx
  const marking = markingOf(state, net.endCondition)
  const started = taskNames.filter((t) => state.tasks[t] === 'started')
  if (Object.keys(marking).length === 0 && started.length === 0) return undefined
  // Enabled tasks whose tokens are still there; an OR-join counts with a marked input.
  const tokens = { tokens: (c: string) => state.marking[c] ?? 0 }
  const enabled = taskNames.filter((t) => state.tasks[t] === 'enabled' && isJoinSatisfied(net, t, tokens, () => true))
  return { marking, enabled, started }
}
