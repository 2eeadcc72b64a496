import { internalActionGeneric, internalMutationGeneric, internalQueryGeneric, type FunctionReference } from 'convex/server'
import { v } from 'convex/values'
import type { WorkflowDefinition } from '../../builder/definition'
import { errorMessage, tasknetError } from '../../errors'
import type { EventTarget, Operation } from '../journal'
import { vLateOutcome, vServiceCallState } from '../schema'
import { generatedFunction } from '../self'
import { definitionsOf, type EngineCtx, type Step } from '../step'
import type { WorkItemId } from '../store'
import { completeServiceAttempt, getServiceCall, recordUnapplied, runServiceAttempt, serviceAttemptTimedOut, serviceWorkItemEnded, startServiceCall, type EndWorkItem } from './calls'
import type { ServiceAttempt, ServiceCompletion, ServicePool, ServiceRunArgs } from './options'

/**
 * `serviceWorkItems({ pool })`, given to `workflowApi(wf, { services })` (docs/api.md#service-work-items):
 * the work pool and the runtime of service work items. A separate import, like `defineOutbox`, so that an
 * app without service work items bundles none of their code.
 */

/** Runs one engine step for a service function (`workflowHandlers`' step runner, as an internal call). */
export type RunServiceStep = (ctx: EngineCtx, scheduled: boolean | undefined, call: { operation: Operation; target: EventTarget }, operation: (s: Step) => Promise<void>) => Promise<void>

const vWorkItemIdArg = v.id('tasknet_workItems')
const serviceAttemptArgs = { workItemId: vWorkItemIdArg, attempt: v.number() }

/** `@convex-dev/workpool`'s onComplete arguments, with the attempt as its context. */
const serviceCompletionArgs = {
  workId: v.string(),
  context: v.object(serviceAttemptArgs),
  result: v.union(
    v.object({ kind: v.literal('success'), returnValue: v.optional(v.any()) }),
    v.object({ kind: v.literal('failed'), error: v.string() }),
    v.object({ kind: v.literal('canceled') }),
  ),
}

const serviceRunArgs = {
  workflowName: v.string(),
  taskName: v.string(),
  call: v.object({ workItemId: vWorkItemIdArg, attempt: v.number(), idempotencyKey: v.string(), payload: v.optional(v.any()) }),
}

const vServiceCall = v.object({
  workItemId: vWorkItemIdArg,
  idempotencyKey: v.string(),
  state: vServiceCallState,
  attempt: v.number(),
  nextRetryAt: v.optional(v.number()),
  lastError: v.optional(v.string()),
  result: v.optional(v.any()),
  late: v.array(vLateOutcome),
})

/** The service a `serviceRun` job is for: a deploy that removed it since the job was queued fails the attempt, visibly. */
function serviceDeclared(root: WorkflowDefinition, { workflowName, taskName, call }: ServiceRunArgs) {
  const service = definitionsOf(root).get(workflowName)?.tasks[taskName]?.workItem?.service
  if (!service) {
    throw tasknetError('NOT_FOUND', `Task '${taskName}' of workflow '${workflowName}' has no service work item to run attempt ${call.attempt} of work item ${call.workItemId} for; was it removed?`, {
      workflowName,
      taskName,
      workItemId: call.workItemId,
    })
  }
  return service
}

/**
 * Set on the sub-transaction in which `serviceComplete` / `serviceTimeout` apply an outcome (they run
 * themselves through `ctx.runMutation`); `refusal`: the error of applying a success, which now fails it.
 */
export type Applying = { applying?: boolean; refusal?: string }
const applyingArgs = { applying: v.optional(v.boolean()), refusal: v.optional(v.string()) }

/** The generated mutations that apply outcomes, found through `self`. */
export type OwnFunction = (name: 'serviceComplete' | 'serviceTimeout') => FunctionReference<'mutation', 'internal'>


/**
 * Applies an outcome in a sub-transaction, trying each way in turn, and records it when every way threw.
 * Why: the outcome arrives once. The work pool runs its onComplete again once if it throws, then drops it,
 * and a scheduled timeout is not retried; so a work item whose callbacks throw must not take the outcome
 * down with it. `ctx.runMutation` of a mutation rolls back only that mutation's writes when it throws.
 */
async function applyOrRecord(tries: Array<(errors: string[]) => Promise<unknown>>, record: (errors: string[]) => Promise<void>): Promise<null> {
  const errors: string[] = []
  for (const attempt of tries) {
    try {
      await attempt(errors)
      return null
    } catch (thrown) {
      errors.push(errorMessage(thrown))
    }
  }
  await record(errors)
  return null
}

/** The steps of service work items, as plain handlers (`workflowHandlers(…).services`). */
function handlers(run: RunServiceStep, endWorkItem: EndWorkItem, own: OwnFunction) {
  return {
    serviceComplete: (ctx: EngineCtx, a: ServiceCompletion & Applying & { scheduled?: boolean }): Promise<null> => {
      const { workItemId } = a.context
      const step = (operation: (s: Step) => Promise<void>) => run(ctx, false, { operation: 'serviceComplete', target: { kind: 'workItem', workItemId } }, operation).then(() => null)
      if (a.applying) return step((s) => completeServiceAttempt(s, a, endWorkItem, a.refusal))
      // A job the engine canceled before it ran: the cancel recorded it.
      if (a.result.kind === 'canceled') return Promise.resolve(null)
      const outcome = a.result.kind === 'success' ? { kind: 'success' as const, result: a.result.returnValue ?? null } : { kind: 'failed' as const, error: a.result.error }
      // A success that its work item refuses fails the work item instead (its result kept on the call).
      const refuse = (errors: string[]) => ctx.runMutation(own('serviceComplete'), { ...a, applying: true, refusal: errors[0] })
      return applyOrRecord(
        [() => ctx.runMutation(own('serviceComplete'), { ...a, applying: true }), ...(outcome.kind === 'success' ? [refuse] : [])],
        async (errors) => void (await step((s) => recordUnapplied(s, a.context, outcome, errors))),
      )
    },
    serviceTimeout: (ctx: EngineCtx, a: ServiceAttempt & Applying & { scheduled?: boolean }): Promise<null> => {
      const attempt = { workItemId: a.workItemId, attempt: a.attempt }
      const step = (operation: (s: Step) => Promise<void>) =>
        run(ctx, a.scheduled, { operation: 'serviceTimeout', target: { kind: 'workItem', workItemId: a.workItemId } }, operation).then(() => null)
      if (a.applying) return step((s) => serviceAttemptTimedOut(s, attempt, endWorkItem))
      return applyOrRecord([() => ctx.runMutation(own('serviceTimeout'), { ...a, applying: true })], async (errors) => void (await step((s) => recordUnapplied(s, attempt, { kind: 'timedOut' }, errors))))
    },
  }
}

export type ServiceHandlers = ReturnType<typeof handlers>

/** The generated functions of service work items, registered; `workflowApi` adds them to its own. */
function functions(definition: WorkflowDefinition, self: (() => unknown) | undefined, steps: ServiceHandlers) {
  return {
    serviceRun: internalActionGeneric({
      args: serviceRunArgs,
      returns: v.any(),
      handler: (ctx, a: ServiceRunArgs) =>
        runServiceAttempt(ctx, serviceDeclared(definition, a), () => generatedFunction<'mutation'>(self, a.workflowName, 'serviceTimeout', 'has service work items'), a),
    }),
    serviceComplete: internalMutationGeneric({ args: { ...serviceCompletionArgs, ...applyingArgs, scheduled: v.optional(v.boolean()) }, returns: v.null(), handler: steps.serviceComplete }),
    serviceTimeout: internalMutationGeneric({ args: { ...serviceAttemptArgs, ...applyingArgs, scheduled: v.optional(v.boolean()) }, returns: v.null(), handler: steps.serviceTimeout }),
    getServiceCall: internalQueryGeneric({
      args: { workItemId: vWorkItemIdArg },
      returns: v.union(vServiceCall, v.null()),
      handler: (ctx, a: { workItemId: WorkItemId }) => getServiceCall(ctx.db, a.workItemId),
    }),
  }
}

const runtime = { start: startServiceCall, ended: serviceWorkItemEnded, handlers, functions }

export type ServiceWorkItems = {
  /** The work pool that runs the attempts. */
  readonly pool: ServicePool
  /** @internal What the engine calls: how a start queues, an end cancels, and the generated functions. */
  readonly runtime: typeof runtime
}

/**
 * The `services` option of `workflowApi`: service work items run their actions in `pool`.
 *
 * @example
 * workflowApi(orderWorkflow, {
 *   self: () => internal.orders,
 *   services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 10 }) }),
 * })
 */
export function serviceWorkItems(options: { pool: ServicePool }): ServiceWorkItems {
  return { pool: options.pool, runtime }
}
