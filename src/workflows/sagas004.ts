import { z } from 'zod'
import { compensates, sagaFromClass, step, type CompensationContext, type StepContext } from '../saga'
import type { OutboxEvent } from '../runtime/outbox/options'
import { ActivityLog } from '../domain/activityLog'

/**
 * `004_…`'s sagas, declared as classes with `@step` and `@compensates` (docs/sagas.md#classes-with-decorators),
 * exposed by convex/examples/{placementSaga,fulfilmentSaga}.ts with the outbox of
 * convex/examples/placementOutbox.ts, and tested in tests/sagas/placement.test.ts. What the services do goes to
 * the activity log, so a test sees the effects, their order, and that a failed step's writes rolled back.
 * `failAt` names a step whose action throws after it wrote.
 */

const orderInput = z.object({
  orderId: z.string(),
  items: z.array(z.string()),
  amount: z.number(),
  failAt: z.string().optional(),
})
export type OrderInput = z.infer<typeof orderInput>

type Ctx = StepContext<OrderInput>
type UndoCtx = CompensationContext<OrderInput>

const failIf = (input: OrderInput, step: string) => {
  if (input.failAt === step) throw new Error(`${step} failed`)
}

/** `004_…`'s OrderService. */
const OrderService = {
  async create({ mutationCtx, input }: Ctx) {
    await ActivityLog.append(mutationCtx, `create order ${input.orderId} (${input.items.join(', ')})`)
    return { orderId: input.orderId }
  },
  async delete(ctx: UndoCtx, orderId: string) {
    await ActivityLog.append(ctx.mutationCtx, `cancel order ${orderId}`)
  },
}

/** `004_…`'s PaymentService: declines an amount over 1000. */
export const PAYMENT_LIMIT = 1000
const PaymentService = {
  async charge({ mutationCtx, input }: Ctx) {
    // Written before the decline: the test sees it rolled back with the failed step.
    await ActivityLog.append(mutationCtx, `charge ${input.amount}`)
    if (input.amount > PAYMENT_LIMIT) throw new Error('Payment declined')
    return { chargeId: `CHG-${input.orderId}` }
  },
  async refund(ctx: UndoCtx, chargeId: string) {
    await ActivityLog.append(ctx.mutationCtx, `refund ${chargeId}`)
  },
}

/**
 * `004_…`'s OrderPlacementSaga: create the order, then charge the payment. The refund waits for the order's
 * cancellation (`@compensates('chargePayment', { after: ['createOrder'] })`, the seed's "this will wait for
 * cancel_order to complete first"): the reverse of LIFO, which order `graph` allows. `confirmOrder`, which
 * has nothing to undo, is added after the payment so that a failure after a successful charge shows both
 * compensations and their order (in the seed's two steps, only the payment itself can fail).
 */
class OrderPlacementSaga {
  @step()
  createOrder(ctx: Ctx) {
    return OrderService.create(ctx)
  }

  @compensates('createOrder')
  async cancelOrder(ctx: UndoCtx) {
    await OrderService.delete(ctx, (ctx.output as { orderId: string }).orderId)
  }

  @step({ after: ['createOrder'] })
  chargePayment(ctx: Ctx) {
    return PaymentService.charge(ctx)
  }

  @compensates('chargePayment', { after: ['createOrder'] })
  async refundPayment(ctx: UndoCtx) {
    await PaymentService.refund(ctx, (ctx.output as { chargeId: string }).chargeId)
  }

  @step({ after: ['chargePayment'] })
  async confirmOrder({ mutationCtx, input }: Ctx) {
    await ActivityLog.append(mutationCtx, `confirm order ${input.orderId}`)
    failIf(input, 'confirmOrder')
  }
}

export const orderPlacementSaga = sagaFromClass(OrderPlacementSaga, { name: 'orderPlacement', order: 'graph', input: orderInput }).build()

/**
 * A wider order (`004_…`'s levels): after the order is created, two independent branches — reserve the stock
 * then pack the parcel; charge the payment then issue the invoice — and the parcel ships when both are done.
 * Order `dependencies`: each compensation waits for those of the steps that ran after it, so when the shipment
 * fails the parcel is unpacked and the invoice voided in parallel, then the stock released and the payment
 * refunded (each after its own branch's), then the order canceled.
 */
class FulfilmentSaga {
  @step()
  createOrder(ctx: Ctx) {
    return OrderService.create(ctx)
  }

  @compensates('createOrder')
  async cancelOrder(ctx: UndoCtx) {
    await OrderService.delete(ctx, (ctx.output as { orderId: string }).orderId)
  }

  @step({ after: ['createOrder'] })
  async reserveStock({ mutationCtx, input }: Ctx) {
    await ActivityLog.append(mutationCtx, `reserve ${input.items.join(', ')}`)
    failIf(input, 'reserveStock')
    return { reservationId: `RES-${input.orderId}` }
  }

  @compensates('reserveStock')
  async releaseStock({ mutationCtx, output }: UndoCtx) {
    await ActivityLog.append(mutationCtx, `release ${(output as { reservationId: string }).reservationId}`)
  }

  @step({ after: ['reserveStock'] })
  async packParcel({ mutationCtx, input }: Ctx) {
    await ActivityLog.append(mutationCtx, `pack ${input.orderId}`)
    failIf(input, 'packParcel')
  }

  @compensates('packParcel')
  async unpackParcel({ mutationCtx, input }: UndoCtx) {
    await ActivityLog.append(mutationCtx, `unpack ${input.orderId}`)
  }

  @step({ after: ['createOrder'] })
  chargePayment(ctx: Ctx) {
    return PaymentService.charge(ctx)
  }

  @compensates('chargePayment')
  async refundPayment(ctx: UndoCtx) {
    await PaymentService.refund(ctx, (ctx.output as { chargeId: string }).chargeId)
  }

  @step({ after: ['chargePayment'] })
  async issueInvoice({ mutationCtx, input }: Ctx) {
    await ActivityLog.append(mutationCtx, `invoice ${input.orderId}`)
    failIf(input, 'issueInvoice')
  }

  @compensates('issueInvoice')
  async voidInvoice({ mutationCtx, input }: UndoCtx) {
    await ActivityLog.append(mutationCtx, `void invoice ${input.orderId}`)
  }

  /** Nothing to undo: a shipment that failed never left. */
  @step({ after: ['packParcel', 'issueInvoice'] })
  async shipParcel({ mutationCtx, input }: Ctx) {
    await ActivityLog.append(mutationCtx, `ship ${input.orderId}`)
    failIf(input, 'shipParcel')
  }
}

export const fulfilmentSaga = sagaFromClass(FulfilmentSaga, { name: 'orderFulfilment', order: 'dependencies', input: orderInput }).build()

/**
 * `004_…` appends an outbox event when a step completes and when a compensation ran. The journal has that event
 * already: the step in which a step's or a compensation's work item ended (local steps and compensations each end
 * in a step of their own). The outbox of convex/examples/placementOutbox.ts delivers only those.
 */
export function endsSagaWork(event: OutboxEvent): boolean {
  // A skipped compensation's work item is canceled rather than completed: it ends saga work too.
  return event.changes.some((c) => c.kind === 'workItem' && (c.to === 'completed' || c.to === 'failed' || c.to === 'canceled') && !c.name.startsWith('saga_'))
}
