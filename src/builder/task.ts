import type { JoinType, SplitType, TaskKind } from '../net/definition'
import type { DummyTaskActivities, Policy, TaskActivities, TaskDeadlineContext, TaskExpiryContext, WorkItemSchemas } from './contexts'
import { checkedDeadline, taskExpiryActions, type Deadline, type DeadlineDefinition, type TaskExpiryAction } from './deadline'
import type { Loose, TaskDefinition } from './definition'
import type { WorkItemBuilder } from './workItem'
import type { WorkflowSpec } from './workflow'

/** A task as declared, before the workflow gives it a name and flows. */
export type TaskSpec = {
  readonly kind: TaskKind
  readonly joinType: JoinType
  readonly splitType: SplitType
  readonly activities: TaskDefinition['activities']
  readonly policy: Loose<Policy> | undefined
  readonly workItem: WorkItemBuilder | undefined
  /**
   * A composite task's child workflows: one, or (dynamic) several, chosen at run time. Each is read
   * when the workflow is built, not when the task is declared, so a workflow can be its own child.
   */
  readonly children?: ReadonlyArray<() => WorkflowSpec>
  /** A dynamic composite task: one initializer per child type (`workflow.initialize.<name>`). */
  readonly dynamic?: boolean
  readonly deadline?: DeadlineDefinition
}

const defaults = { joinType: 'and', splitType: 'and', activities: {}, policy: undefined } as const

/**
 * An atomic task: does its work through work items of one kind.
 *
 * @example
 * Builder.task(approveWorkItem)
 *   .withSplitType('xor')
 *   .withActivities({ onEnabled: async ({ workItem }) => { await workItem.initialize() } })
 */
export class TaskBuilder<S extends WorkItemSchemas = WorkItemSchemas, W extends string = string> {
  /** Type-level only: the work item this task runs, so `workflowApi` can type its payloads. */
  declare readonly workItemType: { name: W; schemas: S }

  /** @internal */
  constructor(readonly spec: TaskSpec) {}

  static of<Name extends string, S extends WorkItemSchemas>(workItem: WorkItemBuilder<Name, S, boolean>): TaskBuilder<S, Name> {
    return new TaskBuilder<S, Name>({
      ...defaults,
      kind: 'atomic',
      workItem: workItem as unknown as WorkItemBuilder,
    })
  }

  private patch(patch: Partial<TaskSpec>): TaskBuilder<S, W> {
    return new TaskBuilder<S, W>({ ...this.spec, ...patch })
  }

  /** How the task produces tokens when it completes (default `'and'`). XOR and OR need a route. */
  withSplitType(splitType: SplitType): TaskBuilder<S, W> {
    return this.patch({ splitType })
  }
  /** How the task is enabled by its inputs (default `'and'`). */
  withJoinType(joinType: JoinType): TaskBuilder<S, W> {
    return this.patch({ joinType })
  }
  /** Adds activities; a later call overrides an activity of the same name. */
  withActivities(activities: TaskActivities<S>): TaskBuilder<S, W> {
    return this.patch({ activities: { ...this.spec.activities, ...(activities as TaskSpec['activities']) } })
  }
  /**
   * Decides how the task reacts when one of its work items completes, fails or
   * is canceled: `'continue'`, `'complete'` or `'fail'`; returning nothing
   * applies the default policy.
   *
   * @example
   * .withPolicy(async ({ transition, task }) => transition.nextState === 'completed' ? 'complete' : undefined)
   */
  withPolicy(policy: Policy): TaskBuilder<S, W> {
    return this.patch({ policy: policy as Loose<Policy> })
  }
  /**
   * Gives each generation of the task a deadline, counted from its enabling, and what happens when it
   * passes before the task ends: `'complete'` (its open work items are canceled and its split produces,
   * as when the policy completes it), `'fail'` (as a failure the policy let through), or a callback. An
   * `enabled` task is fired first. A loop's next generation gets a deadline of its own. A later call
   * replaces it. Refuses a bad deadline with `INVALID_DEFINITION`.
   *
   * @example
   * Builder.task(quoteWorkItem).deadline({ after: 2 * DAY, onExpiry: 'complete' }) // go on with the quotes in by then
   */
  deadline(deadline: Deadline<TaskDeadlineContext, TaskExpiryAction, TaskExpiryContext<S>>): TaskBuilder<S, W> {
    return this.patch({ deadline: checkedDeadline(deadline as DeadlineDefinition, `the task of work item '${this.spec.workItem?.spec.name}'`, taskExpiryActions) })
  }
}

/**
 * A task with no work: it fires as soon as it is enabled. Used to join, split
 * or route without anyone doing anything.
 *
 * @example
 * Builder.dummyTask().withJoinType('xor').withSplitType('and')
 */
export class DummyTaskBuilder {
  /** @internal */
  constructor(readonly spec: TaskSpec = { ...defaults, kind: 'dummy', workItem: undefined }) {}

  private patch(patch: Partial<TaskSpec>): DummyTaskBuilder {
    return new DummyTaskBuilder({ ...this.spec, ...patch })
  }
  withSplitType(splitType: SplitType): DummyTaskBuilder {
    return this.patch({ splitType })
  }
  withJoinType(joinType: JoinType): DummyTaskBuilder {
    return this.patch({ joinType })
  }
  withActivities(activities: DummyTaskActivities): DummyTaskBuilder {
    return this.patch({ activities: { ...this.spec.activities, ...(activities as TaskSpec['activities']) } })
  }
}


/** The work items a task contributes to its workflow's API types: `{ [workItemName]: schemas }`. */
export type WorkItemsOf<T> = T extends { readonly workItemType: { name: infer W extends string; schemas: infer S } }
  ? Record<W, S>
  : T extends { readonly childWorkItems: infer C extends object }
    ? C
    : {}

/** The child workflows a composite task contributes to its workflow's API types: `{ [workflowName]: actions }`. */
export type ChildWorkflowsOf<T> = T extends { readonly childWorkflows: infer C extends object } ? C : {}
