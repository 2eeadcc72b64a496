import { defineTable } from 'convex/server'
import { v } from 'convex/values'
import { vWorkItemId } from '../runtime/schema'
import type { WorkItemId } from '../builder/contexts'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'
import type { Doc, Id } from '../../convex/_generated/dataModel'

/**
 * Payments, modelled the way card payments work: starting the charge places
 * an authorization hold on the card (a charge row `authorized`); the payment
 * provider (convex/payments.ts) then captures it (`captured`, with the
 * provider's charge id) or declines it by the card rules below (`declined`,
 * with the reason). A declined capture still leaves the hold on the customer's
 * card, so compensation refunds (releases) the held amount: a refund row,
 * `pending` until the payment provider confirms it, then `completed` with the
 * provider's refund id, and the charge becomes `refunded`. A hold left over by
 * a canceled order is `voided`.
 */
export const paymentTables = {
  charges: defineTable({
    orderId: v.id('orders'),
    workItemId: vWorkItemId,
    /** Last four digits only. */
    cardLast4: v.string(),
    amount: v.number(),
    status: v.union(v.literal('authorized'), v.literal('captured'), v.literal('declined'), v.literal('refunded'), v.literal('voided')),
    declineReason: v.optional(v.string()),
    /** The payment provider's id of the capture. */
    providerChargeId: v.optional(v.string()),
  })
    .index('by_orderId', ['orderId'])
    .index('by_workItemId', ['workItemId']),
  refunds: defineTable({
    orderId: v.id('orders'),
    chargeId: v.id('charges'),
    workItemId: vWorkItemId,
    amount: v.number(),
    status: v.union(v.literal('pending'), v.literal('completed')),
    providerRefundId: v.optional(v.string()),
  })
    .index('by_workItemId', ['workItemId'])
    .index('by_orderId', ['orderId']),
}

export type Charge = Doc<'charges'>
export type Refund = Doc<'refunds'>

/** The card networks' test number that is always declined. */
export const DECLINED_CARD = '4000000000000002'
/** The card limit: a capture above it is declined. */
export const CARD_LIMIT = 1_000

export type CaptureDecision = { approved: true } | { approved: false; reason: string }

export const PaymentDomain = {
  /** The card rules: the domain, not the engine, decides whether a capture goes through. */
  decideCapture(card: string, amount: number): CaptureDecision {
    const digits = card.replace(/\D/g, '')
    if (digits === DECLINED_CARD) return { approved: false, reason: 'card_declined' }
    if (amount > CARD_LIMIT) return { approved: false, reason: `amount ${amount} exceeds the card limit of ${CARD_LIMIT}` }
    return { approved: true }
  },

  async authorize(ctx: { db: DatabaseWriter }, hold: { orderId: Id<'orders'>; workItemId: WorkItemId; card: string; amount: number }): Promise<Charge> {
    const digits = hold.card.replace(/\D/g, '')
    if (digits.length < 12) throw new Error(`'${hold.card}' is not a card number.`)
    if (!(hold.amount > 0)) throw new Error(`Cannot authorize an amount of ${hold.amount}.`)
    const id = await ctx.db.insert('charges', {
      orderId: hold.orderId,
      workItemId: hold.workItemId,
      cardLast4: digits.slice(-4),
      amount: hold.amount,
      status: 'authorized',
    })
    return (await ctx.db.get(id))!
  },

  async chargeOfWorkItem(ctx: { db: DatabaseReader }, workItemId: WorkItemId): Promise<Charge> {
    const charge = await ctx.db
      .query('charges')
      .withIndex('by_workItemId', (q) => q.eq('workItemId', workItemId))
      .unique()
    if (!charge) throw new Error(`Work item ${workItemId} placed no charge.`)
    return charge
  },

  async chargesOfOrder(ctx: { db: DatabaseReader }, orderId: Id<'orders'>): Promise<Charge[]> {
    return await ctx.db
      .query('charges')
      .withIndex('by_orderId', (q) => q.eq('orderId', orderId))
      .collect()
  },

  async capture(ctx: { db: DatabaseWriter }, workItemId: WorkItemId, providerChargeId: string): Promise<void> {
    const charge = await PaymentDomain.chargeOfWorkItem(ctx, workItemId)
    if (charge.status !== 'authorized') throw new Error(`Charge ${charge._id} is '${charge.status}', not 'authorized'.`)
    await ctx.db.patch(charge._id, { status: 'captured', providerChargeId })
  },

  async decline(ctx: { db: DatabaseWriter }, workItemId: WorkItemId, reason: string): Promise<void> {
    const charge = await PaymentDomain.chargeOfWorkItem(ctx, workItemId)
    if (charge.status !== 'authorized') throw new Error(`Charge ${charge._id} is '${charge.status}', not 'authorized'.`)
    await ctx.db.patch(charge._id, { status: 'declined', declineReason: reason })
  },

  /** The charge a compensation must give back: a captured charge, or a declined capture whose hold is still on the card. */
  async refundableCharge(ctx: { db: DatabaseReader }, orderId: Id<'orders'>): Promise<Charge> {
    const charge = (await PaymentDomain.chargesOfOrder(ctx, orderId)).find((c) => c.status === 'captured' || c.status === 'declined')
    if (!charge) throw new Error(`Order ${orderId} has nothing to refund.`)
    return charge
  },

  async createRefund(ctx: { db: DatabaseWriter }, refund: { orderId: Id<'orders'>; charge: Charge; workItemId: WorkItemId }): Promise<Refund> {
    const id = await ctx.db.insert('refunds', {
      orderId: refund.orderId,
      chargeId: refund.charge._id,
      workItemId: refund.workItemId,
      amount: refund.charge.amount,
      status: 'pending',
    })
    return (await ctx.db.get(id))!
  },

  async refundOfWorkItem(ctx: { db: DatabaseReader }, workItemId: WorkItemId): Promise<Refund> {
    const refund = await ctx.db
      .query('refunds')
      .withIndex('by_workItemId', (q) => q.eq('workItemId', workItemId))
      .unique()
    if (!refund) throw new Error(`Work item ${workItemId} has no refund.`)
    return refund
  },

  async completeRefund(ctx: { db: DatabaseWriter }, workItemId: WorkItemId, providerRefundId: string): Promise<void> {
    const refund = await PaymentDomain.refundOfWorkItem(ctx, workItemId)
    if (refund.status === 'completed') return
    await ctx.db.patch(refund._id, { status: 'completed', providerRefundId })
    await ctx.db.patch(refund.chargeId, { status: 'refunded' })
  },

  /** Releases the holds of a canceled order (nothing was captured, so nothing is refunded). */
  async voidHolds(ctx: { db: DatabaseWriter }, orderId: Id<'orders'>): Promise<number> {
    let voided = 0
    for (const charge of await PaymentDomain.chargesOfOrder(ctx, orderId)) {
      if (charge.status === 'authorized' || charge.status === 'declined') {
        await ctx.db.patch(charge._id, { status: 'voided' })
        voided++
      }
    }
    return voided
  },
}
