import type { RegisteredMutation, RegisteredQuery } from 'convex/server'
import type { z } from 'zod/v4'
import type { WorkflowId, WorkItemId } from '../builder/contexts'
import type { Names } from '../builder/workflow'
import type { TaskState } from '../net/lifecycle'
import type { ChildWorkflowSummary, WorkflowSummary, WorkItemSummary } from './queries'

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
type Target<N extends Names> = { workflowId: WorkflowId; taskName: N['tasks'] | HierarchyTasks<N['workflows']>; generation?: number }

/** The task names of every workflow below the root. */
type HierarchyTasks<Workflows> = { [K in keyof Workflows]: Workflows[K] extends { tasks: infer T } ? T : never }[keyof Workflows]

/**
 * What `getWorkflowTaskStates` returns: the root's task states, or, for a child's id, that child
 * workflow's (one record per workflow of the hierarchy; a root without children has only its own).
 */
type TaskStates<N extends Names> =
  | Record<N['tasks'], TaskState>
  | { [K in keyof N['workflows']]: N['workflows'][K] extends { tasks: infer T extends string } ? Record<T, TaskState> : never }[keyof N['workflows']]

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

type Internal<M> = { [K in keyof M & string as `internal${Capitalize<K>}`]: M[K] }

export type WorkflowApi<N extends Names> = Mutations<N, 'public'> &
  Internal<Mutations<N, 'internal'>> & {
    getWorkflow: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<WorkflowSummary>>
    getChildWorkflows: RegisteredQuery<'internal', { workflowId: WorkflowId; taskName: Target<N>['taskName'] }, Promise<ChildWorkflowSummary[]>>
    getWorkflowTaskStates: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<TaskStates<N>>>
    getWorkItems: RegisteredQuery<
      'internal',
      { workflowId: WorkflowId; taskName?: Target<N>['taskName']; currentGeneration?: boolean },
      Promise<WorkItemSummary[]>
    >
    getMarking: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<Record<string, number>>>
  }
