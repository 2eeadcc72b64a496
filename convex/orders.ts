import { Workpool } from '@convex-dev/workpool'
import { v } from 'convex/values'
import { serviceWorkItems, workflowApi, vWorkflowId } from '../src'
import { InventoryDomain } from '../src/domain/inventory'
import { NotificationDomain } from '../src/domain/notifications'
import { Orders } from '../src/domain/orders'
import { PaymentDomain } from '../src/domain/payments'
import { orderWorkflow } from '../src/workflows/order'
import { components, internal } from './_generated/api'
import { internalMutation, internalQuery } from './_generated/server'

/**
 * The order workflow (src/workflows/order.ts). Its payment and refund are service work items: they run
 * in the `services` work pool of convex/convex.config.ts, against the payment provider of
 * convex/payments.ts. `self` names this module, where the attempts (`serviceRun`), their completions
 * (`serviceComplete`) and timeouts (`serviceTimeout`) are found.
 */
// logLevel 'ERROR': the pool's periodic reports would fill the output.
export const {
  initializeRootWorkflow,
  cancelRootWorkflow,
  initializeWorkItem,
  startWorkItem,
  completeWorkItem,
  failWorkItem,
  cancelWorkItem,
  resetWorkItem,
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalInitializeWorkItem,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  internalResetWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  serviceRun,
  serviceComplete,
  serviceTimeout,
  getServiceCall,
} = workflowApi(orderWorkflow, {
  self: (): unknown => internal.orders,
  services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 3, logLevel: 'ERROR' }) }),
})

/** Adds units of a product to the stock (creating the product if it is new). */
export const restock = internalMutation({
  args: { productId: v.string(), name: v.string(), quantity: v.number() },
  handler: async (ctx, args) => {
    await InventoryDomain.restock(ctx, args)
    return null
  },
})

/** The stock of every product. */
export const stock = internalQuery({
  args: {},
  handler: async (ctx) => {
    const rows = await ctx.db.query('stock').collect()
    return Object.fromEntries(rows.map((r) => [r.productId, r.available]))
  },
})

/** Everything the domain knows about the order of a workflow: the order, its reservations, charges, refunds and notifications. */
export const orderState = internalQuery({
  args: { workflowId: vWorkflowId },
  handler: async (ctx, { workflowId }) => {
    const order = await Orders.getByWorkflowId(ctx, workflowId)
    return {
      order,
      reservations: await InventoryDomain.reservationsOfOrder(ctx, order._id),
      charges: await PaymentDomain.chargesOfOrder(ctx, order._id),
      refunds: await ctx.db
        .query('refunds')
        .withIndex('by_orderId', (q) => q.eq('orderId', order._id))
        .collect(),
      notifications: await NotificationDomain.ofOrder(ctx, order._id),
    }
  },
})
