import type { FunctionReference, FunctionVisibility, GenericDataModel, GenericMutationCtx } from 'convex/server'
import { v, type Infer } from 'convex/values'
import { tasknetError } from '../../errors'
import { vJournalEvent } from '../eventValidators'
import { own } from '../lookup'

/**
 * The options of `defineOutbox` (docs/api.md#outbox): which functions receive the journal's events,
 * the work pool that delivers them, and where the app exported the outbox's own functions.
 */

/**
 * What a subscriber receives, as its `args` validator: the subscriber's name and the decoded event.
 * `event._id` (or `event.workflowId` with `event.sequence`) is the same on every delivery of one event:
 * the key a subscriber deduplicates on.
 *
 * @example
 * export const onOrderEvent = internalMutation({ args: vOutboxDelivery, returns: v.null(), handler: async (ctx, { event }) => { ... } })
 */
export const vOutboxDelivery = v.object({ subscriber: v.string(), event: vJournalEvent })
export type OutboxDelivery = Infer<typeof vOutboxDelivery>
export type OutboxEvent = OutboxDelivery['event']

/** How a failing delivery is retried: `maxAttempts` in all, the first retry after `initialBackoffMs`, each next one `base` times later. */
export type OutboxRetry = { maxAttempts: number; initialBackoffMs: number; base: number }

type Handler<Kind extends 'mutation' | 'action'> = FunctionReference<Kind, FunctionVisibility, OutboxDelivery, unknown>

/** One subscriber: an internal mutation or action, and which events it wants. */
export type OutboxSubscriber = ({ mutation: Handler<'mutation'>; action?: never } | { action: Handler<'action'>; mutation?: never }) & {
  /** The workflows whose events it wants, by name (a root's or a child's); every workflow given this outbox when absent. */
  workflows?: readonly string[]
  /**
   * Which events it wants, decided on the event alone (the same answer at every call: it runs in the
   * step and again when the delivery chain moves on). An event it declines is skipped, not delivered.
   * A filter that throws counts as wanting the event: the outbox never drops an event by mistake.
   */
  filter?: (event: OutboxEvent) => boolean
  /** Overrides the pool's retry behaviour for this subscriber's deliveries. */
  retry?: OutboxRetry
}

/** The arguments of the generated `outboxDeliver` action: which event, for which subscriber. */
export const outboxDeliverArgs = { subscriber: v.string(), workflowId: v.id('tasknet_workflows'), sequence: v.number() }
export type OutboxDeliverArgs = Infer<ReturnType<typeof v.object<typeof outboxDeliverArgs>>>

/**
 * The part of `@convex-dev/workpool`'s `Workpool` the outbox calls (pass `new Workpool(components.x, …)`).
 * Stated here so that tasknet imports nothing of the component: an app without an outbox needs no
 * workpool, and one with it brings its own (an optional peer dependency).
 */
export type OutboxPool = {
  enqueueAction(
    ctx: GenericMutationCtx<GenericDataModel>,
    fn: FunctionReference<'action', 'internal'>,
    fnArgs: OutboxDeliverArgs,
    options: { name: string; retry: boolean | OutboxRetry; onComplete: FunctionReference<'mutation', 'internal'>; context: OutboxDeliverArgs },
  ): Promise<string>
}

/**
 * The outbox's own functions, as the app exported them (`outbox.functions`): `() => internal.outbox`
 * for `convex/outbox.ts`. A function, because the module that defines the outbox refers to itself.
 */
// The references' argument and return types are left open (FunctionReference's defaults): `internal.outbox`
// types them from the module, and only their names matter here.
export type OutboxFunctionReferences = {
  outboxDeliver: FunctionReference<'action', 'internal'>
  outboxComplete: FunctionReference<'mutation', 'internal'>
  outboxEvent: FunctionReference<'query', 'internal'>
}

export type OutboxOptions = {
  /** The work pool that runs and retries deliveries: `new Workpool(components.outbox, { maxParallelism: 10 })`. */
  pool: OutboxPool
  /** Where the app exported `outbox.functions`: `() => internal.outbox`. */
  functions: () => OutboxFunctionReferences
  /** By name; the name is stored with each delivery chain, so renaming a subscriber starts it afresh. */
  subscribers: Readonly<Record<string, OutboxSubscriber>>
}

/** Refuses options the outbox cannot run with, when `defineOutbox` is called (at module load). */
export function checkOutboxOptions(options: OutboxOptions): void {
  const problems: string[] = []
  for (const [name, subscriber] of Object.entries(options.subscribers)) {
    if (name === '') problems.push('a subscriber has an empty name; give it a name (the key in `subscribers`).')
    if (!subscriber.mutation === !subscriber.action) {
      problems.push(`subscriber '${name}' must give exactly one of \`mutation\` or \`action\` (the internal function that receives the events).`)
    }
    if (subscriber.workflows?.length === 0) problems.push(`subscriber '${name}' wants the events of no workflow (\`workflows: []\`); list some, or leave it out for all.`)
    const retry = subscriber.retry
    if (retry && !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1 && retry.initialBackoffMs >= 0 && retry.base >= 1)) {
      problems.push(`subscriber '${name}' has retry ${JSON.stringify(retry)}; expected maxAttempts a whole number ≥ 1, initialBackoffMs ≥ 0 and base ≥ 1.`)
    }
  }
  if (problems.length > 0) {
    throw tasknetError('INVALID_DEFINITION', `The outbox cannot run: ${problems.join(' ')}`, { problems: problems.length })
  }
}

/** The subscribers that want a workflow's events, by workflow name (computed once per name). */
export function subscribersByWorkflow(options: OutboxOptions): (workflowName: string) => ReadonlyArray<readonly [string, OutboxSubscriber]> {
  const cache = new Map<string, ReadonlyArray<readonly [string, OutboxSubscriber]>>()
  return (workflowName) => {
    let found = cache.get(workflowName)
    if (!found) {
      found = Object.entries(options.subscribers).filter(([, s]) => !s.workflows || s.workflows.includes(workflowName))
      cache.set(workflowName, found)
    }
    return found
  }
}

/** The subscriber of that name, if the options still have it. */
export function subscriberNamed(options: OutboxOptions, name: string): OutboxSubscriber | undefined {
  return own(options.subscribers, name)
}
