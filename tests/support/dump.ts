import schema from '../../convex/schema'

/** The part of a convex-test instance a dump needs. */
type Runner = { run: <Output>(func: (ctx: any) => Promise<Output>) => Promise<Output> }

export type Dump = Record<string, Array<Record<string, any> & { _id: string }>>

/**
 * Every document of every table of the app's schema (engine and domain tables alike, the journal's
 * `tasknet_events` among them) plus the scheduler's own table, sorted by id: two dumps are equal
 * exactly when nothing was written in between. A refused or throwing step must leave the dump as it
 * was, its journal included.
 */
export async function dumpTables(t: Runner): Promise<Dump> {
  return await t.run(dumpDb)
}

/** `dumpTables` inside a transaction of the caller's, to read more in the same snapshot. */
export async function dumpDb(ctx: any): Promise<Dump> {
  const dump: Dump = {}
  for (const table of Object.keys(schema.tables).sort()) {
    const docs = (await ctx.db.query(table).collect()) as Dump[string]
    dump[table] = docs.sort((a, b) => a._id.localeCompare(b._id))
  }
  const scheduled = (await ctx.db.system.query('_scheduled_functions').collect()) as Dump[string]
  dump._scheduled_functions = scheduled.sort((a, b) => a._id.localeCompare(b._id))
  return dump
}
