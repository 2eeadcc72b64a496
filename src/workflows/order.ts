import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'
import { nonRetryableMarker } from '../builder/service'
import { InventoryDomain } from '../domain/inventory'
import { NotificationDomain } from '../domain/notifications'
import { Orders } from '../domain/orders'
import { PaymentDomain } from '../domain/payments'

/**
 * Order processing with compensation, the worked example of
 * docs/compensation.md, with all three compensation patterns:
 *
 *   start → validateOrder → reserveInventory → chargePayment → routeDecision ─XOR─→ end
 *                                                                   └→ refundPayment → releaseInventory → notifyFailure → end
 *
 * - Pattern 1 (inline): reserveInventory's `onWorkItemStateChanged` releases
 *   the reservation its work item made when that work item is canceled
 *   (teardown included) or fails.
 * - Pattern 2 (routed): chargePayment is a service work item
 *   (docs/api.md#service-work-items): starting it places an authorization hold,
 *   then the engine asks the payment provider of convex/payments.ts to capture
 *   it, through the `services` work pool, retrying a transient failure. The
 *   provider applies the payment domain's card rules: an approved capture
 *   completes the work item, a declined one fails it at once (not retried).
 *   The task's policy turns the failure into `'complete'` after marking the
 *   order `compensating`; routeDecision reads the order and routes into the
 *   compensation section, whose refund is a service work item too: the
 *   provider's refund, retried (three attempts in all) until it succeeds.
 * - Pattern 3 (hybrid): the payment work item's `onFailed` schedules an
 *   operators' alert with `mutationCtx.scheduler` directly, so the alert runs
 *   after the work item is gone.
 *
 * The workflow's `onCompleted` closes the order: `completed`, or
 * `compensated` if it went through compensation.
 */

export const orderPayload = z.object({
  customerId: z.string().min(1),
  items: z
    .array(z.object({ productId: z.string().min(1), quantity: z.number().int().positive() }))
    .min(1),
  card: z.string().min(1),
  amount: z.number().positive(),
})
export type OrderPayload = z.input<typeof orderPayload>

/** A person checks the order; completing validates it against the catalogue and moves it to `processing`. */
const validateOrderWorkItem = Builder.workItem('validateOrder').withActions(
  Builder.workItemActions().complete(z.never(), async ({ mutationCtx, workItem, parent }) => {
    const order = await Orders.getByWorkflowId(mutationCtx, parent.workflow.id)
    await InventoryDomain.requireProducts(mutationCtx, order.items)
    await Orders.markProcessing(mutationCtx, parent.workflow.id)
    await workItem.complete()
  }),
)
const validateTask = Builder.task(validateOrderWorkItem).withActivities({
  onEnabled: async ({ workItem }) => {
    await workItem.initialize()
  },
})

/** Offering the work item reserves the stock (or throws, vetoing the step); completing confirms it. */
const reserveInventoryWorkItem = Builder.workItem('reserveInventory').withActions(
  Builder.workItemActions()
    .initialize(z.never(), async ({ mutationCtx, workItem, parent }) => {
      const workItemId = await workItem.initialize()
      const order = await Orders.getByWorkflowId(mutationCtx, parent.workflow.id)
      await InventoryDomain.reserve(mutationCtx, { orderId: order._id, workItemId, items: order.items })
    })
    .complete(z.never(), async ({ mutationCtx, workItem }) => {
      await InventoryDomain.confirmReservation(mutationCtx, workItem.id)
      await workItem.complete()
    }),
)
const reserveTask = Builder.task(reserveInventoryWorkItem).withActivities({
  onEnabled: async ({ workItem }) => {
    await workItem.initialize()
  },
  // Pattern 1: automatic compensation of this one work item.
  onWorkItemStateChanged: async ({ mutationCtx, workItem }) => {
    if (workItem.nextState === 'canceled' || workItem.nextState === 'failed') {
      await InventoryDomain.releaseReservation(mutationCtx, workItem.id)
    }
  },
})

/** Both payment services: 3 attempts, retries after 1 s and 2 s (no jitter, so the demo's times are the same on every run). */
export const PAYMENT_RETRY = { maxAttempts: 3, initialBackoffMs: 1_000, base: 2, jitter: false }

/** What a failed service call hands the fail action: the last attempt's error and how many attempts were made. */
const serviceFailure = z.object({ error: z.string(), attempts: z.number() })

/** The reason a failed capture records: the provider's message, without the engine's non-retryable marker. */
const declineReason = (error: string) => {
  const marked = error.indexOf(nonRetryableMarker)
  return marked < 0 ? error : error.slice(marked + nonRetryableMarker.length)
}

/**
 * Starting places the authorization hold; the engine then asks the payment
 * provider to capture it. Its charge id completes the work item (captured);
 * a decline, or a transient failure that outlasts the retries, fails it
 * (declined, with the reason).
 */
const chargePaymentWorkItem = Builder.workItem('chargePayment')
  .withActions(
    Builder.workItemActions()
      .start(z.never(), async ({ mutationCtx, workItem, parent }) => {
        const order = await Orders.getByWorkflowId(mutationCtx, parent.workflow.id)
        await PaymentDomain.authorize(mutationCtx, { orderId: order._id, workItemId: workItem.id, card: order.card, amount: order.totalAmount })
        await workItem.start()
      })
      .complete(z.object({ chargeId: z.string() }), async ({ mutationCtx, workItem }, payload) => {
        await PaymentDomain.capture(mutationCtx, workItem.id, payload.chargeId)
        await workItem.complete()
      })
      .fail(serviceFailure, async ({ mutationCtx, workItem }, payload) => {
        await PaymentDomain.decline(mutationCtx, workItem.id, declineReason(payload.error))
        await workItem.fail()
      }),
  )
  .withActivities({
    // Pattern 3: the alert must outlive the failed work item, so it is scheduled directly.
    onFailed: async ({ mutationCtx, workItem, parent }): Promise<void> => {
      await mutationCtx.scheduler.runAfter(0, internal.notifications.sendPaymentFailureAlert, {
        workflowId: parent.workflow.id,
        workItemId: workItem.id,
      })
    },
  })
  // The provider declines by the card rules with a non-retryable error (convex/payments.ts): no retry.
  .service({ action: internal.payments.charge, retry: PAYMENT_RETRY, result: z.object({ chargeId: z.string() }) })
const paymentTask = Builder.task(chargePaymentWorkItem).withActivities({
  onEnabled: async ({ workItem }) => {
    await workItem.initialize()
  },
})

/**
 * Pattern 2: offering the work item records the refund (pending) and starts
 * it; the engine asks the payment provider for the refund, and its refund id
 * completes the work item (the refund completed, the charge refunded).
 */
const refundPaymentWorkItem = Builder.workItem('refundPayment')
  .withActions(
    Builder.workItemActions()
      .initialize(z.never(), async ({ mutationCtx, workItem, parent }): Promise<void> => {
        const workItemId = await workItem.initialize()
        const order = await Orders.getByWorkflowId(mutationCtx, parent.workflow.id)
        const charge = await PaymentDomain.refundableCharge(mutationCtx, order._id)
        await PaymentDomain.createRefund(mutationCtx, { orderId: order._id, charge, workItemId })
      })
      .complete(z.object({ refundId: z.string() }), async ({ mutationCtx, workItem }, payload) => {
        await PaymentDomain.completeRefund(mutationCtx, workItem.id, payload.refundId)
        await workItem.complete()
      }),
  )
  .withActivities({
    onInitialized: ({ workItem }) => {
      workItem.start()
    },
  })
  .service({ action: internal.payments.refund, retry: PAYMENT_RETRY, result: z.object({ refundId: z.string() }) })
const refundTask = Builder.task(refundPaymentWorkItem).withActivities({
  onEnabled: async ({ workItem }) => {
    await workItem.initialize()
  },
})

/** Gives back everything the order still holds; a cleanup step that finishes itself. */
const releaseInventoryWorkItem = Builder.workItem('releaseInventory')
  .withActions(
    Builder.workItemActions().initialize(z.never(), async ({ mutationCtx, workItem, parent }) => {
      await workItem.initialize()
      const order = await Orders.getByWorkflowId(mutationCtx, parent.workflow.id)
      await InventoryDomain.releaseOrderInventory(mutationCtx, order._id)
    }),
  )
  .withActivities({
    onInitialized: ({ workItem }) => {
      workItem.start({})
    },
    onStarted: ({ workItem }) => {
      workItem.complete({})
    },
  })
const releaseTask = Builder.task(releaseInventoryWorkItem).withActivities({
  onEnabled: async ({ workItem }) => {
    await workItem.initialize()
  },
})

/** Tells the customer the order could not be completed; finishes itself. */
const notifyFailureWorkItem = Builder.workItem('notifyFailure')
  .withActions(
    Builder.workItemActions().initialize(z.never(), async ({ mutationCtx, workItem, parent }) => {
      await workItem.initialize()
      const order = await Orders.getByWorkflowId(mutationCtx, parent.workflow.id)
      const charge = await PaymentDomain.refundableCharge(mutationCtx, order._id).catch(() => null)
      await NotificationDomain.send(mutationCtx, {
        orderId: order._id,
        recipient: order.customerId,
        kind: 'order_failed',
        message: `Your order could not be completed${charge?.declineReason ? ` (${charge.declineReason})` : ''}; the amount held on your card was refunded and nothing was shipped.`,
      })
    }),
  )
  .withActivities({
    onInitialized: ({ workItem }) => {
      workItem.start({})
    },
    onStarted: ({ workItem }) => {
      workItem.complete({})
    },
  })
const notifyTask = Builder.task(notifyFailureWorkItem).withActivities({
  onEnabled: async ({ workItem }) => {
    await workItem.initialize()
  },
})

/** The decision task: its work item starts and completes itself, then the XOR-split routes. */
const routeDecisionTask = Builder.task(
  Builder.workItem('routeDecision').withActivities({
    onInitialized: async ({ workItem }) => {
      workItem.start({})
    },
    onStarted: async ({ workItem }) => {
      workItem.complete({})
    },
  }),
)
  .withSplitType('xor')
  .withActivities({
    onEnabled: async ({ workItem }) => {
      await workItem.initialize({})
    },
  })

export const orderWorkflow = Builder.workflow('order')
  .withActions(
    Builder.workflowActions().initialize(orderPayload, async ({ mutationCtx, workflow }, payload) => {
      const workflowId = await workflow.initialize()
      await Orders.create(mutationCtx, {
        customerId: payload.customerId,
        items: payload.items,
        card: payload.card,
        totalAmount: payload.amount,
        workflowId,
      })
    }),
  )
  .withActivities({
    onCompleted: async ({ mutationCtx, workflow }) => {
      const order = await Orders.getByWorkflowId(mutationCtx, workflow.id)
      if (order.status === 'compensating') {
        await Orders.markAsCompensated(mutationCtx, workflow.id)
      } else {
        await Orders.markCompleted(mutationCtx, workflow.id)
        await NotificationDomain.send(mutationCtx, {
          orderId: order._id,
          recipient: order.customerId,
          kind: 'order_confirmed',
          message: `Your order of ${order.totalAmount} is confirmed.`,
        })
      }
    },
    onCanceled: async ({ mutationCtx, workflow }) => {
      const order = await Orders.getByWorkflowId(mutationCtx, workflow.id)
      await Orders.markCanceled(mutationCtx, workflow.id)
      // Reservations are released by reserveInventory itself (Pattern 1); a hold left on the card is voided here.
      await PaymentDomain.voidHolds(mutationCtx, order._id)
    },
  })
  .startCondition('start')

  // Main flow
  .task('validateOrder', validateTask)
  .task('reserveInventory', reserveTask)
  .task(
    'chargePayment',
    paymentTask.withPolicy(async ({ transition, mutationCtx, parent }) => {
      if (transition.nextState === 'failed') {
        if (await Orders.needsCompensation(mutationCtx, parent.workflow.id)) {
          // Mark for multi-step compensation, and route to it instead of failing.
          await Orders.markAsCompensating(mutationCtx, parent.workflow.id)
          return 'complete'
        }
        return 'fail'
      }
      return undefined // the default policy otherwise
    }),
  )
  .task('routeDecision', routeDecisionTask)

  // Compensation subsection
  .task('refundPayment', refundTask)
  .task('releaseInventory', releaseTask)
  .task('notifyFailure', notifyTask)

  .endCondition('end')

  .connectCondition('start', (to) => to.task('validateOrder'))
  .connectTask('validateOrder', (to) => to.task('reserveInventory'))
  .connectTask('reserveInventory', (to) => to.task('chargePayment'))
  .connectTask('chargePayment', (to) => to.task('routeDecision'))
  .connectTask('routeDecision', (to) =>
    to
      .task('refundPayment')
      .condition('end')
      .route(async ({ mutationCtx, route, parent }) => {
        const order = await Orders.getByWorkflowId(mutationCtx, parent.workflow.id)
        return order.status === 'compensating' ? route.toTask('refundPayment') : route.toCondition('end')
      }),
  )
  .connectTask('refundPayment', (to) => to.task('releaseInventory'))
  .connectTask('releaseInventory', (to) => to.task('notifyFailure'))
  .connectTask('notifyFailure', (to) => to.condition('end'))
