import type { NetDefinition } from './definition'
import { isJoinSatisfied, type Footprint, type NetView, type OrJoinDecision } from './semantics'

/**
 * The cancellation region of semantics.md §5 step 3, as pure data: what a
 * completing task's region cancels, empties and disables. Nothing here touches
 * a database; the runtime applies the result in `exitTask`, the interpreter in
 * `completeTask`.
 */

export type CancellationEffects = {
  /** Region tasks that are `enabled` or `started`, in region order: they are canceled (teardown, no policy). */
  canceled: string[]
  /** Region conditions that hold tokens, with the tokens removed: each is emptied. */
  emptied: Array<{ condition: string; tokens: number }>
  /**
   * Tasks outside the region that were `enabled` and whose join the emptied conditions no longer
   * satisfy, in the order of the emptied conditions' outgoing flows: they become `disabled`.
   */
  disabled: string[]
}

const none: CancellationEffects = Object.freeze({ canceled: [], emptied: [], disabled: [] }) as CancellationEffects

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

/**
 * What `cancellationEffects` needs loaded: the region's tasks and conditions, the tasks after the
 * region's conditions, and those tasks' inputs. Empty for a task without a region.
 */
export function cancellationFootprint(net: NetDefinition, taskName: string): Footprint {
  const region = regionOf(net, taskName)
  if (!region) return { conditions: [], tasks: [] }
  const candidates = disableCandidates(net, taskName)
  return {
    conditions: unique([...region.conditions, ...candidates.flatMap((t) => net.tasks[t]!.inputs)]),
    tasks: unique([...region.tasks.filter((t) => t !== taskName), ...candidates]),
  }
}

/**
 * The effect of `task`'s cancellation region when it completes (semantics.md §5 step 3): region
 * tasks that are enabled or started are canceled, region conditions holding tokens are emptied,
 * and tasks outside the region that were enabled and whose join no longer holds once those
 * conditions are empty become disabled. The owning task is never canceled by its own region.
 * A task already `disabled`, `completed`, `failed` or `canceled` in the region is left alone.
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
  const tokensAfter = (c: string) => (removed.has(c) ? 0 : view.tokens(c))
  const disabled = unique(emptied.flatMap(({ condition }) => net.conditions[condition]!.outputs)).filter(
    (t) =>
      t !== taskName &&
      !region.tasks.includes(t) &&
      view.taskState(t) === 'enabled' &&
      !isJoinSatisfied(net, t, { tokens: tokensAfter }, orJoin),
  )
  return { canceled, emptied, disabled }
}
