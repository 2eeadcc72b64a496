import type { JoinType, SplitType } from '../net/definition'
import type { ChildWorkflowInitializer, CompositePolicy, CompositeTaskActivities, CompositeTaskExpiryContext, TaskDeadlineContext } from './contexts'
import { checkedDeadline, taskExpiryActions, type Deadline, type DeadlineDefinition, type TaskExpiryAction } from './deadline'
import type { Loose } from './definition'
import type { TaskSpec } from './task'
import type { Names, WorkflowBuilder } from './workflow'

/** `A | B` → `A & B`: the work items and workflows of several child types together. */
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never

/**
 * A child workflow's contribution to its parent's types: its name with its action schemas, task
 * names and condition names (explicit and implicit), and the workflows below it.
 */
type ChildWorkflowsOf<C extends Names> = Record<
  C['name'],
  { actions: C['actions']; tasks: C['tasks']; conditions: C['conditions'] | C['implicitConditions'] }
> &
  C['workflows']

/**
 * A child workflow as a composite task takes it: its builder, or a function returning it. The function
 * is called when the parent is built, so a workflow can name itself (or an ancestor) as its child:
 * recursion, WCP-22. Give such a function a return type, `(): AnyWorkflowBuilder => thisWorkflow`,
 * since TypeScript cannot infer a type that refers to itself; the child's names are then untyped.
 */
export type ChildWorkflow<C extends Names> = WorkflowBuilder<C> | (() => WorkflowBuilder<C>)

/** A workflow builder whose names are not tracked: the return type of a lazy, recursive child. */
export type AnyWorkflowBuilder = WorkflowBuilder<Names>

type BuilderNames<B> = B extends ChildWorkflow<infer C> ? C : never

/** Per child of a union (distributive): its work items, its workflows, its actions by name. */
type WorkItemsOfChild<B> = B extends unknown ? BuilderNames<B>['workItems'] : never
type WorkflowsOfChild<B> = B extends unknown ? ChildWorkflowsOf<BuilderNames<B>> : never
type ActionsOfChild<B> = B extends unknown ? Record<BuilderNames<B>['name'], BuilderNames<B>['actions']> : never

/**
 * A composite task: its work is done by child workflows. `Builder.compositeTask(child)` starts children
 * of one definition; `Builder.dynamicCompositeTask([a, b])` of several, chosen at run time. Its
 * activities start them with `workflow.initialize(payload)` (dynamic: `workflow.initialize.<name>(payload)`);
 * it starts when its first child starts, and its policy (`onWorkflowStateChanged` runs first) decides when
 * a child completes, fails or is canceled. The default policy is a task's: complete once every child of
 * the generation is final, fail when one fails.
 *
 * `WI` are the work items of every workflow below the task (the root's functions drive them), `CW` its
 * child workflows by name with their actions (typing `initializeWorkflow` and `cancelWorkflow`), `I` the
 * initializer its activities get.
 *
 * @example
 * Builder.compositeTask(packingWorkflow).withActivities({
 *   onEnabled: async ({ workflow }) => { await workflow.initialize() },
 * })
 */
export class CompositeTaskBuilder<WI extends object = {}, CW extends object = {}, I = ChildWorkflowInitializer> {
  /** Type-level only: the work items of the workflows below this task, which the root's functions drive too. */
  declare readonly childWorkItems: WI
  /** Type-level only: the workflows below this task by name, with their action schemas. */
  declare readonly childWorkflows: CW

  /** @internal */
  constructor(readonly spec: TaskSpec) {}

  static of<C extends Names>(
    child: ChildWorkflow<C>,
  ): CompositeTaskBuilder<C['workItems'], ChildWorkflowsOf<C>, ChildWorkflowInitializer<Record<C['name'], C['actions']>>> {
    return new CompositeTaskBuilder(compositeSpec([child], false))
  }

  /**
   * A dynamic composite task: children of any of `children`'s definitions, chosen at run time, one
   * initializer per child type (`workflow.initialize.<childName>(payload)`, typed by that child's
   * initialize schema). Its stats and policy count every child of the generation, whatever its type.
   */
  static dynamic<const Cs extends readonly [ChildWorkflow<Names>, ...ChildWorkflow<Names>[]]>(
    children: Cs,
  ): CompositeTaskBuilder<
    UnionToIntersection<WorkItemsOfChild<Cs[number]>> & {},
    UnionToIntersection<WorkflowsOfChild<Cs[number]>> & {},
    ChildWorkflowInitializer<UnionToIntersection<ActionsOfChild<Cs[number]>> & {}, true>
  > {
    return new CompositeTaskBuilder(compositeSpec(children, true))
  }

  private patch(patch: Partial<TaskSpec>): CompositeTaskBuilder<WI, CW, I> {
    return new CompositeTaskBuilder<WI, CW, I>({ ...this.spec, ...patch })
  }
  withSplitType(splitType: SplitType): CompositeTaskBuilder<WI, CW, I> {
    return this.patch({ splitType })
  }
  withJoinType(joinType: JoinType): CompositeTaskBuilder<WI, CW, I> {
    return this.patch({ joinType })
  }
  /** Adds activities; a later call overrides an activity of the same name. */
  withActivities(activities: CompositeTaskActivities<I>): CompositeTaskBuilder<WI, CW, I> {
    return this.patch({ activities: { ...this.spec.activities, ...(activities as TaskSpec['activities']) } })
  }
  /**
   * Gives each generation a deadline, counted from its enabling, as `Builder.task(...).deadline` does:
   * `'complete'` cancels its running children top-down and its split produces; `'fail'` fails it; a
   * callback may also start children (`workflow.initialize`).
   *
   * @example
   * Builder.compositeTask(packingWorkflow).deadline({ after: 4 * HOUR, onExpiry: 'fail' })
   */
  deadline(deadline: Deadline<TaskDeadlineContext, TaskExpiryAction, CompositeTaskExpiryContext<I>>): CompositeTaskBuilder<WI, CW, I> {
    return this.patch({ deadline: checkedDeadline(deadline as DeadlineDefinition, 'a composite task', taskExpiryActions) })
  }
  /** How the task reacts when a child workflow completes, fails or is canceled (nothing = the default policy). */
  withPolicy(policy: CompositePolicy): CompositeTaskBuilder<WI, CW, I> {
    // The spec stores one widened policy type for every task kind; the runtime calls it with a composite context.
    return this.patch({ policy: policy as Loose<CompositePolicy> as TaskSpec['policy'] })
  }
}

function compositeSpec(children: readonly ChildWorkflow<Names>[], dynamic: boolean): TaskSpec {
  return {
    kind: 'composite',
    joinType: 'and',
    splitType: 'and',
    activities: {},
    policy: undefined,
    workItem: undefined,
    // Resolved only when the parent is built: a lazy child may not exist yet when the task is declared.
    children: children.map((child) => () => (typeof child === 'function' ? child() : child).spec),
    dynamic,
  }
}
