import type { z } from 'zod/v4'
import type { ActionDefinition, Loose, WorkItemDefinition } from './definition'
import type { WorkItemActionCallback, WorkItemActionName, WorkItemActivities, WorkItemDeadlineContext, WorkItemExpiryContext, WorkItemSchemas } from './contexts'
import { checkedDeadline, workItemExpiryActions, type Deadline, type DeadlineDefinition, type WorkItemExpiryAction } from './deadline'
import { tasknetError } from '../errors'
import { serviceDefinition, type ServiceDefinition, type ServiceSpec } from './service'

type ActionsSpec = Readonly<Partial<Record<WorkItemActionName, ActionDefinition>>>

/**
 * Declares a work item's actions: the boundary through which the app drives
 * it. An action with a schema is *custom*: callable from clients, its payload
 * validated by the schema. An action left out keeps the *default* action,
 * which only internal callers (internal mutations, triggers, scheduled
 * functions) may use.
 *
 * @example
 * Builder.workItemActions()
 *   .complete(z.object({ approved: z.boolean() }), async ({ workItem, isInternalMutation }, payload) => {
 *     await workItem.complete()
 *   })
 */
export class WorkItemActionsBuilder<S extends WorkItemSchemas = {}> {
  /** @internal */
  constructor(readonly spec: ActionsSpec = {}) {}

  private with<A extends WorkItemActionName, Z extends z.ZodType>(
    name: A,
    schema: Z,
    callback: WorkItemActionCallback<A, Z>,
  ): WorkItemActionsBuilder<Omit<S, A> & Record<A, Z>> {
    const action: ActionDefinition = { schema, callback: callback as ActionDefinition['callback'] }
    return new WorkItemActionsBuilder({ ...this.spec, [name]: action })
  }

  /** The callback must call `workItem.initialize()`, which creates the work item and returns its id. */
  initialize<Z extends z.ZodType>(schema: Z, callback: WorkItemActionCallback<'initialize', Z>) {
    return this.with('initialize', schema, callback)
  }
  /** The callback must call `workItem.start()`. */
  start<Z extends z.ZodType>(schema: Z, callback: WorkItemActionCallback<'start', Z>) {
    return this.with('start', schema, callback)
  }
  /** The callback must call `workItem.complete()`. */
  complete<Z extends z.ZodType>(schema: Z, callback: WorkItemActionCallback<'complete', Z>) {
    return this.with('complete', schema, callback)
  }
  /** The callback must call `workItem.fail()`. */
  fail<Z extends z.ZodType>(schema: Z, callback: WorkItemActionCallback<'fail', Z>) {
    return this.with('fail', schema, callback)
  }
  /** The callback must call `workItem.cancel()`. */
  cancel<Z extends z.ZodType>(schema: Z, callback: WorkItemActionCallback<'cancel', Z>) {
    return this.with('cancel', schema, callback)
  }
  /** The callback must call `workItem.reset()` (started → initialized). */
  reset<Z extends z.ZodType>(schema: Z, callback: WorkItemActionCallback<'reset', Z>) {
    return this.with('reset', schema, callback)
  }
}

type WorkItemSpec = {
  readonly name: string
  readonly actions: ActionsSpec
  readonly activities: WorkItemDefinition['activities']
  readonly deadline?: DeadlineDefinition
  readonly service?: ServiceDefinition
}

/**
 * A work item: one unit of work of a task.
 *
 * @example
 * Builder.workItem('approve')
 *   .withActions(Builder.workItemActions().complete(z.object({ ok: z.boolean() }), async ({ workItem }) => workItem.complete()))
 *   .withActivities({ onCompleted: async ({ mutationCtx, workItem }) => { ... } })
 */
export class WorkItemBuilder<Name extends string = string, S extends WorkItemSchemas = {}, HasActivities extends boolean = false> {
  /** Type-level only: whether activities were declared, after which actions may no longer change. */
  declare readonly hasActivities: HasActivities

  /** @internal */
  constructor(readonly spec: WorkItemSpec) {}

  private patch<S2 extends WorkItemSchemas = S, A extends boolean = HasActivities>(patch: Partial<WorkItemSpec>): WorkItemBuilder<Name, S2, A> {
    return new WorkItemBuilder<Name, S2, A>({ ...this.spec, ...patch })
  }

  /**
   * Sets the work item's actions. Declare them before `withActivities`: the
   * activities' triggers are typed by the action schemas, so actions declared
   * afterwards would leave them unchecked (calling it then does not compile).
   */
  withActions<S2 extends WorkItemSchemas>(this: WorkItemBuilder<Name, S, false>, actions: WorkItemActionsBuilder<S2>): WorkItemBuilder<Name, S2, false> {
    return this.patch<S2, false>({ actions: actions.spec })
  }

  /** Adds activities; a later call overrides an activity of the same name. */
  withActivities(activities: WorkItemActivities<S>): WorkItemBuilder<Name, S, true> {
    return this.patch<S, true>({ activities: { ...this.spec.activities, ...(activities as WorkItemSpec['activities']) } })
  }

  /**
   * Gives each work item a deadline, counted from its initialization, and what happens when it passes
   * first: `'fail'`, `'cancel'` or `'complete'` (an `initialized` work item is started first for the
   * last two), or a callback — e.g. offer an escalation work item to a manager. The deadline is
   * canceled when the work item ends. Declare it after `withActions`: `payload` is typed by the
   * initialize schema. A later call replaces it. Refuses a bad deadline with `INVALID_DEFINITION`.
   *
   * @example
   * Builder.workItem('approve').deadline({ after: 24 * HOUR, onExpiry: 'fail' })
   * Builder.workItem('review').withActions(actions)
   *   .deadline({ after: ({ payload }) => payload.days * DAY, onExpiry: async ({ task }) => { await task.initializeWorkItem({ assignee: 'manager' }) } })
   */
  deadline(deadline: Deadline<WorkItemDeadlineContext<S>, WorkItemExpiryAction, WorkItemExpiryContext<S>>): WorkItemBuilder<Name, S, HasActivities> {
    const checked = checkedDeadline(deadline as DeadlineDefinition, `work item '${this.spec.name}'`, workItemExpiryActions)
    return this.patch<S, HasActivities>({ deadline: checked })
  }

  /**
   * Makes this a *service work item* (docs/api.md#service-work-items): when it starts, the engine runs
   * `action` through the work pool given to `workflowApi(…, { services: serviceWorkItems({ pool }) })`, retries it by
   * `retry`, and completes the work item with its result or fails it. Its complete action receives the
   * result as payload; its fail action `{ error, attempts }`.
   *
   * @example
   * Builder.workItem('charge').service({
   *   action: internal.payments.charge,
   *   retry: { maxAttempts: 3, initialBackoffMs: 1_000, base: 2 },
   *   timeoutMs: 30_000,
   *   nonRetryable: ['card_declined'],
   *   result: z.object({ chargeId: z.string() }),
   * })
   */
  service(spec: ServiceSpec): WorkItemBuilder<Name, S, HasActivities> {
    return this.patch({ service: serviceDefinition(this.spec.name, spec) })
  }

  /** @internal */
  toDefinition(): WorkItemDefinition {
    const { name, actions, activities, deadline, service } = this.spec
    // A service that fails its work item passes `{ error, attempts }` to the fail action: a schema refusing it would lose the failure.
    if (service && actions.fail?.schema && !actions.fail.schema.safeParse({ error: 'an error', attempts: 1 }).success) {
      throw tasknetError(
        'INVALID_DEFINITION',
        `Work item '${name}' is a service work item, whose fail action receives { error: string, attempts: number }; its fail schema refuses that. Accept those fields in it.`,
        { workItem: name },
      )
    }
    return { name, actions, activities, ...(deadline ? { deadline } : {}), ...(service ? { service } : {}) }
  }
}

export type SchemasOf<W> = W extends WorkItemBuilder<string, infer S, boolean> ? S : never

export type { Loose }
