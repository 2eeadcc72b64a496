import type { WorkItemDeadlineContext } from './contexts'
import type { DeadlineTime } from './deadline'
import { TaskBuilder } from './task'
import { WorkItemBuilder } from './workItem'

/**
 * A timer task (YAWL's timer on a task): when it is enabled it offers one `timer` work item whose
 * deadline completes it, after a delay or at a computed instant. Its inputs and split are an atomic
 * task's, so it can race a person's task in a deferred choice or pause a sequence.
 *
 * @example
 * .task('coolOff', Builder.timerTask({ after: 60_000 }))
 * .task('remind', Builder.timerTask({ at: async ({ mutationCtx }) => (await Orders.get(mutationCtx)).dueAt }))
 */
export function timerTask(when: DeadlineTime<WorkItemDeadlineContext<{}>>): TaskBuilder<{}, 'timer'> {
  const timer = new WorkItemBuilder<'timer', {}>({ name: 'timer', actions: {}, activities: {} }).deadline({ ...when, onExpiry: 'complete' })
  return TaskBuilder.of(timer).withActivities({
    onEnabled: async ({ workItem }) => {
      await workItem.initialize()
    },
  })
}
