import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'
import { NotificationDomain } from '../domain/notifications'
import { Orders } from '../domain/orders'

/**
 * The order's payment and refund as service work items (docs/api.md#service-work-items), against the
 * fake payment provider of convex/examples/paymentService.ts:
 *
 *   start → chargePayment → routeDecision ─XOR─→ end
 *                                └→ refundPayment → end
 *
 * - chargePayment starts itself with the order's card and amount; the engine calls the provider's
 *   `charge` through the work pool and retries a transient failure (a card ending 0003 times out on
 *   its first attempt). A card ending 0002 is declined: not retried, the work item fails.
 * - The task's policy turns that failure into `'complete'` after marking the order `compensating`
 *   (the routed pattern of docs/compensation.md); routeDecision routes into the compensation section.
 * - refundPayment gives back the amount held on the card; the provider's `refund` is unavailable on
 *   its first attempt, and the retry succeeds.
 *
 * The workflow's `onCompleted` closes the order: `completed`, or `compensated`.
 */

export const serviceOrderPayload = z.object({ customerId: z.string().min(1), card: z.string().min(1), amount: z.number().positive() })

/** What the provider's actions receive as their payload: the work item's start payload. */
export const paymentRequest = z.object({ card: z.string(), amount: z.number() })

/** Both services: 3 attempts, retries after 1 s and 2 s (no jitter, so the demo's times are the same on every run). */
export const PAYMENT_RETRY = { maxAttempts: 3, initialBackoffMs: 1_000, base: 2, jitter: false }

type OrderCtx = Parameters<typeof Orders.getByWorkflowId>[0]
type WorkflowId = Parameters<typeof Orders.getByWorkflowId>[1]

/** Starts a service work item with the order's card and amount, the request its service receives. */
async function startWithOrder(ctx: { mutationCtx: OrderCtx; workItem: { start: (payload: z.infer<typeof paymentRequest>) => void }; parent: { workflow: { id: WorkflowId } } }) {
  const order = await Orders.getByWorkflowId(ctx.mutationCtx, ctx.parent.workflow.id)
  ctx.workItem.start({ card: order.card, amount: order.totalAmount })
}

const chargePaymentWorkItem = Builder.workItem('chargePayment')
  .withActions(
    Builder.workItemActions()
      .start(paymentRequest, async ({ workItem }) => workItem.start())
      .complete(z.object({ chargeId: z.string() }), async ({ workItem }) => workItem.complete())
      .fail(z.object({ error: z.string(), attempts: z.number() }), async ({ workItem }) => workItem.fail()),
  )
  .withActivities({ onInitialized: startWithOrder })
  .service({
    action: internal.examples.paymentService.charge,
    retry: PAYMENT_RETRY,
    nonRetryable: ['card_declined'],
    result: z.object({ chargeId: z.string() }),
  })

const refundPaymentWorkItem = Builder.workItem('refundPayment')
  .withActions(
    Builder.workItemActions()
      .start(paymentRequest, async ({ workItem }) => workItem.start())
      .complete(z.object({ refundId: z.string() }), async ({ workItem }) => workItem.complete())
      .fail(z.object({ error: z.string(), attempts: z.number() }), async ({ workItem }) => workItem.fail()),
  )
  .withActivities({ onInitialized: startWithOrder })
  .service({ action: internal.examples.paymentService.refund, retry: PAYMENT_RETRY, result: z.object({ refundId: z.string() }) })

/** Each task offers its work item as soon as it is enabled. */
const initializeOnEnabled = {
  onEnabled: async ({ workItem }: { workItem: { initialize: () => Promise<unknown> } }) => {
    await workItem.initialize()
  },
}

/** The decision task: its work item starts and completes itself, then the XOR-split routes. */
const routeDecisionTask = Builder.task(
  Builder.workItem('routeDecision').withActivities({
    onInitialized: ({ workItem }) => {
      workItem.start({})
    },
    onStarted: ({ workItem }) => {
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

export const serviceOrderWorkflow = Builder.workflow('serviceOrder')
  .withActions(
    Builder.workflowActions().initialize(serviceOrderPayload, async ({ mutationCtx, workflow }, payload) => {
      const workflowId = await workflow.initialize()
      await Orders.create(mutationCtx, { customerId: payload.customerId, items: [], card: payload.card, totalAmount: payload.amount, workflowId })
      await Orders.markProcessing(mutationCtx, workflowId)
    }),
  )
  .withActivities({
    onCompleted: async ({ mutationCtx, workflow }) => {
      const order = await Orders.getByWorkflowId(mutationCtx, workflow.id)
      if (order.status !== 'compensating') return void (await Orders.markCompleted(mutationCtx, workflow.id))
      await Orders.markAsCompensated(mutationCtx, workflow.id)
      await NotificationDomain.send(mutationCtx, { orderId: order._id, recipient: order.customerId, kind: 'order_failed', message: 'Your card was declined; the amount held was refunded.' })
    },
  })
  .startCondition('start')
  .task(
    'chargePayment',
    Builder.task(chargePaymentWorkItem)
      .withActivities(initializeOnEnabled)
      // The routed pattern: a declined charge (or one whose retries ran out) routes into compensation instead of failing the order.
      .withPolicy(async ({ transition, mutationCtx, parent }) => {
        if (transition.nextState !== 'failed') return undefined
        if (!(await Orders.needsCompensation(mutationCtx, parent.workflow.id))) return 'fail'
        await Orders.markAsCompensating(mutationCtx, parent.workflow.id)
        return 'complete'
      }),
  )
  .task('routeDecision', routeDecisionTask)
  .task('refundPayment', Builder.task(refundPaymentWorkItem).withActivities(initializeOnEnabled))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('chargePayment'))
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
  .connectTask('refundPayment', (to) => to.condition('end'))
