import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { MutationCtx } from '../../convex/_generated/server'
import { sagaFromJson, type JsonSagaDefinition, type LocalAction, type Saga, type SagaRegistry, type StepContext } from '../saga'
import { ActivityLog } from '../domain/activityLog'

/**
 * `000_…`'s compensation manager on tasknet: a purchase saga defined as JSON, its code named by key in a
 * registry, four of its compensations made by the builders (src/saga/compensations.ts). Exposed by
 * convex/examples/purchaseSaga.ts (and haltingPurchaseSaga.ts), tested in tests/sagas/manager.test.ts.
 * Faults come through the input, as in src/workflows/sagas.ts: `failAt` names the step whose action throws
 * after it wrote; `failCompensationOf: ['notifyWarehouse']` makes the warehouse's recall throw.
 */

const purchaseInput = z.object({
  customerId: z.string(),
  itemId: z.string(),
  quantity: z.number(),
  amount: z.number(),
  failAt: z.string().optional(),
  failCompensationOf: z.array(z.string()).optional(),
})
export type PurchaseInput = z.infer<typeof purchaseInput>

/** The saga as data: what a definitions table or an editor would hold. */
export const purchaseDefinition: JsonSagaDefinition = {
  name: 'purchase',
  order: 'lifo',
  onCompensationFailure: 'continue',
  steps: [
    { name: 'placeOrder', action: 'placeOrder', compensate: { builder: 'delete', table: 'shopOrders', idFrom: 'output.orderId' } },
    {
      name: 'promoteCustomer',
      action: 'promoteCustomer',
      compensate: { builder: 'restore', table: 'shopCustomers', idFrom: 'snapshot.customerId', fields: ['tier', 'lastOrderId'] },
    },
    {
      name: 'reserveStock',
      action: 'reserveStock',
      compensate: { builder: 'increment', table: 'shopStock', idFrom: 'output.itemId', field: 'available', amountFrom: 'output.quantity' },
    },
    { name: 'notifyWarehouse', action: 'notifyWarehouse', compensate: 'recallWarehouseNotice' },
    { name: 'chargeCard', action: 'chargeCard', compensate: { builder: 'refund', handler: 'shopRefund', chargeIdFrom: 'output.chargeId', amountFrom: 'output.amount' } },
    { name: 'scheduleDelivery', action: 'scheduleDelivery', compensate: null },
  ],
}

const app = (ctx: unknown) => ctx as MutationCtx

/** A registry action that throws after its writes when the input's `failAt` names its step. */
function faulty(action: (ctx: StepContext<PurchaseInput>) => Promise<unknown>): LocalAction<PurchaseInput> {
  return async (ctx) => {
    const output = await action(ctx)
    if (ctx.input.failAt === ctx.step) throw new Error(`${ctx.step} failed`)
    return output
  }
}

/** The code the definition names. */
export const purchaseRegistry: SagaRegistry = {
  actions: {
    placeOrder: faulty(async ({ mutationCtx, input }) => {
      const orderId = await app(mutationCtx).db.insert('shopOrders', { customerId: input.customerId as Id<'shopCustomers'>, itemId: input.itemId as Id<'shopStock'>, quantity: input.quantity })
      return { orderId }
    }),
    promoteCustomer: faulty(async ({ mutationCtx, input, outputs, keep }) => {
      const customer = (await app(mutationCtx).db.get(input.customerId as Id<'shopCustomers'>))!
      // What the compensation restores: the fields as they are now; an absent lastOrderId stays absent.
      keep({ customerId: customer._id, tier: customer.tier, ...(customer.lastOrderId !== undefined ? { lastOrderId: customer.lastOrderId } : {}) })
      await app(mutationCtx).db.patch(customer._id, { tier: 'gold', lastOrderId: (outputs.placeOrder as { orderId: Id<'shopOrders'> }).orderId })
    }),
    reserveStock: faulty(async ({ mutationCtx, input }) => {
      const stock = (await app(mutationCtx).db.get(input.itemId as Id<'shopStock'>))!
      if (stock.available < input.quantity) throw new Error(`only ${stock.available} of ${stock.sku} left`)
      await app(mutationCtx).db.patch(stock._id, { available: stock.available - input.quantity })
      return { itemId: stock._id, quantity: input.quantity }
    }),
    notifyWarehouse: faulty(async ({ mutationCtx }) => {
      await ActivityLog.append(mutationCtx, 'notify warehouse')
    }),
    chargeCard: faulty(async ({ mutationCtx, input }) => {
      const chargeId = await app(mutationCtx).db.insert('shopCharges', { customerId: input.customerId as Id<'shopCustomers'>, amount: input.amount, status: 'captured' })
      return { chargeId, amount: input.amount }
    }),
    scheduleDelivery: faulty(async ({ mutationCtx }) => {
      await ActivityLog.append(mutationCtx, 'schedule delivery')
    }),
  },
  compensations: {
    // Not one of the four builders: a notice cannot be taken back, only followed by a recall.
    recallWarehouseNotice: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, 'recall warehouse notice')
      if ((input as PurchaseInput).failCompensationOf?.includes('notifyWarehouse')) throw new Error('the warehouse did not answer the recall')
    },
  },
  handlers: { shopRefund: internal.examples.shopPayments.refund },
}

// Annotated: the registry names internal.examples.shopPayments, and `internal`'s type includes the modules exposing these sagas (TS7022).
export const purchaseSaga: Saga<PurchaseInput> = sagaFromJson(purchaseDefinition, purchaseRegistry).input(purchaseInput).build()

/** The same definition with `halt`: the first failed compensation stops the rest. */
export const haltingPurchaseSaga: Saga<PurchaseInput> = sagaFromJson({ ...purchaseDefinition, name: 'haltingPurchase', onCompensationFailure: 'halt' }, purchaseRegistry).input(purchaseInput).build()
