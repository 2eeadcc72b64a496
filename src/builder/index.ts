import { CompositeTaskBuilder } from './compositeTask'
import { DummyTaskBuilder, TaskBuilder } from './task'
import { timerTask } from './timer'
import { WorkflowBuilder } from './workflow'
import { WorkflowActionsBuilder } from './workflowActions'
import { WorkItemActionsBuilder, WorkItemBuilder } from './workItem'

/**
 * The entry point of the DSL. Every builder is immutable.
 *
 * @example
 * const approve = Builder.workItem('approve')
 * const wf = Builder.workflow('review')
 *   .startCondition('start').task('approve', Builder.task(approve)).endCondition('end')
 *   .connectCondition('start', (to) => to.task('approve'))
 *   .connectTask('approve', (to) => to.condition('end'))
 */
export const Builder = {
  workflow: <Name extends string>(name: Name) => WorkflowBuilder.named(name),
  task: TaskBuilder.of,
  dummyTask: () => new DummyTaskBuilder(),
  timerTask,
  compositeTask: CompositeTaskBuilder.of,
  dynamicCompositeTask: CompositeTaskBuilder.dynamic,
  workItem: <Name extends string>(name: Name) =>
    new WorkItemBuilder<Name, {}>({ name, actions: {}, activities: {} }),
  workItemActions: () => new WorkItemActionsBuilder(),
  workflowActions: () => new WorkflowActionsBuilder(),
}

export { CompositeTaskBuilder, DummyTaskBuilder, TaskBuilder, WorkflowActionsBuilder, WorkflowBuilder, WorkItemActionsBuilder, WorkItemBuilder }
