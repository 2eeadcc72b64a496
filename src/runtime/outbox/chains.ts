import type { GenericActionCtx, GenericDataModel } from 'convex/server'
import { tasknetError } from '../../errors'
import { engineDb, type EngineDb } from '../dataModel'
import { decodeEvent, eventAt, returnedChanges, type JournalEvent } from '../events'
import type { StepInfo, WrittenEvent } from '../journal'
import { engine, type Db } from '../queries'
import type { EngineCtx, StepObserver } from '../step'
import type { WorkflowId } from '../store'
import {
  checkOutboxOptions,
  subscriberNamed,
  subscribersByWorkflow,
  type OutboxDeliverArgs,
  type OutboxEvent,
  type OutboxOptions,
  type OutboxSubscriber,
} from './options'

/**
 * The outbox (docs/architecture.md#the-outbox): each subscriber receives each workflow's events in
 * sequence order, at least once, through a *delivery chain* per subscriber and workflow. A chain is
 * one `tasknet_outbox` document and at most one delivery in the work pool: the event numbered
 * `sequence`. When that delivery succeeds, its completion queues the next event the subscriber wants
 * (read from the journal), or deletes the chain when there is none. A step that writes an event
 * queues it only when the subscriber has no chain for that workflow; otherwise the running chain
 * reaches it in order. So an event is never queued before the one before it has been delivered, and
 * the work pool can run deliveries of different chains in parallel.
 *
 * Everything a step does here commits with the step (the chain and the pool's queue entry), so a step
 * that throws queues nothing, and nothing here throws into the step: a delivery the pool refuses
 * stops the chain, visibly (`getOutbox`), until `outboxResume`.
 */

/** How many events one transaction of a chain reads past those its subscriber declines before it goes on in the next. */
export const scanLimit = 16

export type OutboxChainState = 'delivering' | 'stopped'

/** A delivery chain, as `getOutbox` returns it. */
export type OutboxChain = {
  subscriber: string
  workflowId: WorkflowId
  /** The event in the work pool (`delivering`) or whose delivery failed for good (`stopped`). */
  sequence: number
  state: OutboxChainState
  /** The work pool's id of the delivery (empty when the pool refused it). */
  workId: string
  /** When the chain entered its state (ms since the epoch). */
  since: number
  error?: string
}

/** What the work pool passes to `outboxComplete` (`@convex-dev/workpool`'s onComplete arguments). */
export type OutboxCompletion = {
  workId: string
  context: OutboxDeliverArgs
  result: { kind: 'success'; returnValue?: unknown } | { kind: 'failed'; error: string } | { kind: 'canceled' }
}

type ChainDoc = NonNullable<Awaited<ReturnType<typeof chainOf>>>

function chainOf(db: EngineDb | ReturnType<typeof engine>, workflowId: WorkflowId, subscriber: string) {
  return db
    .query('tasknet_outbox')
    .withIndex('by_workflowId_and_subscriber', (q) => q.eq('workflowId', workflowId).eq('subscriber', subscriber))
    .unique()
}

/**
 * A chain that moves past many declined events continues in a fresh transaction, as if a delivery
 * of the last one it read had completed; the marker stands for that delivery's work id.
 */
const scanWorkId = (sequence: number) => `scan:${sequence}`
const isScan = (workId: string) => workId.startsWith('scan:')

/** The event the step just wrote, in the shape `getEvents` reads it back (`decodeEvent`), for filters. */
function eventOf(info: StepInfo, written: WrittenEvent): OutboxEvent {
  const { _id, workflowId, sequence, workflow, changes } = written
  const { time, operation, target, caller } = info
  return { _id, workflowId, sequence, time, operation, target, caller, workflow, ...returnedChanges(changes) }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function createOutbox(options: OutboxOptions) {
  checkOutboxOptions(options)
  const wanting = subscribersByWorkflow(options)

  function wants(name: string, subscriber: OutboxSubscriber, event: () => OutboxEvent): boolean {
    if (!subscriber.filter) return true
    try {
      return subscriber.filter(event())
    } catch (error) {
      // Delivering an event the subscriber did not want is recoverable; dropping one it wanted is not.
      console.error(`tasknet outbox: the filter of subscriber '${name}' threw (${messageOf(error)}); the event is delivered`)
      return true
    }
  }

  /** Queues the delivery of one event; a pool that refuses it leaves the chain stopped instead of failing the caller's transaction. */
  async function enqueue(ctx: EngineCtx, delivery: OutboxDeliverArgs): Promise<{ state: OutboxChainState; workId: string; error?: string }> {
    const subscriber = subscriberNamed(options, delivery.subscriber)!
    try {
      const refs = options.functions()
      const workId = await options.pool.enqueueAction(ctx, refs.outboxDeliver, delivery, {
        name: `outbox:${delivery.subscriber}`,
        retry: subscriber.retry ?? true,
        onComplete: refs.outboxComplete,
        context: delivery,
      })
      return { state: 'delivering', workId }
    } catch (error) {
      return { state: 'stopped', workId: '', error: `the work pool refused the delivery: ${messageOf(error)}` }
    }
  }

  /** Puts `chain` on `sequence`, queued or stopped; `replace` drops a previous error. */
  async function queue(ctx: EngineCtx, chain: ChainDoc, sequence: number): Promise<void> {
    const { subscriber, workflowId } = chain
    const queued = await enqueue(ctx, { subscriber, workflowId, sequence })
    await engineDb(ctx).replace(chain._id, { subscriber, workflowId, sequence, since: Date.now(), ...queued })
  }

  /** The chain's event was handled: queue the next event its subscriber wants, or end the chain. */
  async function advance(ctx: EngineCtx, chain: ChainDoc, subscriber: OutboxSubscriber): Promise<void> {
    const db = engineDb(ctx)
    let after = chain.sequence
    for (let read = 0; read < scanLimit; read++) {
      const next = await db
        .query('tasknet_events')
        .withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', chain.workflowId).gt('sequence', after))
        .first()
      // Caught up: the next step's event starts a new chain (its step reads that this one is gone).
      if (!next) return db.delete(chain._id)
      if (wants(chain.subscriber, subscriber, () => decodeEvent(next))) return queue(ctx, chain, next.sequence)
      after = next.sequence
    }
    const workId = scanWorkId(after)
    await db.patch(chain._id, { sequence: after, workId, since: Date.now() })
    const completion: OutboxCompletion = {
      workId,
      context: { subscriber: chain.subscriber, workflowId: chain.workflowId, sequence: after },
      result: { kind: 'success', returnValue: null },
    }
    await ctx.scheduler.runAfter(0, options.functions().outboxComplete, completion)
  }

  /** After the flush of every step that wrote events: start a chain for each event nobody is delivering yet. */
  const observer: StepObserver = async (ctx, { info, events }) => {
    const db = engineDb(ctx)
    for (const written of events) {
      for (const [name, subscriber] of wanting(written.workflow.name)) {
        // A running or stopped chain reaches this event after the ones before it.
        if (await chainOf(db, written.workflowId, name)) continue
        if (!wants(name, subscriber, () => eventOf(info, written))) continue
        const delivery = { subscriber: name, workflowId: written.workflowId, sequence: written.sequence }
        await db.insert('tasknet_outbox', { ...delivery, since: info.time, ...(await enqueue(ctx, delivery)) })
      }
    }
  }

  return {
    observer,

    /** `outboxDeliver`, run by the work pool (which retries it): reads the event and hands it to the subscriber. */
    async deliver(ctx: GenericActionCtx<GenericDataModel>, { subscriber, workflowId, sequence }: OutboxDeliverArgs): Promise<null> {
      const target = subscriberNamed(options, subscriber)
      if (!target) {
        throw tasknetError('NOT_FOUND', `No outbox subscriber '${subscriber}' to deliver event ${sequence} of workflow ${workflowId} to; it was removed from the options.`, {
          subscriber,
          workflowId,
          sequence,
        })
      }
      const event = (await ctx.runQuery(options.functions().outboxEvent, { workflowId, sequence })) as JournalEvent | null
      if (!event) {
        throw tasknetError('NOT_FOUND', `Workflow ${workflowId} has no event ${sequence} to deliver to '${subscriber}': it was deleted before its delivery.`, {
          subscriber,
          workflowId,
          sequence,
        })
      }
      const delivery = { subscriber, event }
      if (target.mutation) await ctx.runMutation(target.mutation, delivery)
      else await ctx.runAction(target.action!, delivery)
      return null
    },

    /** `outboxComplete`, the work pool's onComplete: moves the chain on, or stops it when the retries ran out. */
    async complete(ctx: EngineCtx, { workId, context, result }: OutboxCompletion): Promise<null> {
      const db = engineDb(ctx)
      const chain = await chainOf(db, context.workflowId, context.subscriber)
      // A completion the chain has moved past (`outboxResume` queued the event again) changes nothing.
      if (!chain || chain.state !== 'delivering' || chain.workId !== workId) return null
      const subscriber = subscriberNamed(options, chain.subscriber)
      // The app removed the subscriber: nobody is left to deliver to.
      if (!subscriber) return db.delete(chain._id).then(() => null)
      if (result.kind === 'success') await advance(ctx, chain, subscriber)
      else await db.patch(chain._id, { state: 'stopped', since: Date.now(), error: result.kind === 'failed' ? result.error : 'the delivery was canceled' })
      return null
    },

    /**
     * `outboxResume`: queues a chain's event again. For a stopped chain, after fixing what made it fail; for
     * one `delivering` long after its retries could have ended, when its completion was lost (the event may
     * then be delivered twice, which its id lets the subscriber recognise).
     */
    async resume(ctx: EngineCtx, { subscriber, workflowId }: { subscriber: string; workflowId: WorkflowId }): Promise<null> {
      const chain = await chainOf(engineDb(ctx), workflowId, subscriber)
      if (!chain) {
        throw tasknetError(
          'NOT_FOUND',
          `Subscriber '${subscriber}' has no delivery chain for workflow ${workflowId}: it has received every event of it that it wants, or never wanted one.`,
          { subscriber, workflowId },
        )
      }
      const target = subscriberNamed(options, subscriber)
      if (!target) {
        throw tasknetError('NOT_FOUND', `No outbox subscriber '${subscriber}' (known: ${Object.keys(options.subscribers).join(', ')}); its chains cannot resume.`, {
          subscriber,
          workflowId,
        })
      }
      // A chain that was moving past declined events goes on from there; any other delivers its event.
      if (isScan(chain.workId)) await advance(ctx, chain, target)
      else await queue(ctx, chain, chain.sequence)
      return null
    },
  }
}

export type OutboxRuntime = ReturnType<typeof createOutbox>

/** `outboxEvent`: one event, decoded, as the subscriber receives it; null when there is none. */
export async function outboxEvent(db: Db, { workflowId, sequence }: { workflowId: WorkflowId; sequence: number }): Promise<JournalEvent | null> {
  const doc = await eventAt(db, workflowId, sequence)
  return doc ? decodeEvent(doc) : null
}

/** `getOutbox`: a subscriber's chains, optionally only those in one state or of one workflow; at most `limit` (default 100). */
export async function getOutbox(
  db: Db,
  { subscriber, state, workflowId, limit = 100 }: { subscriber: string; state?: OutboxChainState; workflowId?: WorkflowId; limit?: number },
): Promise<OutboxChain[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw tasknetError('INVALID_STATE', `getOutbox was asked for ${limit} chains of subscriber '${subscriber}'; expected a whole number from 1 to 1000.`, { subscriber, limit })
  }
  const reader = engine(db)
  const docs =
    workflowId !== undefined
      ? [await chainOf(reader, workflowId, subscriber)].filter((doc) => doc !== null && (state === undefined || doc.state === state))
      : await reader
          .query('tasknet_outbox')
          .withIndex('by_subscriber_and_state', (q) => (state === undefined ? q.eq('subscriber', subscriber) : q.eq('subscriber', subscriber).eq('state', state)))
          .take(limit)
  return docs.map((doc) => {
    const { subscriber, workflowId, sequence, state, workId, since, error } = doc!
    return { subscriber, workflowId, sequence, state, workId, since, ...(error !== undefined ? { error } : {}) }
  })
}
