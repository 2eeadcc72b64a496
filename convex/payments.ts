import { v } from 'convex/values'
import { vWorkItemId } from '../src'
import { PaymentDomain } from '../src/domain/payments'
import { internal } from './_generated/api'
import { internalMutation } from './_generated/server'

/**
 * The payment provider's refund, run by the scheduler: `refundPayment`'s
 * initialize action schedules it with registerScheduled, so it never runs if
 * that work item is finished first (say the workflow is canceled). It asks the
 * provider for the refund and calls the engine back: completing the work item
 * records the refund as completed and the charge as refunded.
 */
export const processRefund = internalMutation({
  args: { workItemId: vWorkItemId, refundId: v.id('refunds') },
  handler: async (ctx, { workItemId, refundId }): Promise<null> => {
    const refund = await ctx.db.get(refundId)
    if (!refund || refund.status !== 'pending') return null
    const providerRefundId = PaymentDomain.providerRefund(refund)
    await ctx.runMutation(internal.orders.internalCompleteWorkItem, {
      workItemId,
      args: { name: 'refundPayment', payload: { providerRefundId } },
    })
    return null
  },
})
