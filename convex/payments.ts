import { nonRetryable, vServiceCallArgs, vWorkItemId } from '../src'
import { PaymentDomain } from '../src/domain/payments'
import { internal } from './_generated/api'
import { internalAction, internalQuery } from './_generated/server'

/**
 * A fake payment provider, the service of the order's service work items chargePayment and
 * refundPayment (src/workflows/order.ts). The engine runs each attempt through the `services` work
 * pool and retries it by the work item's policy. Its behaviour, by test card:
 *
 * - the capture follows the domain's card rules (`PaymentDomain.decideCapture`): the test card ending
 *   0002 and an amount over the card limit are declined with a non-retryable error, so the charge
 *   fails at once with the rule's reason;
 * - a card ending 0003 times out on its first capture attempt (a transient failure, retried);
 * - the refund endpoint is unavailable on every first attempt.
 *
 * Results carry the idempotency key, as a provider deduplicating retries would.
 */

/** The test card whose first capture attempt times out. */
export const TIMES_OUT_ONCE_SUFFIX = '0003'

/** What the provider is asked to capture for chargePayment's work item: the hold its start placed, on the order's card. */
export const chargeRequest = internalQuery({
  args: { workItemId: vWorkItemId },
  handler: async (ctx, { workItemId }): Promise<{ card: string; amount: number }> => {
    const charge = await PaymentDomain.chargeOfWorkItem(ctx, workItemId)
    const order = await ctx.db.get(charge.orderId)
    if (!order) throw new Error(`Charge ${charge._id} belongs to no order (${charge.orderId}).`)
    return { card: order.card, amount: charge.amount }
  },
})

/** Captures the authorization hold of a chargePayment work item; returns the provider's charge id. */
export const charge = internalAction({
  args: vServiceCallArgs,
  handler: async (ctx, { workItemId, attempt, idempotencyKey }): Promise<{ chargeId: string }> => {
    const { card, amount } = await ctx.runQuery(internal.payments.chargeRequest, { workItemId })
    if (card.replace(/\D/g, '').endsWith(TIMES_OUT_ONCE_SUFFIX) && attempt === 1) throw new Error(`gateway timeout (attempt ${attempt})`)
    const decision = PaymentDomain.decideCapture(card, amount)
    if (!decision.approved) throw nonRetryable(decision.reason)
    return { chargeId: `ch_${idempotencyKey}` }
  },
})

/** Refunds the hold of the order of a refundPayment work item; returns the provider's refund id. */
export const refund = internalAction({
  args: vServiceCallArgs,
  handler: async (_ctx, { attempt, idempotencyKey }): Promise<{ refundId: string }> => {
    if (attempt === 1) throw new Error(`refund service unavailable (attempt ${attempt})`)
    return { refundId: `re_${idempotencyKey}` }
  },
})
