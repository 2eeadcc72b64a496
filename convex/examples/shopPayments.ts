import { v } from 'convex/values'
import { internalMutation } from '../_generated/server'

/**
 * The purchase saga's payment provider (src/workflows/sagas000.ts): `refund` is the handler its `refundCharge`
 * compensation schedules. A refund asked again with the same idempotency key is not paid twice.
 */
export const refund = internalMutation({
  args: { chargeId: v.string(), amount: v.number(), idempotencyKey: v.string(), workflowId: v.string(), step: v.string() },
  returns: v.null(),
  handler: async (ctx, { chargeId, amount, idempotencyKey }) => {
    const seen = await ctx.db
      .query('shopRefunds')
      .withIndex('by_idempotencyKey', (q) => q.eq('idempotencyKey', idempotencyKey))
      .unique()
    if (seen) return null
    const id = ctx.db.normalizeId('shopCharges', chargeId)
    if (!id) throw new Error(`refund: '${chargeId}' is not a charge`)
    await ctx.db.patch(id, { status: 'refunded' })
    await ctx.db.insert('shopRefunds', { chargeId: id, amount, idempotencyKey })
    return null
  },
})
