import type { JoinType, SplitType } from '../net/definition'
import type { CompositePolicy, CompositeTaskActivities } from './contexts'
import type { Loose } from './definition'
import type { TaskSpec } from './task'
import type { Names, WorkflowBuilder } from './workflow'

/**
 * A composite task: its work is done by child workflows of one definition.
 * Its activities start them with `workflow.initialize(payload)`; it starts
 * when its first child starts, and its policy (`onWorkflowStateChanged` runs
 * first) decides when a child completes, fails or is canceled. The default
 * policy is a task's: complete once every child of the generation is final,
 * fail when one fails.
 *
 * @example
 * Builder.compositeTask(packingWorkflow).withActivities({
 *   onEnabled: async ({ workflow }) => { await workflow.initialize() },
 * })
 */
export class CompositeTaskBuilder<WI extends object = {}> {
  /** Type-level only: the child workflow's work items, which the root's functions drive too. */
  declare readonly childWorkItems: WI

  /** @internal */
  constructor(readonly spec: TaskSpec) {}

  static of<C extends Names>(child: WorkflowBuilder<C>): CompositeTaskBuilder<C['workItems']> {
    return new CompositeTaskBuilder<C['workItems']>({
      kind: 'composite',
      joinType: 'and',
      splitType: 'and',
      activities: {},
      policy: undefined,
      workItem: undefined,
      child,
    })
  }

  private patch(patch: Partial<TaskSpec>): CompositeTaskBuilder<WI> {
    return new CompositeTaskBuilder<WI>({ ...this.spec, ...patch })
  }
  withSplitType(splitType: SplitType): CompositeTaskBuilder<WI> {
    return this.patch({ splitType })
  }
  withJoinType(joinType: JoinType): CompositeTaskBuilder<WI> {
    return this.patch({ joinType })
  }
  /** Adds activities; a later call overrides an activity of the same name. */
  withActivities(activities: CompositeTaskActivities): CompositeTaskBuilder<WI> {
    return this.patch({ activities: { ...this.spec.activities, ...(activities as TaskSpec['activities']) } })
  }
  /** How the task reacts when a child workflow completes, fails or is canceled (nothing = the default policy). */
  withPolicy(policy: CompositePolicy): CompositeTaskBuilder<WI> {
    return this.patch({ policy: policy as unknown as TaskSpec['policy'] as Loose<CompositePolicy> as never })
  }
}
