import { internal } from '../../convex/_generated/api'
import schema from '../../convex/schema'
import type { OrderPayload } from '../../src/workflows/order'
import { type Backend } from './harness'

/** The catalogue every order test starts from. */
export const STOCK = { widget: 10, gadget: 5 }

export async function stockUp(t: Backend) {
  await t.mutation(internal.orders.restock, { productId: 'widget', name: 'Widget', quantity: STOCK.widget })
  await t.mutation(internal.orders.restock, { productId: 'gadget', name: 'Gadget', quantity: STOCK.gadget })
}

/** The order workflow's task states before anything ran. */
export const TASKS_DISABLED = {
  validateOrder: 'disabled',
  reserveInventory: 'disabled',
  chargePayment: 'disabled',
  routeDecision: 'disabled',
  refundPayment: 'disabled',
  releaseInventory: 'disabled',
  notifyFailure: 'disabled',
}
/** The order workflow's marking with no token anywhere. */
export const MARKING_EMPTY = {
  start: 0,
  end: 0,
  validateOrder__to__reserveInventory: 0,
  reserveInventory__to__chargePayment: 0,
  chargePayment__to__routeDecision: 0,
  routeDecision__to__refundPayment: 0,
  refundPayment__to__releaseInventory: 0,
  releaseInventory__to__notifyFailure: 0,
}

/** The snapshot at the end of the happy path: the capture approved, routeDecision straight to the end. */
export const HAPPY_PATH_END = {
  workflow: 'completed',
  tasks: { ...TASKS_DISABLED, validateOrder: 'completed', reserveInventory: 'completed', chargePayment: 'completed', routeDecision: 'completed' },
  marking: { ...MARKING_EMPTY, end: 1 },
  workItems: ['validateOrder#1:completed', 'reserveInventory#1:completed', 'chargePayment#1:completed', 'routeDecision#1:completed'],
}

export const GOOD_CARD = '4242 4242 4242 4242'
export const DECLINED_CARD_NUMBER = '4000 0000 0000 0002'
/** The payment provider times this card out on its first capture attempt (convex/payments.ts). */
export const TIMES_OUT_ONCE_CARD = '4000 0000 0000 0003'

export const order = (overrides: Partial<OrderPayload> = {}): OrderPayload => ({
  customerId: 'alice',
  items: [
    { productId: 'widget', quantity: 3 },
    { productId: 'gadget', quantity: 1 },
  ],
  card: GOOD_CARD,
  amount: 120,
  ...overrides,
})

/** Every document of every table, engine's and domain's, plus the scheduled functions. */
export async function dumpAllTables(t: Backend) {
  return t.run(async (ctx) => {
    const out: Record<string, unknown[]> = {}
    for (const table of Object.keys(schema.tables).sort()) out[table] = await ctx.db.query(table as never).collect()
    out._scheduled_functions = await ctx.db.system.query('_scheduled_functions').collect()
    return out
  })
}

/** The app's scheduled functions as `name:state` (the work pool's jobs are the component's own). */
export async function jobs(t: Backend) {
  return t.run(async (ctx) =>
    (await ctx.db.system.query('_scheduled_functions').collect()).map((job) => `${job.name.replace(/\.js:/, ':')}:${job.state.kind}`),
  )
}

/** The domain state of one order, compactly. */
export async function domain(t: Backend, workflowId: string) {
  const s = await t.query(internal.orders.orderState, { workflowId: workflowId as never })
  return {
    order: s.order.status,
    stock: await t.query(internal.orders.stock, {}),
    reservations: s.reservations.map((r) => `${r.productId}×${r.quantity}:${r.status}`),
    charges: s.charges.map((c) => `${c.amount}:${c.status}${c.declineReason ? ` (${c.declineReason})` : ''}${c.providerChargeId ? ':provider-id' : ''}`),
    refunds: s.refunds.map((r) => `${r.amount}:${r.status}${r.providerRefundId ? ':provider-id' : ''}`),
    // Sorted: the alert and the refund are both scheduled to run at once, in no guaranteed order.
    notifications: s.notifications.map((n) => `${n.kind}→${n.recipient}`).sort(),
  }
}
