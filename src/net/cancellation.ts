import type { NetDefinition } from './definition'
import { isJoinSatisfied, type Footprint, type NetView, type OrJoinDecision } from './semantics'

/**
 * The cancellation region (step 2 of a task's exit), as pure data: what a
 * completing task's region cancels, withdraws and empties. Nothing here touches
 * a database; the runtime applies the result in `exitTask`, the interpreter in
 * `exitTask` (interpreter.ts).
 *
 * Canceling a region task WITHDRAWS it: besides its open work, the tokens in its
 * IMPLICIT input conditions (the task-to-task flows into it, which exist only to
 * enable it) are removed. Its explicit input conditions are emptied only when the
 * region names them; if its join still holds on them, settling enables it again
 * in a new generation.
 */

export type CancellationEffects = {
  /** Region tasks that are `enabled` or `started`, in region order: they are canceled (teardown, no policy). */
  canceled: string[]
  /** Region conditions that hold tokens, with the tokens removed: each is emptied. */
  emptied: Array<{ condition: string; tokens: number }>
  /**
   * The implicit input conditions of the `canceled` tasks that hold tokens, with the tokens
   * removed: each is emptied too. In the order of `canceled`, then of each task's inputs; a
   * condition already in `emptied` (a flow the region names) is not listed again.
   */
  withdrawn: Array<{ condition: string; tokens: number }>
  /**
   * Tasks outside the region that were `enabled` and whose join the emptied conditions no longer
   * satisfy, in the order of the emptied conditions' outgoing flows: they become `disabled`.
   *
   * Kept for the runtime of today, which applies it. Under the settling rule (every task that is
   * not started is enabled iff its join holds, re-checked after every step) this is no business of
   * the region: settling disables those tasks, and the interpreter ignores this field. Withdrawn
   * conditions never change it: an implicit condition has exactly one reader, the canceled task.
   */
  disabled: string[]
}

const none: CancellationEffects = Object.freeze({ canceled: [], emptied: [], withdrawn: [], disabled: [] }) as CancellationEffects

function unique(names: Iterable<string>): string[] {
  return [...new Set(names)]
}

function regionOf(net: NetDefinition, taskName: string) {
  const task = net.tasks[taskName]
  if (!task) throw new Error(`Net '${net.name}' has no task '${taskName}'.`)
  return task.cancellationRegion
}

/** Whether completing `task` has any region to apply; a task without one needs no footprint at all. */
export function hasCancellationRegion(net: NetDefinition, taskName: string): boolean {
  const region = regionOf(net, taskName)
  return region !== undefined && region.tasks.length + region.conditions.length > 0
}

/**
 * Tasks that may lose their enabling when the region empties its conditions: the tasks after
 * those conditions that are neither in the region (those are canceled instead) nor the owner.
 */
function disableCandidates(net: NetDefinition, taskName: string): string[] {
  const region = regionOf(net, taskName)
  if (!region) return []
  const inRegion = new Set(region.tasks)
  return unique(region.conditions.flatMap((c) => net.conditions[c]!.outputs)).filter(
    (t) => t !== taskName && !inRegion.has(t),
  )
}

/** The implicit input conditions of `task`: the task-to-task flows into it, in input order. */
export function implicitInputsOf(net: NetDefinition, task: string): string[] {
  return unique(net.tasks[task]!.inputs.filter((c) => net.conditions[c]!.implicit))
}

/**
 * What `cancellationEffects` needs loaded: the region's tasks and conditions, the implicit
 * inputs of the region's tasks (withdrawn when they are canceled), the tasks after the region's
 * conditions, and those tasks' inputs. Empty for a task without a region.
 */
export function cancellationFootprint(net: NetDefinition, taskName: string): Footprint {
  const region = regionOf(net, taskName)
  if (!region) return { conditions: [], tasks: [] }
  const candidates = disableCandidates(net, taskName)
  const regionTasks = region.tasks.filter((t) => t !== taskName)
  return {
    conditions: unique([
      ...region.conditions,
      ...regionTasks.flatMap((t) => implicitInputsOf(net, t)),
      ...candidates.flatMap((t) => net.tasks[t]!.inputs),
    ]),
    tasks: unique([...regionTasks, ...candidates]),
  }
}

/**
 * The effect of `task`'s cancellation region when it completes (exit step 2): region tasks that
 * are enabled or started are canceled and their implicit input conditions emptied (`withdrawn`),
 * region conditions holding tokens are emptied, and (for the runtime of today, see `disabled`)
 * tasks outside the region that were enabled and whose join no longer holds once those conditions
 * are empty are listed. The owning task is never canceled by its own region. A task already
 * `disabled`, `completed`, `failed` or `canceled` in the region is left alone, tokens included.
 */
export function cancellationEffects(
  net: NetDefinition,
  view: NetView,
  taskName: string,
  orJoin?: OrJoinDecision,
): CancellationEffects {
  const region = regionOf(net, taskName)
  if (!region) return none
  const canceled = region.tasks.filter((t) => {
    if (t === taskName) return false
    const state = view.taskState(t)
    return state === 'enabled' || state === 'started'
  })
  const emptied = region.conditions
    .map((condition) => ({ condition, tokens: view.tokens(condition) }))
    .filter(({ tokens }) => tokens > 0)
  const removed = new Set(emptied.map(({ condition }) => condition))
  const withdrawn = unique(canceled.flatMap((t) => implicitInputsOf(net, t)))
    .filter((c) => !removed.has(c))
    .map((condition) => ({ condition, tokens: view.tokens(condition) }))
    .filter(({ tokens }) => tokens > 0)
  const tokensAfter = (c: string) => (removed.has(c) ? 0 : view.tokens(c))
  const disabled = unique(emptied.flatMap(({ condition }) => net.conditions[condition]!.outputs)).filter(
    (t) =>
      t !== taskName &&
      !region.tasks.includes(t) &&
      view.taskState(t) === 'enabled' &&
      !isJoinSatisfied(net, t, { tokens: tokensAfter }, orJoin),
  )
  return { canceled, emptied, withdrawn, disabled }
}
