import type { RegisterScheduled, ScheduledFunctionId } from '../builder/contexts'
import { engineDb } from './dataModel'
import type { Step } from './step'
import type { TaskRecord, WorkflowId, WorkItemId } from './store'

/**
 * Scheduled functions tied to elements (docs/semantics.md#activities-actions-and-triggers). A job registered
 * with `registerScheduled` is canceled when its element finishes, if it has
 * not run by then.
 */

export const elementKey = {
  workflow: (id: WorkflowId) => `workflow:${id}`,
  task: (task: TaskRecord) => `task:${task.workflowId}:${task.name}:${task.generation}`,
  workItem: (id: WorkItemId) => `workItem:${id}`,
  /**
   * A work item's deadline, kept apart from its other jobs: a reset cancels those (they belonged to the
   * start) but not the deadline, which counts from the initialization; only the work item's end cancels it.
   */
  workItemDeadline: (id: WorkItemId) => `workItem:${id}:deadline`,
}

/** Handed to app code, so guarded: a failure fails the step even if the app catches it (`Step.guard`). */
export function registerScheduledFor(step: Step, workflowId: WorkflowId, element: string): RegisterScheduled {
  return step.guard(async (scheduled: Promise<ScheduledFunctionId>) => {
    const scheduledId = await scheduled
    await engineDb(step.ctx).insert('tasknet_scheduledJobs', { workflowId, element, scheduledId })
    step.journal.record(workflowId, { kind: 'jobRegistered', element, scheduledId })
    return scheduledId
  })
}

/** Called when an element finishes: cancels its jobs that are still pending and forgets them all. */
export async function cancelScheduledFor(step: Step, element: string): Promise<void> {
  const db = engineDb(step.ctx)
  const jobs = await db
    .query('tasknet_scheduledJobs')
    .withIndex('by_element', (q) => q.eq('element', element))
    .collect()
  for (const job of jobs) {
    const scheduled = await db.system.get(job.scheduledId)
    const canceled = scheduled?.state.kind === 'pending'
    if (canceled) await step.ctx.scheduler.cancel(job.scheduledId)
    await db.delete(job._id)
    step.journal.record(job.workflowId, { kind: 'jobForgotten', element, scheduledId: job.scheduledId, canceled })
  }
}
