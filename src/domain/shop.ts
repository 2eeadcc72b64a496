import { defineTable } from 'convex/server'
import { v } from 'convex/values'

/**
 * The purchase saga's domain (src/workflows/sagas000.ts, `000_…`'s compensation builders): each table is what
 * one builder undoes. An order is created (`deleteCreated`), the customer's tier and last order are changed
 * (`restoreFields`), stock is taken (`incrementBack`), the card is charged (`refundCharge`, whose handler is
 * convex/examples/shopPayments.ts `refund`).
 */
export const shopTables = {
  shopCustomers: defineTable({ name: v.string(), tier: v.union(v.literal('standard'), v.literal('gold')), lastOrderId: v.optional(v.id('shopOrders')) }),
  shopOrders: defineTable({ customerId: v.id('shopCustomers'), itemId: v.id('shopStock'), quantity: v.number() }),
  shopStock: defineTable({ sku: v.string(), available: v.number() }),
  shopCharges: defineTable({ customerId: v.id('shopCustomers'), amount: v.number(), status: v.union(v.literal('captured'), v.literal('refunded')) }),
  /** One per refund the provider made; `idempotencyKey` keeps a refund asked twice from paying twice. */
  shopRefunds: defineTable({ chargeId: v.id('shopCharges'), amount: v.number(), idempotencyKey: v.string() }).index('by_idempotencyKey', ['idempotencyKey']),
}
