import type { FunctionReference } from 'convex/server'
import { ActivityLog } from '../../src/domain/activityLog'
import type { Backend, driver, WorkItemView } from './harness'

/**
 * Drives the instances of a multiple-instance task: the harness's driver acts
 * on a task's newest work item, these act on one chosen work item (by its
 * position among the task's work items, in creation order).
 */

type InstanceFunctions = {
  internalInitializeWorkItem: FunctionReference<'mutation', 'internal'>
  internalStartWorkItem: FunctionReference<'mutation', 'internal'>
  internalCompleteWorkItem: FunctionReference<'mutation', 'internal'>
  internalFailWorkItem: FunctionReference<'mutation', 'internal'>
  internalCancelWorkItem: FunctionReference<'mutation', 'internal'>
}

export type InstanceAction = 'start' | 'complete' | 'fail' | 'cancel'

export function instances(t: Backend, fns: InstanceFunctions, wf: ReturnType<typeof driver>, taskName: string) {
  const fn = {
    start: fns.internalStartWorkItem,
    complete: fns.internalCompleteWorkItem,
    fail: fns.internalFailWorkItem,
    cancel: fns.internalCancelWorkItem,
  }
  const d = {
    /** The task's work items, in creation order. */
    all: (): Promise<WorkItemView[]> => wf.workItems(taskName),
    /** The `index`-th work item of the task (0-based, creation order). */
    async nth(index: number): Promise<WorkItemView> {
      const item = (await d.all())[index]
      if (!item) throw new Error(`task '${taskName}' has no work item #${index}`)
      return item
    },
    /** Performs `action` on the `index`-th work item. */
    async act(action: InstanceAction, index: number, payload?: unknown): Promise<void> {
      const item = await d.nth(index)
      await t.mutation(fn[action] as any, { workItemId: item._id, args: { name: item.name, ...(payload === undefined ? {} : { payload }) } })
    },
    /** Adds an instance from outside: `initializeWorkItem` on the task. */
    add: (): Promise<unknown> =>
      t.mutation(fns.internalInitializeWorkItem as any, { target: { workflowId: wf.workflowId, taskName }, args: { name: taskName } }),
  }
  return d
}

/** Returns the activity log and empties it. */
export const drain = (t: Backend): Promise<string[]> => t.run((ctx) => ActivityLog.drain(ctx))
