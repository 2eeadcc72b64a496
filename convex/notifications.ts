import { vWorkflowId, vWorkItemId } from '../src'
import { NotificationDomain } from '../src/domain/notifications'
import { Orders } from '../src/domain/orders'
import { PaymentDomain } from '../src/domain/payments'
import { internalMutation } from './_generated/server'

/**
 * The operators' alert for a declined payment (Pattern 3). The payment work
 * item's `onFailed` schedules it with `mutationCtx.scheduler` directly, not
 * with registerScheduled, so it still runs after the work item has failed.
 */
export const sendPaymentFailureAlert = internalMutation({
  args: { workflowId: vWorkflowId, workItemId: vWorkItemId },
  handler: async (ctx, { workflowId, workItemId }) => {
    const order = await Orders.getByWorkflowId(ctx, workflowId)
    const charge = await PaymentDomain.chargeOfWorkItem(ctx, workItemId)
    await NotificationDomain.send(ctx, {
      orderId: order._id,
      recipient: 'operations',
      kind: 'payment_failure_alert',
      message: `Payment of ${charge.amount} on card •••• ${charge.cardLast4} for order ${order._id} was declined: ${charge.declineReason ?? 'unknown reason'}.`,
    })
    return null
  },
})
