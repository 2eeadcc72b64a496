import type { NetDefinition } from './definition'
import type { Footprint, NetView } from './semantics'

/**
 * The cancellation region (docs/semantics.md#cancellation-regions), as pure data: what a
 * completing task's region cancels, withdraws and empties. Nothing here touches a database; the
 * runtime applies the result in `exitTask` (src/runtime/tasks.ts), the interpreter in `exitTask`
 * (interpreter.ts). Whatever the region changes for tasks outside it, settling decides next.
 *
 * A region task is WITHDRAWN: the tokens in its IMPLICIT input conditions (the task-to-task flows
 * into it, which exist only to enable it) are removed, whatever its state, and if it is enabled or
 * started it is canceled with its open work. So an AND-join in the region keeps no half of its
 * tokens, and the OR-join analysis can model the region as reset arcs on exactly those conditions.
 * Its explicit input conditions are emptied only when the region names them; if its join still
 * holds on them, settling enables it again in a new generation.
 */

export type CancellationEffects = {
  /** Region tasks that are `enabled` or `started`, in region order: they are canceled (teardown, no policy). */
  canceled: string[]
  /** Region conditions that hold tokens, with the tokens removed: each is emptied. */
  emptied: Array<{ condition: string; tokens: number }>
  /**
   * The implicit input conditions of the region's tasks (the owner's excepted) that hold tokens,
   * with the tokens removed: each is emptied too. In region order, then each task's input order; a
   * condition already in `emptied` (a flow the region names) is not listed again.
   */
  withdrawn: Array<{ condition: string; tokens: number }>
}

const none: CancellationEffects = Object.freeze({ canceled: [], emptied: [], withdrawn: [] }) as CancellationEffects

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

/** The implicit input conditions of `task`: the task-to-task flows into it, in input order. */
export function implicitInputsOf(net: NetDefinition, task: string): string[] {
  return unique(net.tasks[task]!.inputs.filter((c) => net.conditions[c]!.implicit))
}

/** The region's tasks other than its owner, which is completing and is never canceled by it. */
function regionTasksOf(net: NetDefinition, taskName: string): string[] {
  return (regionOf(net, taskName)?.tasks ?? []).filter((t) => t !== taskName)
}

/**
 * What `cancellationEffects` needs loaded: the region's tasks and conditions and the implicit
 * inputs of the region's tasks. Empty for a task without a region.
 */
export function cancellationFootprint(net: NetDefinition, taskName: string): Footprint {
  const region = regionOf(net, taskName)
  if (!region) return { conditions: [], tasks: [] }
  const tasks = regionTasksOf(net, taskName)
  return { conditions: unique([...region.conditions, ...tasks.flatMap((t) => implicitInputsOf(net, t))]), tasks }
}

/**
 * The effect of `task`'s cancellation region when it completes (exit step 2): region tasks that
 * are enabled or started are canceled, the implicit inputs of every region task are emptied
 * (`withdrawn`), and region conditions holding tokens are emptied. The owning task is never
 * canceled by its own region.
 */
export function cancellationEffects(net: NetDefinition, view: NetView, taskName: string): CancellationEffects {
  const region = regionOf(net, taskName)
  if (!region) return none
  const tasks = regionTasksOf(net, taskName)
  const canceled = tasks.filter((t) => {
    const state = view.taskState(t)
    return state === 'enabled' || state === 'started'
  })
  const marked = (condition: string) => ({ condition, tokens: view.tokens(condition) })
  const emptied = region.conditions.map(marked).filter(({ tokens }) => tokens > 0)
  const named = new Set(region.conditions)
  const withdrawn = unique(tasks.flatMap((t) => implicitInputsOf(net, t)))
    .filter((c) => !named.has(c))
    .map(marked)
    .filter(({ tokens }) => tokens > 0)
  return { canceled, emptied, withdrawn }
}
