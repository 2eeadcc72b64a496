import type { GenericDataModel, GenericMutationCtx } from 'convex/server'
import type { GenericId } from 'convex/values'
import type { z } from 'zod/v4'
import type { TaskState, WorkflowState, WorkItemState } from '../net/lifecycle'

/**
 * The contexts the engine passes to actions, activities, policies and route
 * functions. Types only: the runtime (`src/runtime/workflows.ts`, `tasks.ts`,
 * `workItems.ts`) builds the values.
 */

/**
 * Augment this interface in your app to type `mutationCtx` with your data model:
 *
 * ```ts
 * import type { DataModel } from '../convex/_generated/dataModel'
 * declare module 'tasknet' { interface Register { dataModel: DataModel } }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Register {}

/**
 * The app's data model from `Register`. Under `exactOptionalPropertyTypes` a Convex data model with an
 * optional field (`v.optional`) no longer satisfies `GenericDataModel` (Convex's own generated
 * `GenericMutationCtx<DataModel>` only passes because `skipLibCheck` skips it); such a model is
 * intersected with `GenericDataModel`, which keeps every document's fields typed.
 */
export type AppDataModel = Register extends { dataModel: infer D extends GenericDataModel }
  ? D
  : Register extends { dataModel: infer D }
    ? D & GenericDataModel
    : GenericDataModel
export type MutationCtx = GenericMutationCtx<AppDataModel>

export type WorkflowId = GenericId<'tasknet_workflows'>
export type WorkItemId = GenericId<'tasknet_workItems'>
export type ScheduledFunctionId = GenericId<'_scheduled_functions'>

/**
 * Ties a scheduled function to the element whose callback registered it: when
 * that element finishes (completes, fails, is canceled, reset or disabled)
 * the job is canceled if it has not run. Returns the scheduled function's id.
 */
export type RegisterScheduled = (scheduled: Promise<ScheduledFunctionId>) => Promise<ScheduledFunctionId>

export type ParentWorkflow = { workflow: { id: WorkflowId; name: string } }
export type TaskInfo = { name: string; generation: number }

/** Counts of one generation's work items by state. */
export type TaskStats = Record<WorkItemState, number> & { total: number }

/** What a payload argument looks like for an action schema (undefined = default action). */
export type PayloadArgs<S> = [S] extends [z.ZodNever]
  ? [payload?: undefined]
  : [S] extends [z.ZodType]
    ? [payload: z.input<S>]
    : [payload?: Record<string, never>]

/** The payload an action callback receives. */
export type PayloadOf<S> = [S] extends [z.ZodNever] ? undefined : [S] extends [z.ZodType] ? z.output<S> : undefined

export type WorkItemActionName = 'initialize' | 'start' | 'complete' | 'fail' | 'cancel' | 'reset'
// `| undefined`: an app compiled with `exactOptionalPropertyTypes` and `skipLibCheck: false` checks these declarations too.
export type WorkItemSchemas = Partial<Record<WorkItemActionName, z.ZodType | undefined>>

type BaseCtx = { mutationCtx: MutationCtx }

// ---- Work item actions (app → engine) ----

type ActionCtxBase = BaseCtx & {
  /** False when the call came from a public mutation: authenticate the caller here. */
  isInternalMutation: boolean
  parent: ParentWorkflow & { task: TaskInfo }
}

export type WorkItemActionContexts = {
  initialize: ActionCtxBase & {
    workItem: { initialize(): Promise<WorkItemId> }
    /** Available once `workItem.initialize()` has returned. */
    registerScheduled: RegisterScheduled
  }
  start: ActionCtxBase & { workItem: { id: WorkItemId; start(): Promise<void> }; registerScheduled: RegisterScheduled }
  complete: ActionCtxBase & { workItem: { id: WorkItemId; complete(): Promise<void> } }
  fail: ActionCtxBase & { workItem: { id: WorkItemId; fail(): Promise<void> } }
  cancel: ActionCtxBase & { workItem: { id: WorkItemId; cancel(): Promise<void> } }
  reset: ActionCtxBase & { workItem: { id: WorkItemId; reset(): Promise<void> }; registerScheduled: RegisterScheduled }
}

export type WorkItemActionCallback<A extends WorkItemActionName, S> = (
  ctx: WorkItemActionContexts[A],
  payload: PayloadOf<S>,
) => Promise<void> | void

// ---- Work item activities (engine → app) ----

type WorkItemActivityBase = BaseCtx & { parent: ParentWorkflow & { task: TaskInfo } }

export type WorkItemActivities<S extends WorkItemSchemas = WorkItemSchemas> = {
  /** Runs after the initialize action. `workItem.start(payload)` asks the engine to start it next. */
  onInitialized?: (
    ctx: WorkItemActivityBase & {
      workItem: { id: WorkItemId; start(...payload: PayloadArgs<S['start']>): void }
      registerScheduled: RegisterScheduled
    },
  ) => Promise<void> | void
  /** Runs after the start. `workItem.complete / fail / cancel(payload)` asks the engine to finish it next. */
  onStarted?: (
    ctx: WorkItemActivityBase & {
      workItem: {
        id: WorkItemId
        complete(...payload: PayloadArgs<S['complete']>): void
        fail(...payload: PayloadArgs<S['fail']>): void
        cancel(...payload: PayloadArgs<S['cancel']>): void
      }
      registerScheduled: RegisterScheduled
    },
  ) => Promise<void> | void
  onCompleted?: (ctx: WorkItemActivityBase & { workItem: { id: WorkItemId } }) => Promise<void> | void
  onFailed?: (ctx: WorkItemActivityBase & { workItem: { id: WorkItemId } }) => Promise<void> | void
  onCanceled?: (ctx: WorkItemActivityBase & { workItem: { id: WorkItemId } }) => Promise<void> | void
  onReset?: (
    ctx: WorkItemActivityBase & { workItem: { id: WorkItemId }; registerScheduled: RegisterScheduled },
  ) => Promise<void> | void
}

// ---- Task activities, policy, route ----

type TaskActivityBase = BaseCtx & { parent: ParentWorkflow; task: TaskInfo }

/** In a task's active activities: create a work item of this task (runs its initialize action, internally). */
export type WorkItemInitializer<S extends WorkItemSchemas> = {
  initialize(...payload: PayloadArgs<S['initialize']>): Promise<WorkItemId>
}

export type TaskActivities<S extends WorkItemSchemas = WorkItemSchemas> = {
  onEnabled?: (
    ctx: TaskActivityBase & { workItem: WorkItemInitializer<S>; registerScheduled: RegisterScheduled },
  ) => Promise<void> | void
  onDisabled?: (ctx: TaskTeardownContext) => Promise<void> | void
  onStarted?: (
    ctx: TaskActivityBase & { workItem: WorkItemInitializer<S>; registerScheduled: RegisterScheduled },
  ) => Promise<void> | void
  /** Runs on every state change of one of the task's work items, teardown included, before the policy. */
  onWorkItemStateChanged?: (
    ctx: TaskActivityBase & {
      workItem: WorkItemInitializer<S> & { id: WorkItemId; prevState: WorkItemState; nextState: WorkItemState }
      registerScheduled: RegisterScheduled
    },
  ) => Promise<void> | void
  onCompleted?: (ctx: TaskTeardownContext) => Promise<void> | void
  onFailed?: (ctx: TaskTeardownContext) => Promise<void> | void
  onCanceled?: (ctx: TaskTeardownContext) => Promise<void> | void
}

/**
 * A task's teardown activities. `workItem.id` is the generation's most recent work item (for a task
 * with one work item, its work item); reading it when the generation has none throws `INVALID_STATE`.
 */
export type TaskTeardownContext = TaskActivityBase & { workItem: { readonly id: WorkItemId } }

/** A dummy task has no work items, so none of its activities offers `workItem`. */
export type DummyTaskActivities = {
  onEnabled?: (ctx: TaskActivityBase) => Promise<void> | void
  onStarted?: (ctx: TaskActivityBase) => Promise<void> | void
  onCompleted?: (ctx: TaskActivityBase) => Promise<void> | void
}

// ---- Composite tasks (their work is done by child workflows) ----

/** The workflow actions a child workflow declared, by name (`{ initialize?: schema, cancel?: schema }`). */
export type ChildActions = object

/** Starts one child workflow of the task's current generation (its initialize action runs, internally). */
export type ChildInitialize<A> = (
  ...payload: PayloadArgs<A extends { initialize: infer S } ? S : undefined>
) => Promise<WorkflowId>

/**
 * In a composite task's active activities: `workflow.initialize(payload)` starts a child workflow and
 * returns its id; call it as often as needed. A dynamic composite task has one initializer per child
 * workflow type: `workflow.initialize.<childName>(payload)`. An initializer belongs to the generation it
 * was given in; called after the task has moved on to a new generation it throws `STALE_GENERATION`.
 */
export type ChildWorkflowInitializer<Children extends object = Record<string, ChildActions>, Dynamic extends boolean = false> = {
  initialize: Dynamic extends true ? { [K in keyof Children]: ChildInitialize<Children[K]> } : ChildInitialize<Children[keyof Children]>
}

type CompositeActiveCtx<I> = TaskActivityBase & { workflow: I; registerScheduled: RegisterScheduled }

export type CompositeTaskActivities<I = ChildWorkflowInitializer> = {
  onEnabled?: (ctx: CompositeActiveCtx<I>) => Promise<void> | void
  onDisabled?: (ctx: TaskActivityBase) => Promise<void> | void
  onStarted?: (ctx: CompositeActiveCtx<I>) => Promise<void> | void
  /**
   * Runs on every state change of one of the task's child workflows (it starts, completes, fails
   * or is canceled), teardown included, before the policy: the child's own hooks have run already.
   * `workflow.name` is the child's workflow name (for a dynamic composite task, which type it is).
   */
  onWorkflowStateChanged?: (
    ctx: TaskActivityBase & {
      workflow: I & { id: WorkflowId; name: string; prevState: WorkflowState; nextState: WorkflowState }
      registerScheduled: RegisterScheduled
    },
  ) => Promise<void> | void
  onCompleted?: (ctx: TaskActivityBase) => Promise<void> | void
  onFailed?: (ctx: TaskActivityBase) => Promise<void> | void
  onCanceled?: (ctx: TaskActivityBase) => Promise<void> | void
}

export type CompositePolicyContext = BaseCtx & {
  parent: ParentWorkflow
  transition: { prevState: WorkflowState; nextState: WorkflowState }
  /** `getStats()` counts the generation's child workflows by state, of every child type together. */
  task: TaskInfo & { getStats(): Promise<TaskStats> }
  /** The child that changed: its id and workflow name. */
  workflow: { id: WorkflowId; name: string }
}

/** How a composite task reacts when a child workflow completes, fails or is canceled; nothing = the default policy. */
export type CompositePolicy = (ctx: CompositePolicyContext) => Promise<PolicyResult | void> | PolicyResult | void

export type PolicyResult = 'continue' | 'complete' | 'fail'

export type PolicyContext = BaseCtx & {
  parent: ParentWorkflow
  transition: { prevState: WorkItemState; nextState: WorkItemState }
  task: TaskInfo & { getStats(): Promise<TaskStats> }
  workItem: { id: WorkItemId }
}

/** A policy that returns nothing defers to the default policy (docs/semantics.md#policies). */
export type Policy = (ctx: PolicyContext) => Promise<PolicyResult | void> | PolicyResult | void

/** A route target made by `route.toTask(name)` or `route.toCondition(name)`. */
export type RouteTarget<Tasks extends string = string, Conditions extends string = string> =
  | { readonly kind: 'task'; readonly name: Tasks }
  | { readonly kind: 'condition'; readonly name: Conditions }

export type Router<Tasks extends string, Conditions extends string> = {
  toTask(name: Tasks): RouteTarget<Tasks, never>
  toCondition(name: Conditions): RouteTarget<never, Conditions>
}

export type RouteContext<Tasks extends string, Conditions extends string> = BaseCtx & {
  parent: ParentWorkflow
  task: TaskInfo
  route: Router<Tasks, Conditions>
}

export type RouteFunction<Tasks extends string = string, Conditions extends string = string> = (
  ctx: RouteContext<Tasks, Conditions>,
) => Promise<RouteTarget<Tasks, Conditions> | RouteTarget<Tasks, Conditions>[]> | RouteTarget<Tasks, Conditions> | RouteTarget<Tasks, Conditions>[]

// ---- Workflow actions and activities ----

export type WorkflowActionContexts = {
  initialize: BaseCtx & { isInternalMutation: boolean; workflow: { name: string; initialize(): Promise<WorkflowId> } }
  cancel: BaseCtx & { isInternalMutation: boolean; workflow: { id: WorkflowId; name: string; cancel(): Promise<void> } }
}

export type WorkflowActivityContext = BaseCtx & { workflow: { id: WorkflowId; name: string } }

export type WorkflowActivities = {
  onInitialized?: (ctx: WorkflowActivityContext & { registerScheduled: RegisterScheduled }) => Promise<void> | void
  onStarted?: (ctx: WorkflowActivityContext & { registerScheduled: RegisterScheduled }) => Promise<void> | void
  onCompleted?: (ctx: WorkflowActivityContext) => Promise<void> | void
  onFailed?: (ctx: WorkflowActivityContext) => Promise<void> | void
  onCanceled?: (ctx: WorkflowActivityContext) => Promise<void> | void
}

export type { TaskState, WorkflowState, WorkItemState }

// ---- Deadlines (docs/api.md#deadlines-and-timers) ----

/** What a work item's deadline is computed from: the work item just initialized, and its initialize payload. */
export type WorkItemDeadlineContext<S extends WorkItemSchemas = WorkItemSchemas> = BaseCtx & {
  parent: ParentWorkflow & { task: TaskInfo }
  workItem: { id: WorkItemId }
  /** The payload of the initialize action (undefined for a default action). */
  payload: PayloadOf<S['initialize']>
}

/**
 * What an `onExpiry` callback of a work item can do, in the deadline's own step: finish the work item
 * (an `initialized` one is started first for `complete` and `fail`), and offer another work item of the
 * same task — the YAWL deadline-escalation pattern. Each call performs its transition at once, so order
 * them: offer the escalation before canceling the original, or the task's policy may complete the task
 * with no work item left.
 */
export type WorkItemExpiryContext<S extends WorkItemSchemas = WorkItemSchemas> = BaseCtx & {
  parent: ParentWorkflow & { task: TaskInfo }
  workItem: { id: WorkItemId; state: WorkItemState; complete(): Promise<void>; fail(): Promise<void>; cancel(): Promise<void> }
  task: TaskInfo & { initializeWorkItem(...payload: PayloadArgs<S['initialize']>): Promise<WorkItemId> }
  registerScheduled: RegisterScheduled
}

/** What a task's deadline is computed from: the task just enabled, in its new generation. */
export type TaskDeadlineContext = BaseCtx & { parent: ParentWorkflow; task: TaskInfo }

/**
 * What an `onExpiry` callback of a task can do, in the deadline's own step: complete or fail the task
 * (an `enabled` one is fired first: its join consumes its tokens, as when a first work item starts), or
 * offer a work item of it — an escalation, as the work item's own deadline would.
 */
export type TaskExpiryContext<S extends WorkItemSchemas = WorkItemSchemas> = BaseCtx & {
  parent: ParentWorkflow
  task: TaskInfo & { state: TaskState; complete(): Promise<void>; fail(): Promise<void> }
  workItem: WorkItemInitializer<S>
  registerScheduled: RegisterScheduled
}

/** A composite task's `onExpiry` callback: as an atomic task's, with its child initializer instead of a work item's. */
export type CompositeTaskExpiryContext<I = ChildWorkflowInitializer> = Omit<TaskExpiryContext, 'workItem'> & { workflow: I }

/** What a workflow's deadline is computed from: the workflow just initialized, and its initialize payload. */
export type WorkflowDeadlineContext<Initialize = undefined> = BaseCtx & {
  workflow: { id: WorkflowId; name: string }
  payload: PayloadOf<Initialize>
}

/** What an `onExpiry` callback of a workflow can do: look at it and cancel it (top-down, as `onExpiry: 'cancel'`). */
export type WorkflowExpiryContext = BaseCtx & {
  workflow: { id: WorkflowId; name: string; state: WorkflowState; cancel(): Promise<void> }
}
