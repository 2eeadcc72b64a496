import { internalActionGeneric, internalMutationGeneric, internalQueryGeneric } from 'convex/server'
import { v } from 'convex/values'
import type { WorkflowDefinition } from '../../builder/definition'
import { tasknetError } from '../../errors'
import type { EventTarget, Operation } from '../journal'
import { vLateOutcome, vServiceCallState } from '../schema'
import { generatedFunction } from '../self'
import { definitionsOf, type EngineCtx, type Step } from '../step'
import type { WorkItemId } from '../store'
import { completeServiceAttempt, getServiceCall, runServiceAttempt, serviceAttemptTimedOut, serviceWorkItemEnded, startServiceCall, type EndWorkItem } from './calls'
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

/** The steps of service work items, as plain handlers (`workflowHandlers(…).services`). */
function handlers(run: RunServiceStep, endWorkItem: EndWorkItem) {
  return {
    serviceComplete: (ctx: EngineCtx, a: ServiceCompletion) =>
      run(ctx, false, { operation: 'serviceComplete', target: { kind: 'workItem', workItemId: a.context.workItemId } }, (s) => completeServiceAttempt(s, a, endWorkItem)).then(() => null),
    serviceTimeout: (ctx: EngineCtx, a: ServiceAttempt & { scheduled?: boolean }) =>
      run(ctx, a.scheduled, { operation: 'serviceTimeout', target: { kind: 'workItem', workItemId: a.workItemId } }, (s) =>
        serviceAttemptTimedOut(s, { workItemId: a.workItemId, attempt: a.attempt }, endWorkItem),
      ).then(() => null),
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
    serviceComplete: internalMutationGeneric({ args: { ...serviceCompletionArgs, scheduled: v.optional(v.boolean()) }, returns: v.null(), handler: steps.serviceComplete }),
    serviceTimeout: internalMutationGeneric({ args: { ...serviceAttemptArgs, scheduled: v.optional(v.boolean()) }, returns: v.null(), handler: steps.serviceTimeout }),
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
