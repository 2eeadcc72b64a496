import { defineTable } from 'convex/server'
import { v } from 'convex/values'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'
import type { Doc, Id } from '../../convex/_generated/dataModel'

/**
 * Messages to customers and alerts to operators. `order_failed` is what the
 * compensation section's last task sends the customer; `payment_failure_alert`
 * is the operators' alert that the payment work item's `onFailed` schedules
 * (it runs after the work item is gone).
 */
export const notificationTables = {
  notifications: defineTable({
    orderId: v.id('orders'),
    recipient: v.string(),
    kind: v.union(v.literal('order_confirmed'), v.literal('order_failed'), v.literal('payment_failure_alert')),
    message: v.string(),
  }).index('by_orderId', ['orderId']),
}

export type Notification = Doc<'notifications'>

export const NotificationDomain = {
  async send(ctx: { db: DatabaseWriter }, n: { orderId: Id<'orders'>; recipient: string; kind: Notification['kind']; message: string }): Promise<void> {
    await ctx.db.insert('notifications', n)
  },

  async ofOrder(ctx: { db: DatabaseReader }, orderId: Id<'orders'>): Promise<Notification[]> {
    return await ctx.db
      .query('notifications')
      .withIndex('by_orderId', (q) => q.eq('orderId', orderId))
      .collect()
  },
}
