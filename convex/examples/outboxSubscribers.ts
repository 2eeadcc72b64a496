import { v } from 'convex/values'
import { vOutboxDelivery } from '../../src'
import { OutboxReceipts } from '../../src/domain/outboxReceipts'
import { internal } from '../_generated/api'
import { internalAction, internalMutation } from '../_generated/server'

/**
 * The subscribers of convex/examples/outbox.ts, written as an app writes them: internal functions
 * whose args are `vOutboxDelivery`, which keep a receipt per event id so a redelivery is recognised.
 */

/** Records the event (a second delivery of it only notes its arrival). */
export const record = internalMutation({
  args: vOutboxDelivery,
  returns: v.null(),
  handler: async (ctx, delivery) => {
    await OutboxReceipts.receive(ctx, delivery)
    return null
  },
})

/**
 * Records the event, then fails if a test planned this attempt to fail: a subscriber whose side
 * effect happened before it crashed, so its retry delivers an event it has already seen.
 */
export const recordThenMaybeFail = internalAction({
  args: vOutboxDelivery,
  returns: v.null(),
  handler: async (ctx, delivery) => {
    await ctx.runMutation(internal.examples.outboxSubscribers.record, delivery)
    const { subscriber, event } = delivery
    if (await ctx.runMutation(internal.examples.outboxSubscribers.takeFailure, { subscriber, workflowId: event.workflowId })) {
      throw new Error(`planned failure of subscriber '${subscriber}' at event ${event.sequence}`)
    }
    return null
  },
})

export const takeFailure = internalMutation({
  args: { subscriber: v.string(), workflowId: v.id('tasknet_workflows') },
  returns: v.boolean(),
  handler: (ctx, { subscriber, workflowId }) => OutboxReceipts.takeFailure(ctx, subscriber, workflowId),
})
