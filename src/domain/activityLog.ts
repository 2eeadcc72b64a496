import { defineTable, type GenericDatabaseReader, type GenericDatabaseWriter } from 'convex/server'
import { v } from 'convex/values'

/**
 * A log of the activities, actions and policies the test workflows of
 * src/workflows/propagation.ts run, in the order they ran. It is a domain
 * table, so what a mutation logged rolls back with it. One document holds the
 * whole log as an array: the order is the order of appends, whatever the
 * clock says.
 */
export const activityLogTables = {
  activityLog: defineTable({ entries: v.array(v.string()) }),
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reader = { db: GenericDatabaseReader<any> }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Writer = { db: GenericDatabaseWriter<any> }

export const ActivityLog = {
  async append(ctx: Writer, entry: string): Promise<void> {
    const doc = await ctx.db.query('activityLog').first()
    if (doc) await ctx.db.patch(doc._id, { entries: [...doc.entries, entry] })
    else await ctx.db.insert('activityLog', { entries: [entry] })
  },

  async entries(ctx: Reader): Promise<string[]> {
    const doc = await ctx.db.query('activityLog').first()
    return doc ? [...doc.entries] : []
  },

  /** Returns the log and empties it, so a test can check one step at a time. */
  async drain(ctx: Writer): Promise<string[]> {
    const doc = await ctx.db.query('activityLog').first()
    if (!doc) return []
    await ctx.db.patch(doc._id, { entries: [] })
    return [...doc.entries]
  },
}
