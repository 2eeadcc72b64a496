import { CancellationRegionBuilder, type CancellationRegionSpec } from './cancellationRegion'
import type { WorkflowActivities, WorkflowDeadlineContext, WorkflowExpiryContext } from './contexts'
import { checkedDeadline, workflowExpiryActions, type Deadline, type DeadlineDefinition, type WorkflowExpiryAction } from './deadline'
import type { ActionDefinition, WorkflowDefinition } from './definition'
import { ConditionFlowBuilder, TaskFlowBuilder, type FlowSpec } from './flow'
import type { ChildWorkflowsOf, TaskSpec, WorkItemsOf } from './task'
import { compileWorkflow } from './compile'
import type { WorkflowActionsBuilder } from './workflowActions'

/**
 * What a workflow builder has accumulated in its type: its own name, declared
 * names as literal unions, the schemas of each work item by name (its own and
 * those of every workflow below its composite tasks), the workflow's action
 * schemas, and the workflows below it by name with their action schemas.
 * `workflowApi` turns work items, actions and workflows into client types.
 */
export type Names = {
  name: string
  conditions: string
  /** The implicit conditions of task-to-task flows, `from__to__to` (read by `getMarking`; not nameable in the Builder). */
  implicitConditions: string
  tasks: string
  workItems: object
  actions: object
  workflows: object
}
type AddCondition<N extends Names, C extends string> = Omit<N, 'conditions'> & { conditions: N['conditions'] | C }
type AddTask<N extends Names, T extends string, WI, CW = {}> = Omit<N, 'tasks' | 'workItems' | 'workflows'> & {
  tasks: N['tasks'] | T
  workItems: N['workItems'] & WI
  workflows: N['workflows'] & CW
}
type AddImplicit<N extends Names, C extends string> = Omit<N, 'implicitConditions'> & { implicitConditions: N['implicitConditions'] | C }
type SetActions<N extends Names, A> = Omit<N, 'actions'> & { actions: A }

/** A name not used yet; a reused name turns into a type error at the call. */
type Fresh<N extends Names, X extends string> = X extends N['conditions'] | N['tasks'] ? never : X

export type WorkflowSpec = {
  readonly name: string
  readonly startCondition: string | undefined
  readonly endCondition: string | undefined
  /** Explicit conditions in declaration order, start and end included. */
  readonly conditions: readonly string[]
  readonly tasks: ReadonlyArray<{ readonly name: string; readonly task: TaskSpec }>
  /** Flows in declaration order, so a task's inputs keep the order their flows were declared in. */
  readonly flows: ReadonlyArray<{ readonly kind: 'condition' | 'task'; readonly from: string; readonly flow: FlowSpec }>
  /** Cancellation regions in declaration order, each with the task that owns it. */
  readonly cancellationRegions: ReadonlyArray<{ readonly task: string; readonly region: CancellationRegionSpec }>
  readonly actions: Readonly<Partial<Record<'initialize' | 'cancel', ActionDefinition>>>
  readonly activities: WorkflowDefinition['activities']
  readonly deadline?: DeadlineDefinition
}

/**
 * Declares a workflow net: conditions, tasks and the flows between them.
 * Immutable: every method returns a new builder. Names accumulate in the type,
 * so connecting or routing to an undeclared name does not compile.
 *
 * @example
 * Builder.workflow('review')
 *   .startCondition('start').task('write', writeTask).task('check', checkTask).endCondition('end')
 *   .connectCondition('start', (to) => to.task('write'))
 *   .connectTask('write', (to) => to.task('check'))
 *   .connectTask('check', (to) => to.condition('end'))
 */
export type EmptyNames<Name extends string = string> = {
  name: Name
  conditions: never
  implicitConditions: never
  tasks: never
  workItems: {}
  actions: {}
  workflows: {}
}

export class WorkflowBuilder<N extends Names = EmptyNames> {
  /** @internal */
  constructor(readonly spec: WorkflowSpec) {}

  static named<Name extends string>(name: Name): WorkflowBuilder<EmptyNames<Name>> {
    return new WorkflowBuilder<EmptyNames<Name>>({
      name,
      startCondition: undefined,
      endCondition: undefined,
      conditions: [],
      tasks: [],
      flows: [],
      cancellationRegions: [],
      actions: {},
      activities: {},
    })
  }

  private patch<N2 extends Names = N>(patch: Partial<WorkflowSpec>): WorkflowBuilder<N2> {
    return new WorkflowBuilder<N2>({ ...this.spec, ...patch })
  }

  /** The condition that receives the token when the workflow is initialized. */
  startCondition<C extends string>(name: Fresh<N, C>): WorkflowBuilder<AddCondition<N, C>> {
    return this.patch({ startCondition: name, conditions: [...this.spec.conditions, name] })
  }
  /** The condition whose marking completes the workflow. */
  endCondition<C extends string>(name: Fresh<N, C>): WorkflowBuilder<AddCondition<N, C>> {
    return this.patch({ endCondition: name, conditions: [...this.spec.conditions, name] })
  }
  /** An explicit condition (a place), e.g. where a deferred choice or a loop meets. */
  condition<C extends string>(name: Fresh<N, C>): WorkflowBuilder<AddCondition<N, C>> {
    return this.patch({ conditions: [...this.spec.conditions, name] })
  }

  /** An atomic task made with `Builder.task(workItem)`. */
  task<T extends string, B extends { readonly spec: TaskSpec }>(name: Fresh<N, T>, task: B): WorkflowBuilder<AddTask<N, T, WorkItemsOf<B>>> {
    return this.patch({ tasks: [...this.spec.tasks, { name, task: task.spec }] })
  }
  /**
   * A composite task made with `Builder.compositeTask(childWorkflow)` or
   * `Builder.dynamicCompositeTask([a, b])`: its work is done by child workflows.
   */
  compositeTask<T extends string, B extends { readonly spec: TaskSpec; readonly childWorkItems: object; readonly childWorkflows: object }>(
    name: Fresh<N, T>,
    task: B,
  ): WorkflowBuilder<AddTask<N, T, WorkItemsOf<B>, ChildWorkflowsOf<B>>> {
    return this.patch({ tasks: [...this.spec.tasks, { name, task: task.spec }] })
  }
  /** A task with no work, made with `Builder.dummyTask()`. */
  dummyTask<T extends string>(name: Fresh<N, T>, task: { readonly spec: TaskSpec }): WorkflowBuilder<AddTask<N, T, {}>> {
    return this.patch({ tasks: [...this.spec.tasks, { name, task: task.spec }] })
  }

  /** The flows out of a condition, to tasks. */
  connectCondition(
    name: N['conditions'],
    flows: (to: ConditionFlowBuilder<N['tasks']>) => ConditionFlowBuilder<N['tasks']>,
  ): WorkflowBuilder<N> {
    const flow = flows(new ConditionFlowBuilder<N['tasks']>()).spec
    return this.patch({ flows: [...this.spec.flows, { kind: 'condition', from: name, flow }] })
  }

  /** The flows out of a task, to tasks or conditions, with a route for an XOR- or OR-split. */
  connectTask<From extends N['tasks'], TT extends string, TC extends string>(
    name: From,
    flows: (to: TaskFlowBuilder<N['tasks'], N['conditions']>) => TaskFlowBuilder<N['tasks'], N['conditions'], TT, TC>,
  ): WorkflowBuilder<AddImplicit<N, `${From}__to__${TT}`>> {
    const flow = flows(new TaskFlowBuilder<N['tasks'], N['conditions']>()).spec
    return this.patch({ flows: [...this.spec.flows, { kind: 'task', from: name, flow }] })
  }

  /**
   * The cancellation region of a task (YAWL's cancellation set, WCP-19/WCP-25):
   * when `name` completes, after its `onCompleted` and before its split
   * produces (docs/semantics.md#cancellation-regions), the region's tasks that are enabled or
   * started are canceled (teardown: their work items canceled, `onCanceled`
   * runs, no policy is asked), the region's conditions are emptied, and tasks
   * outside the region that lose their enabling become disabled. Only declared
   * task and condition names compile; implicit (task-to-task) conditions
   * cannot be named, so put an explicit condition where a token must be removed.
   * The owning task may be listed; it is completing, so it is not canceled.
   * One call per task.
   *
   * @example
   * .withCancellationRegion('decide', (r) => r.task('pack').task('label').condition('picked'))
   */
  withCancellationRegion(
    name: N['tasks'],
    region: (r: CancellationRegionBuilder<N['tasks'], N['conditions']>) => CancellationRegionBuilder<N['tasks'], N['conditions']>,
  ): WorkflowBuilder<N> {
    const spec = region(new CancellationRegionBuilder<N['tasks'], N['conditions']>()).spec
    return this.patch({ cancellationRegions: [...this.spec.cancellationRegions, { task: name, region: spec }] })
  }

  /** The workflow's initialize and cancel actions. */
  withActions<A extends object>(actions: WorkflowActionsBuilder<A>): WorkflowBuilder<SetActions<N, A>> {
    return this.patch({ actions: actions.spec })
  }

  /** Adds activities; a later call overrides an activity of the same name. */
  withActivities(activities: WorkflowActivities): WorkflowBuilder<N> {
    return this.patch({ activities: { ...this.spec.activities, ...(activities as WorkflowSpec['activities']) } })
  }

  /**
   * Gives each instance of the workflow a deadline, counted from its initialization, and what happens
   * when it passes before the workflow ends: `'cancel'` (top-down, as a cancel: every active task and
   * work item is canceled; a child workflow then tells its composite task, whose policy decides), or a
   * callback. A workflow fails only through a task's failure, so `'fail'` is not offered. Declare it after
   * `withActions`: `payload` is typed by the initialize schema. A later call replaces it.
   *
   * @example
   * Builder.workflow('order')...deadline({ after: 7 * DAY, onExpiry: 'cancel' })
   */
  deadline(
    deadline: Deadline<WorkflowDeadlineContext<N['actions'] extends { initialize: infer I } ? I : undefined>, WorkflowExpiryAction, WorkflowExpiryContext>,
  ): WorkflowBuilder<N> {
    return this.patch({ deadline: checkedDeadline(deadline as DeadlineDefinition, `workflow '${this.spec.name}'`, workflowExpiryActions) })
  }

  /**
   * Checks the definition and returns it as frozen data. Throws a
   * `ConvexError` with code `INVALID_DEFINITION` listing every problem and how
   * to fix it. `workflowApi` calls this, so a broken workflow fails at module load.
   * The definition carries the builder's names in its type (only there), so
   * `workflowApi(definition)` and the read helpers stay typed by them.
   */
  build(): WorkflowDefinition<N> {
    return compileWorkflow(this.spec) as WorkflowDefinition<N>
  }
}

