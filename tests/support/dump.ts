import schema from '../../convex/schema'

/** The part of a convex-test instance a dump needs. */
type Runner = { run: <Output>(func: (ctx: any) => Promise<Output>) => Promise<Output> }

/**
 * Every document of every table of the app's schema (engine and domain tables alike) plus the
 * scheduler's own table, sorted by id: two dumps are equal exactly when nothing was written in
 * between. A refused or throwing step must leave the dump as it was.
 */
export async function dumpTables(t: Runner): Promise<Record<string, unknown[]>> {
  return await t.run(async (ctx) => {
    const dump: Record<string, unknown[]> = {}
    for (const table of Object.keys(schema.tables).sort()) {
      const docs = (await ctx.db.query(table).collect()) as Array<{ _id: string }>
      dump[table] = docs.sort((a, b) => a._id.localeCompare(b._id))
    }
    const scheduled = (await ctx.db.system.query('_scheduled_functions').collect()) as Array<{ _id: string }>
    dump._scheduled_functions = scheduled.sort((a, b) => a._id.localeCompare(b._id))
    return dump
  })
}
