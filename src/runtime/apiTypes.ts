import type { RegisteredAction, RegisteredMutation, RegisteredQuery } from 'convex/server'
import type { z } from 'zod/v4'
import type { WorkflowId, WorkItemId } from '../builder/contexts'
import type { Names } from '../builder/workflow'
import type { TaskState } from '../net/lifecycle'
import type { ChildWorkflowSummary, WorkflowSummary, WorkItemSummary } from './queries'
import type { EventPage, WorkflowAt } from './events'
import type { JournalChange } from '../journal/changes'
import type { Metrics, WorkflowMetrics } from './observers/metrics'
import type { ServiceCallSummary } from './services/calls'
import type { ServiceAttempt, ServiceCompletion, ServiceRunArgs } from './services/options'
import type { Applying, ServiceWorkItems } from './services/define'

/**
 * The client types of a workflow's generated functions: payloads typed by the
 * zod schemas declared in the Builder, and `args` discriminated by the work
 * item's name. On the server the same payloads are validated by those schemas.
 */

/** The payload field for an action schema; a default action (no schema) takes no payload. */
type PayloadField<S> = [S] extends [z.ZodNever]
  ? { payload?: undefined }
  : [S] extends [z.ZodType]
    ? { payload: z.input<S> }
    : { payload?: Record<string, never> }

/** Flattens an intersection into one object type, as editors and type tests read it. */
type Simplify<T> = { [K in keyof T]: T[K] } & {}

type SchemaOf<X, A extends string> = X extends { [K in A]: infer Z } ? Z : undefined

/**
 * `{ name, payload }` for every element of `ByName` (work items by name with their schemas, or child
 * workflows by name with their action schemas), discriminated by `name`; `payload` typed by action `A`.
 */
type NamedArgs<ByName, A extends string> = {
  [K in keyof ByName & string]: Simplify<{ name: K } & PayloadField<SchemaOf<ByName[K], A>>>
}[keyof ByName & string]

/** Only the elements whose action `A` is custom: a public mutation refuses default actions (`NOT_INTERNAL`). */
type WithCustomAction<ByName, A extends string> = {
  [K in keyof ByName as [SchemaOf<ByName[K], A>] extends [z.ZodType] ? K : never]: ByName[K]
}

type Visible<ByName, V extends 'public' | 'internal', A extends string> = V extends 'public' ? WithCustomAction<ByName, A> : ByName

type WorkItemCall<N extends Names, V extends 'public' | 'internal', A extends string> = {
  workItemId: WorkItemId
  args: NamedArgs<Visible<N['workItems'], V, A>, A>
}
type InitializeRoot<N extends Names> = PayloadField<SchemaOf<N['actions'], 'initialize'>>
type CancelRoot<N extends Names> = Simplify<{ workflowId: WorkflowId } & PayloadField<SchemaOf<N['actions'], 'cancel'>>>

/**
 * Where a work item or child workflow is started: a task of the root or (by a child's id) of any
 * workflow below it. `generation`, when given, is the task generation meant (`STALE_GENERATION` if the
 * task has moved on).
 */
type Target<N extends Names> = { workflowId: WorkflowId; taskName: TaskNames<N>; generation?: number }

/** The task names of every workflow below the root. */
type HierarchyTasks<Workflows> = { [K in keyof Workflows]: Workflows[K] extends { tasks: infer T extends string } ? T : never }[keyof Workflows]

// The names of a workflow hierarchy, as the generated functions and the read helpers type them. For a
// definition whose names are not tracked (`Names`, e.g. a net generated in a loop) each is `string`.

/** The task names of the root and of every workflow below it. */
export type TaskNames<N extends Names> = N['tasks'] | HierarchyTasks<N['workflows']>
/** The work item names of the root and of every workflow below it. */
export type WorkItemNames<N extends Names> = string extends N['tasks'] ? string : keyof N['workItems'] & string
/** The root's name and the names of every workflow below it. */
export type WorkflowNames<N extends Names> = N['name'] | (keyof N['workflows'] & string)
/** The names of the workflows below the root (the children a composite task can have). */
export type ChildWorkflowNames<N extends Names> = string extends N['name'] ? string : keyof N['workflows'] & string

/**
 * What `getWorkflowTaskStates` returns: the root's task states, or, for a child's id, that child
 * workflow's (one record per workflow of the hierarchy; a root without children has only its own).
 * Narrow a hierarchy's union with `'taskName' in states`.
 */
export type TaskStates<N extends Names> =
  | Record<N['tasks'], TaskState>
  | { [K in keyof N['workflows']]: N['workflows'][K] extends { tasks: infer T extends string } ? Record<T, TaskState> : never }[keyof N['workflows']]

/**
 * What `getMarking` returns: tokens per condition, explicit and implicit (`from__to__to`), of the root
 * or, for a child's id, of that child workflow (one record per workflow of the hierarchy, as `TaskStates`).
 */
export type Markings<N extends Names> =
  | Record<N['conditions'] | N['implicitConditions'], number>
  | { [K in keyof N['workflows']]: N['workflows'][K] extends { conditions: infer C extends string } ? Record<C, number> : never }[keyof N['workflows']]

/** The action schemas of every workflow below the root, by workflow name. */
type ActionsByWorkflow<Workflows> = { [K in keyof Workflows]: Workflows[K] extends { actions: infer A } ? A : never }

type InitializeWorkItem<N extends Names, V extends 'public' | 'internal'> = {
  target: Target<N>
  args: NamedArgs<Visible<N['workItems'], V, 'initialize'>, 'initialize'>
}

/** Starting and canceling a child workflow: `args` discriminated by the child workflow's name. */
type InitializeChild<N extends Names, V extends 'public' | 'internal'> = {
  target: Target<N>
  args: NamedArgs<Visible<ActionsByWorkflow<N['workflows']>, V, 'initialize'>, 'initialize'>
}
type CancelChild<N extends Names, V extends 'public' | 'internal'> = {
  workflowId: WorkflowId
  args: NamedArgs<Visible<ActionsByWorkflow<N['workflows']>, V, 'cancel'>, 'cancel'>
}

type Mutations<N extends Names, V extends 'public' | 'internal'> = {
  initializeWorkflow: RegisteredMutation<V, InitializeChild<N, V>, Promise<WorkflowId>>
  cancelWorkflow: RegisteredMutation<V, CancelChild<N, V>, Promise<null>>
  initializeRootWorkflow: RegisteredMutation<V, InitializeRoot<N>, Promise<WorkflowId>>
  cancelRootWorkflow: RegisteredMutation<V, CancelRoot<N>, Promise<null>>
  initializeWorkItem: RegisteredMutation<V, InitializeWorkItem<N, V>, Promise<WorkItemId>>
  startWorkItem: RegisteredMutation<V, WorkItemCall<N, V, 'start'>, Promise<null>>
  completeWorkItem: RegisteredMutation<V, WorkItemCall<N, V, 'complete'>, Promise<null>>
  failWorkItem: RegisteredMutation<V, WorkItemCall<N, V, 'fail'>, Promise<null>>
  cancelWorkItem: RegisteredMutation<V, WorkItemCall<N, V, 'cancel'>, Promise<null>>
  resetWorkItem: RegisteredMutation<V, WorkItemCall<N, V, 'reset'>, Promise<null>>
}

/**
 * The internal twins take `scheduled: true` from a caller that schedules them, so the journal records
 * the step as run by the scheduler rather than by another function.
 */
type WithScheduled<M> = M extends RegisteredMutation<'internal', infer A, infer R> ? RegisteredMutation<'internal', A & { scheduled?: boolean }, R> : M
type Internal<M> = { [K in keyof M & string as `internal${Capitalize<K>}`]: WithScheduled<M[K]> }

export type WorkflowApi<N extends Names> = Mutations<N, 'public'> &
  Internal<Mutations<N, 'internal'>> & {
    getWorkflow: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<WorkflowSummary<N>>>
    getChildWorkflows: RegisteredQuery<'internal', { workflowId: WorkflowId; taskName: TaskNames<N> }, Promise<ChildWorkflowSummary<N>[]>>
    getWorkflowTaskStates: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<TaskStates<N>>>
    getWorkItems: RegisteredQuery<
      'internal',
      { workflowId: WorkflowId; taskName?: TaskNames<N>; currentGeneration?: boolean },
      Promise<WorkItemSummary<N>[]>
    >
    getMarking: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<Markings<N>>>
    /** Scheduled by the engine when an element's deadline passes (docs/api.md#deadlines-and-timers); not for app code. */
    internalDeadlineReached: RegisteredMutation<
      'internal',
      {
        element:
          | { kind: 'workItem'; workItemId: WorkItemId }
          | { kind: 'task'; workflowId: WorkflowId; taskName: string; generation: number }
          | { kind: 'workflow'; workflowId: WorkflowId; name: string }
        scheduled?: boolean
      },
      Promise<null>
    >
    getEvents: RegisteredQuery<'internal', { workflowId: WorkflowId; after?: number; limit?: number }, Promise<EventPage>>
    getEventChanges: RegisteredQuery<
      'internal',
      { workflowId: WorkflowId; sequence: number; offset?: number; limit?: number },
      Promise<{ changes: JournalChange[]; changeCount: number; isDone: boolean }>
    >
    getWorkflowAt: RegisteredQuery<'internal', { workflowId: WorkflowId; sequence: number }, Promise<WorkflowAt<N>>>
  }

/**
 * `getMetrics`, generated only for a `workflowApi` given `metrics`: the outcomes of a workflow name of
 * the hierarchy, or (with `taskName`) of one of its tasks.
 */
export type MetricsFunctions<N extends Names, O> = O extends { metrics: WorkflowMetrics }
  ? { getMetrics: RegisteredQuery<'internal', { workflowName: WorkflowNames<N>; taskName?: TaskNames<N> }, Promise<Metrics>> }
  : {}

/**
 * Generated only for a `workflowApi` given `services` (docs/api.md#service-work-items): the work pool's
 * completion of an attempt, an attempt's timeout, and the read of a service work item's attempts.
 */
export type ServiceFunctions<O> = O extends { services: ServiceWorkItems }
  ? {
      serviceRun: RegisteredAction<'internal', ServiceRunArgs, Promise<unknown>>
      serviceComplete: RegisteredMutation<'internal', ServiceCompletion & Applying, Promise<null>>
      serviceTimeout: RegisteredMutation<'internal', ServiceAttempt & Applying & { scheduled?: boolean }, Promise<null>>
      getServiceCall: RegisteredQuery<'internal', { workItemId: WorkItemId }, Promise<ServiceCallSummary | null>>
    }
  : {}
