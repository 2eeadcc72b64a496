import { defineTable } from 'convex/server'
import { v } from 'convex/values'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'
import type { Doc, Id } from '../../convex/_generated/dataModel'
import type { OutboxDelivery } from '../runtime/outbox/options'

/**
 * What the outbox's test subscribers (convex/examples/outboxSubscribers.ts) received, as an app's
 * subscriber would keep it: one receipt per event, found by the event's id, so a second delivery of
 * the same event is recognised and only its arrival noted, instead of acted on twice. And the failures
 * a test plans for a subscriber's next attempts at one workflow's events.
 */
export const outboxReceiptTables = {
  /** One per subscriber and event received, in the order first received (`_creationTime`). */
  outboxReceipts: defineTable({
    subscriber: v.string(),
    eventId: v.id('tasknet_events'),
    workflowId: v.id('tasknet_workflows'),
    sequence: v.number(),
    operation: v.string(),
    /** When the event arrived (ms since the epoch): once, or more when the outbox delivered it again. */
    arrivals: v.array(v.number()),
  })
    .index('by_subscriber_and_eventId', ['subscriber', 'eventId'])
    .index('by_subscriber', ['subscriber']),
  /** Per subscriber and workflow: how many of its next attempts fail. */
  outboxFailures: defineTable({ subscriber: v.string(), workflowId: v.id('tasknet_workflows'), remaining: v.number() }).index('by_subscriber_and_workflowId', [
    'subscriber',
    'workflowId',
  ]),
}

export type OutboxReceipt = Doc<'outboxReceipts'>

export const OutboxReceipts = {
  /** Records a delivery; an event already received only counts one more delivery (deduplicated by its id). */
  async receive(ctx: { db: DatabaseWriter }, { subscriber, event }: OutboxDelivery): Promise<'first' | 'again'> {
    const known = await ctx.db
      .query('outboxReceipts')
      .withIndex('by_subscriber_and_eventId', (q) => q.eq('subscriber', subscriber).eq('eventId', event._id))
      .unique()
    if (known) {
      await ctx.db.patch(known._id, { arrivals: [...known.arrivals, Date.now()] })
      return 'again'
    }
    const { _id: eventId, workflowId, sequence, operation } = event
    await ctx.db.insert('outboxReceipts', { subscriber, eventId, workflowId, sequence, operation, arrivals: [Date.now()] })
    return 'first'
  },

  /** A subscriber's receipts in the order the events first arrived. */
  async of(ctx: { db: DatabaseReader }, subscriber: string): Promise<OutboxReceipt[]> {
    return await ctx.db
      .query('outboxReceipts')
      .withIndex('by_subscriber', (q) => q.eq('subscriber', subscriber))
      .collect()
  },

  /** Makes the subscriber's next `count` attempts at the events of one workflow fail. */
  async planFailures(ctx: { db: DatabaseWriter }, subscriber: string, workflowId: Id<'tasknet_workflows'>, count: number): Promise<void> {
    const plan = await planOf(ctx, subscriber, workflowId)
    if (plan) await ctx.db.patch(plan._id, { remaining: count })
    else await ctx.db.insert('outboxFailures', { subscriber, workflowId, remaining: count })
  },

  /** True when this attempt is planned to fail. */
  async takeFailure(ctx: { db: DatabaseWriter }, subscriber: string, workflowId: Id<'tasknet_workflows'>): Promise<boolean> {
    const plan = await planOf(ctx, subscriber, workflowId)
    if (!plan || plan.remaining === 0) return false
    await ctx.db.patch(plan._id, { remaining: plan.remaining - 1 })
    return true
  },
}

function planOf(ctx: { db: DatabaseReader }, subscriber: string, workflowId: Id<'tasknet_workflows'>) {
  return ctx.db
    .query('outboxFailures')
    .withIndex('by_subscriber_and_workflowId', (q) => q.eq('subscriber', subscriber).eq('workflowId', workflowId))
    .unique()
}
