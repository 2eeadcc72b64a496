import { defineTable } from 'convex/server'
import { v } from 'convex/values'

/**
 * The signup saga's domain (src/workflows/sagas.ts, `001_…`'s user signup): users with a subscription,
 * and the emails sent to them. What each step and compensation did is also appended to the activity log
 * (src/domain/activityLog.ts), so a test reads their order.
 */
export const accountTables = {
  users: defineTable({ email: v.string(), subscription: v.union(v.literal('none'), v.literal('active')) }).index('by_email', ['email']),
  sentEmails: defineTable({ to: v.string(), kind: v.string() }),
}
