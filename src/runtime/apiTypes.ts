import type { RegisteredMutation, RegisteredQuery } from 'convex/server'
import type { z } from 'zod'
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

/** `{ name, payload }` for every work item of the workflow, discriminated by `name`. */
export type WorkItemArgs<WorkItems, A extends string> = {
  [K in keyof WorkItems & string]: Simplify<{ name: K } & PayloadField<SchemaOf<WorkItems[K], A>>>
}[keyof WorkItems & string]

/** Only work items whose action `A` is custom: a public mutation refuses default actions (`NOT_INTERNAL`). */
type WithCustomAction<WorkItems, A extends string> = {
  [K in keyof WorkItems as [SchemaOf<WorkItems[K], A>] extends [z.ZodType] ? K : never]: WorkItems[K]
}

type Visible<N extends Names, V extends 'public' | 'internal', A extends string> = V extends 'public'
  ? WithCustomAction<N['workItems'], A>
  : N['workItems']

type WorkItemCall<N extends Names, V extends 'public' | 'internal', A extends string> = {
  workItemId: WorkItemId
  args: WorkItemArgs<Visible<N, V, A>, A>
}
type InitializeRoot<N extends Names> = PayloadField<SchemaOf<N['actions'], 'initialize'>>
type CancelRoot<N extends Names> = Simplify<{ workflowId: WorkflowId } & PayloadField<SchemaOf<N['actions'], 'cancel'>>>
type InitializeWorkItem<N extends Names, V extends 'public' | 'internal'> = {
  target: { workflowId: WorkflowId; taskName: N['tasks'] }
  args: WorkItemArgs<Visible<N, V, 'initialize'>, 'initialize'>
}

/** Starting and canceling a child workflow of a composite task (names checked on the server). */
type InitializeChild<N extends Names> = {
  target: { workflowId: WorkflowId; taskName: N['tasks'] | (string & {}) }
  args: { name: string; payload?: unknown }
}
type CancelChild = { workflowId: WorkflowId; args: { name: string; payload?: unknown } }

type Mutations<N extends Names, V extends 'public' | 'internal'> = {
  initializeWorkflow: RegisteredMutation<V, InitializeChild<N>, Promise<WorkflowId>>
  cancelWorkflow: RegisteredMutation<V, CancelChild, Promise<null>>
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
    getChildWorkflows: RegisteredQuery<'internal', { workflowId: WorkflowId; taskName: string }, Promise<ChildWorkflowSummary[]>>
    getWorkflowTaskStates: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<Record<N['tasks'], TaskState>>>
    getWorkItems: RegisteredQuery<
      'internal',
      { workflowId: WorkflowId; taskName?: N['tasks']; currentGeneration?: boolean },
      Promise<WorkItemSummary[]>
    >
    getMarking: RegisteredQuery<'internal', { workflowId: WorkflowId }, Promise<Record<string, number>>>
  }
