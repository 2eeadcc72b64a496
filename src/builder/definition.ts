import type { z } from 'zod/v4'
import type { NetDefinition, TaskKind } from '../net/definition'
import type {
  CompositePolicy,
  CompositeTaskActivities,
  DummyTaskActivities,
  Policy,
  RouteFunction,
  TaskActivities,
  WorkflowActivities,
  WorkItemActionName,
  WorkItemActivities,
} from './contexts'
import type { Names } from './workflow'
import type { DeadlineDefinition } from './deadline'
import type { ServiceDefinition } from './service'

/**
 * What `build()` returns: the net as data plus the application's callbacks,
 * keyed by element name. Frozen; the runtime only reads it.
 *
 * Callbacks are stored with their context types widened (`Loose`): the
 * Builder's public methods are precisely typed, and this is the one place
 * where those types are forgotten so that one runtime can call them all.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose<F> = F extends (...args: any[]) => infer R ? (ctx: any, payload?: any) => R : never

export type ActionDefinition = {
  /** Undefined for a default action: internal-only, and takes no payload. */
  readonly schema: z.ZodType | undefined
  readonly callback: ((ctx: never, payload: never) => Promise<void> | void) | undefined
}

export type WorkItemDefinition = {
  readonly name: string
  readonly actions: Readonly<Partial<Record<WorkItemActionName, ActionDefinition>>>
  readonly activities: { readonly [K in keyof WorkItemActivities]?: Loose<NonNullable<WorkItemActivities[K]>> }
  /** Scheduled when each work item is initialized (docs/semantics.md#deadlines). */
  readonly deadline?: DeadlineDefinition
  /** A service work item's action and policies (src/builder/service.ts); undefined for other work items. */
  readonly service?: ServiceDefinition
}

export type TaskDefinition = {
  readonly name: string
  readonly kind: TaskKind
  readonly activities: { readonly [K in keyof TaskActivities]?: Loose<NonNullable<TaskActivities[K]>> } & {
    readonly [K in keyof DummyTaskActivities]?: Loose<NonNullable<DummyTaskActivities[K]>>
  } & { readonly [K in keyof CompositeTaskActivities]?: Loose<NonNullable<CompositeTaskActivities[K]>> }
  readonly policy: Loose<Policy> | Loose<CompositePolicy> | undefined
  readonly route: Loose<RouteFunction> | undefined
  readonly workItem: WorkItemDefinition | undefined
  /**
   * A composite task's child workflows by name, built with it, in declaration order: one for
   * `Builder.compositeTask`, one or more for `Builder.dynamicCompositeTask`. Undefined for other tasks.
   */
  readonly childWorkflows: Readonly<Record<string, WorkflowDefinition>> | undefined
  /** A dynamic composite task: its activities get one initializer per child type. */
  readonly dynamic: boolean
  /** A task's deadline (atomic or composite), scheduled when each generation is enabled (docs/semantics.md#deadlines). */
  readonly deadline?: DeadlineDefinition
}

/** Type-level only: the key of a definition's names. No definition has this property at run time. */
declare const names: unique symbol

/**
 * `N` are the names of the builder it was built from (`build()`), which `workflowApi` and the read
 * helpers type their arguments and results by. A definition made otherwise (a net generated in a
 * loop) has the default, `Names`: every name is a string.
 */
export type WorkflowDefinition<N extends Names = Names> = {
  /** Type-level only (never present): the builder's names. */
  readonly [names]?: N
  readonly name: string
  readonly net: NetDefinition
  readonly actions: Readonly<Partial<Record<'initialize' | 'cancel', ActionDefinition>>>
  readonly activities: { readonly [K in keyof WorkflowActivities]?: Loose<NonNullable<WorkflowActivities[K]>> }
  readonly tasks: Readonly<Record<string, TaskDefinition>>
  /** Scheduled when each instance is initialized (docs/semantics.md#deadlines). */
  readonly deadline?: DeadlineDefinition
}
