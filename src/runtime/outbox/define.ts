import {
  internalActionGeneric,
  internalMutationGeneric,
  internalQueryGeneric,
  type RegisteredAction,
  type RegisteredMutation,
  type RegisteredQuery,
} from 'convex/server'
import { v } from 'convex/values'
import { vJournalEvent } from '../eventValidators'
import type { JournalEvent } from '../events'
import { vOutboxState } from '../schema'
import type { StepObserver } from '../step'
import type { WorkflowId } from '../store'
import { createOutbox, getOutbox, outboxEvent, type OutboxChain, type OutboxChainState, type OutboxCompletion } from './chains'
import { outboxDeliverArgs, type OutboxDeliverArgs, type OutboxOptions } from './options'

/** The Convex functions of an outbox, for the app to export from the module that defines it (docs/api.md#outbox). */
export type OutboxFunctions = {
  /** Run by the work pool: hands one event to one subscriber. */
  outboxDeliver: RegisteredAction<'internal', OutboxDeliverArgs, Promise<null>>
  /** The work pool's onComplete for `outboxDeliver`: moves the delivery chain on, or stops it. */
  outboxComplete: RegisteredMutation<'internal', OutboxCompletion, Promise<null>>
  /** Read by `outboxDeliver`: one event, decoded. */
  outboxEvent: RegisteredQuery<'internal', { workflowId: WorkflowId; sequence: number }, Promise<JournalEvent | null>>
  /** Queues a stopped chain's event again (or a chain whose completion was lost). */
  outboxResume: RegisteredMutation<'internal', { subscriber: string; workflowId: WorkflowId }, Promise<null>>
  /** A subscriber's chains: the events in delivery and the deliveries that stopped. */
  getOutbox: RegisteredQuery<'internal', { subscriber: string; state?: OutboxChainState; workflowId?: WorkflowId; limit?: number }, Promise<OutboxChain[]>>
}

/** An outbox: give it to `workflowApi(workflow, { outbox })`, and export its `functions`. */
export type Outbox = {
  readonly functions: OutboxFunctions
  /** What `workflowApi` runs after each step that wrote events. */
  readonly observer: StepObserver
}

const vWorkflowIdArg = v.id('tasknet_workflows')

/** `@convex-dev/workpool`'s onComplete arguments, with the context the outbox gives each delivery. */
const completionArgs = {
  workId: v.string(),
  context: v.object(outboxDeliverArgs),
  result: v.union(
    v.object({ kind: v.literal('success'), returnValue: v.optional(v.any()) }),
    v.object({ kind: v.literal('failed'), error: v.string() }),
    v.object({ kind: v.literal('canceled') }),
  ),
}

const vOutboxChain = v.object({
  subscriber: v.string(),
  workflowId: vWorkflowIdArg,
  sequence: v.number(),
  state: vOutboxState,
  workId: v.string(),
  since: v.number(),
  error: v.optional(v.string()),
})

/**
 * Delivers the journal's events to subscribers (docs/api.md#outbox): each subscriber receives each
 * workflow's events in sequence order, at least once, through the work pool, which retries a failing
 * delivery with backoff. Pass it to every `workflowApi` whose events it should deliver, and export its
 * functions from the module `functions` names. Not a generic call, so that the module can refer to
 * itself (`internal.outbox`) without TypeScript inferring its exports from themselves.
 *
 * @example
 * // convex/outbox.ts
 * export const outbox = defineOutbox({
 *   pool: new Workpool(components.outbox, { maxParallelism: 10 }),
 *   functions: () => internal.outbox,
 *   subscribers: { shipping: { mutation: internal.shipping.onOrderEvent } },
 * })
 * export const { outboxDeliver, outboxComplete, outboxEvent, outboxResume, getOutbox } = outbox.functions
 * // convex/orders.ts
 * export const { initializeRootWorkflow, ... } = workflowApi(orderWorkflow, { outbox })
 */
export function defineOutbox(options: OutboxOptions): Outbox {
  const runtime = createOutbox(options)
  const functions = {
    outboxDeliver: internalActionGeneric({ args: outboxDeliverArgs, returns: v.null(), handler: runtime.deliver }),
    outboxComplete: internalMutationGeneric({ args: completionArgs, returns: v.null(), handler: runtime.complete }),
    outboxEvent: internalQueryGeneric({
      args: { workflowId: vWorkflowIdArg, sequence: v.number() },
      returns: v.union(vJournalEvent, v.null()),
      handler: (ctx, args) => outboxEvent(ctx.db, args),
    }),
    outboxResume: internalMutationGeneric({ args: { subscriber: v.string(), workflowId: vWorkflowIdArg }, returns: v.null(), handler: runtime.resume }),
    getOutbox: internalQueryGeneric({
      args: { subscriber: v.string(), state: v.optional(vOutboxState), workflowId: v.optional(vWorkflowIdArg), limit: v.optional(v.number()) },
      returns: v.array(vOutboxChain),
      handler: (ctx, args) => getOutbox(ctx.db, args),
    }),
  }
  return { functions: functions as unknown as OutboxFunctions, observer: runtime.observer }
}
