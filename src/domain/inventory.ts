import { defineTable } from 'convex/server'
import { v } from 'convex/values'
import { vWorkItemId } from '../runtime/schema'
import type { WorkItemId } from '../builder/contexts'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'
import type { Doc, Id } from '../../convex/_generated/dataModel'
import type { OrderItem } from './orders'

/**
 * Stock and reservations. Reserving takes units out of `available` and
 * records a `held` reservation per product, tied to the work item that made
 * it; confirming keeps the units with the order; releasing puts them back.
 * Releasing is idempotent: a reservation is released at most once.
 */
export const inventoryTables = {
  stock: defineTable({
    productId: v.string(),
    name: v.string(),
    available: v.number(),
  }).index('by_productId', ['productId']),
  reservations: defineTable({
    orderId: v.id('orders'),
    workItemId: vWorkItemId,
    productId: v.string(),
    quantity: v.number(),
    status: v.union(v.literal('held'), v.literal('confirmed'), v.literal('released')),
  })
    .index('by_workItemId', ['workItemId'])
    .index('by_orderId', ['orderId']),
}

export type Reservation = Doc<'reservations'>

async function stockOf(ctx: { db: DatabaseReader }, productId: string): Promise<Doc<'stock'> | null> {
  return await ctx.db
    .query('stock')
    .withIndex('by_productId', (q) => q.eq('productId', productId))
    .unique()
}

export const InventoryDomain = {
  stockOf,

  /** Adds units of a product (creating it if new). */
  async restock(ctx: { db: DatabaseWriter }, product: { productId: string; name: string; quantity: number }): Promise<void> {
    const row = await stockOf(ctx, product.productId)
    if (row) await ctx.db.patch(row._id, { available: row.available + product.quantity })
    else await ctx.db.insert('stock', { productId: product.productId, name: product.name, available: product.quantity })
  },

  /** Throws if a product is unknown. */
  async requireProducts(ctx: { db: DatabaseReader }, items: OrderItem[]): Promise<void> {
    for (const item of items) {
      if (!(await stockOf(ctx, item.productId))) throw new Error(`Unknown product '${item.productId}'.`)
    }
  },

  /** Holds the order's items for a work item; throws (vetoing the action) if stock is short. */
  async reserve(ctx: { db: DatabaseWriter }, reservation: { orderId: Id<'orders'>; workItemId: WorkItemId; items: OrderItem[] }): Promise<void> {
    for (const item of reservation.items) {
      const row = await stockOf(ctx, item.productId)
      if (!row) throw new Error(`Unknown product '${item.productId}'.`)
      if (row.available < item.quantity) {
        throw new Error(`Not enough '${item.productId}' in stock: ${item.quantity} wanted, ${row.available} available.`)
      }
      await ctx.db.patch(row._id, { available: row.available - item.quantity })
      await ctx.db.insert('reservations', {
        orderId: reservation.orderId,
        workItemId: reservation.workItemId,
        productId: item.productId,
        quantity: item.quantity,
        status: 'held',
      })
    }
  },

  async reservationsOf(ctx: { db: DatabaseReader }, workItemId: WorkItemId): Promise<Reservation[]> {
    return await ctx.db
      .query('reservations')
      .withIndex('by_workItemId', (q) => q.eq('workItemId', workItemId))
      .collect()
  },

  async reservationsOfOrder(ctx: { db: DatabaseReader }, orderId: Id<'orders'>): Promise<Reservation[]> {
    return await ctx.db
      .query('reservations')
      .withIndex('by_orderId', (q) => q.eq('orderId', orderId))
      .collect()
  },

  async confirmReservation(ctx: { db: DatabaseWriter }, workItemId: WorkItemId): Promise<void> {
    for (const r of await InventoryDomain.reservationsOf(ctx, workItemId)) {
      if (r.status === 'held') await ctx.db.patch(r._id, { status: 'confirmed' })
    }
  },

  async release(ctx: { db: DatabaseWriter }, reservations: Reservation[]): Promise<number> {
    let released = 0
    for (const r of reservations) {
      if (r.status === 'released') continue
      const row = await stockOf(ctx, r.productId)
      if (row) await ctx.db.patch(row._id, { available: row.available + r.quantity })
      await ctx.db.patch(r._id, { status: 'released' })
      released += r.quantity
    }
    return released
  },

  /** Pattern 1: what one work item reserved goes back to stock. */
  async releaseReservation(ctx: { db: DatabaseWriter }, workItemId: WorkItemId): Promise<number> {
    return await InventoryDomain.release(ctx, await InventoryDomain.reservationsOf(ctx, workItemId))
  },

  /** Pattern 2: everything the order still holds goes back to stock. */
  async releaseOrderInventory(ctx: { db: DatabaseWriter }, orderId: Id<'orders'>): Promise<number> {
    return await InventoryDomain.release(ctx, await InventoryDomain.reservationsOfOrder(ctx, orderId))
  },
}
