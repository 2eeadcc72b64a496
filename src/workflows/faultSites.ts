import type { TaskDefinition, WorkflowDefinition, WorkItemDefinition } from '../builder/definition'
import { Faults } from '../domain/faults'

/**
 * Fault sites for a workflow built elsewhere. Why: the fault matrix (tests/integration/faults.test.ts)
 * must make the callbacks of the example workflows throw — the order workflow of src/workflows/order.ts
 * first — and those workflows must stay as an application would write them. So instead of editing
 * them, `withFaultSites` takes a built definition and returns a copy whose every callback first runs
 * the original (same arguments, same result) and then calls `Faults.at(mutationCtx, site)`
 * (src/domain/faults.ts), with the site names of the hand-written matrix workflows
 * (src/workflows/faults.ts):
 *
 * - `<workflow>.<callback>`: the workflow's actions (`initialize`, `cancel`) and activities (`onX`);
 * - `<task>.<callback>`: a task's activities, `<task>.policy` and `<task>.route`;
 * - `<task>Item.<callback>`: the actions and activities of the task's work item.
 *
 * Composite tasks' child workflows are wrapped the same way (a recursive hierarchy stays recursive).
 * Only callbacks the definition has are wrapped: a default action or a missing activity stays
 * absent, so the copy behaves exactly as the original when no site is armed. The net, names, action
 * schemas and everything else are the original's, a service work item's declaration (`service`) included, so
 * the copy's payment still calls its provider (its `onLateOutcome` is not a site); the original (frozen) is not
 * touched.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Callback = (ctx: any, payload?: any) => unknown
/** What to put in place of the callback at `site`. */
type Rewrite = (site: string, callback: Callback) => Callback

/** The callback runs, then its site is checked: an armed site throws, any other is recorded as reached. */
const checked: Rewrite = (site, callback) => async (ctx, payload) => {
  const result = await callback(ctx, payload)
  await Faults.at(ctx.mutationCtx, site)
  return result
}

/** A copy of `definition` (and its child workflows) whose every callback also checks its fault site. */
export function withFaultSites(definition: WorkflowDefinition): WorkflowDefinition {
  return rewriteCallbacks(definition, checked)
}

/** Every fault site `withFaultSites(definition)` has, sorted: the callbacks of the whole hierarchy. */
export function faultSitesOf(definition: WorkflowDefinition): string[] {
  const sites = new Set<string>()
  rewriteCallbacks(definition, (site, callback) => {
    sites.add(site)
    return callback
  })
  return [...sites].sort()
}

/** A frozen copy of the hierarchy with each callback replaced by `rewrite(site, callback)`. */
function rewriteCallbacks(root: WorkflowDefinition, rewrite: Rewrite): WorkflowDefinition {
  const copies = new Map<WorkflowDefinition, WorkflowDefinition>()

  const callbacks = <R extends object>(element: string, record: R): R =>
    Object.freeze(
      Object.fromEntries(
        Object.entries(record).map(([name, callback]) => [name, callback && rewrite(`${element}.${name}`, callback as Callback)]),
      ),
    ) as R

  const actions = <R extends WorkflowDefinition['actions'] | WorkItemDefinition['actions']>(element: string, record: R): R =>
    Object.freeze(
      Object.fromEntries(
        Object.entries(record).map(([name, action]) => [
          name,
          action?.callback ? Object.freeze({ ...action, callback: rewrite(`${element}.${name}`, action.callback as Callback) }) : action,
        ]),
      ),
    ) as R

  const workItem = (element: string, item: WorkItemDefinition): WorkItemDefinition =>
    Object.freeze({ ...item, actions: actions(element, item.actions), activities: callbacks(element, item.activities) })

  const task = (name: string, definition: TaskDefinition): TaskDefinition =>
    Object.freeze({
      ...definition,
      activities: callbacks(name, definition.activities),
      policy: definition.policy && (rewrite(`${name}.policy`, definition.policy) as TaskDefinition['policy']),
      route: definition.route && (rewrite(`${name}.route`, definition.route) as TaskDefinition['route']),
      workItem: definition.workItem && workItem(`${name}Item`, definition.workItem),
      childWorkflows:
        definition.childWorkflows &&
        Object.freeze(Object.fromEntries(Object.entries(definition.childWorkflows).map(([child, d]) => [child, workflow(d)]))),
    })

  const workflow = (definition: WorkflowDefinition): WorkflowDefinition => {
    const done = copies.get(definition)
    if (done) return done
    const tasks: Record<string, TaskDefinition> = {}
    const copy: WorkflowDefinition = Object.freeze({
      ...definition,
      actions: actions(definition.name, definition.actions),
      activities: callbacks(definition.name, definition.activities),
      tasks,
    })
    // Registered before the tasks are copied, so a child that is this workflow again refers to the copy.
    copies.set(definition, copy)
    for (const [name, t] of Object.entries(definition.tasks)) tasks[name] = task(name, t)
    Object.freeze(tasks)
    return copy
  }

  return workflow(root)
}
