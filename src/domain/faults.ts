import { defineTable } from 'convex/server'
import { v } from 'convex/values'
import type { DatabaseWriter } from '../../convex/_generated/server'

/**
 * Fault injection for the fault matrix (tests/integration/faults.test.ts). Every callback of the
 * workflows in src/workflows/faults.ts (the order workflow's through src/workflows/faultSites.ts)
 * names its site (`a.onEnabled`, `aItem.complete`, `s.route`, ...) and calls
 * `Faults.at(ctx, site)`: an armed site throws a plain `Error`, any other is
 * recorded as reached, so a test can check that a step calls the sites it expects. It is a
 * domain table, so whatever a failed step recorded rolls back with it.
 */
export const faultTables = {
  faultInjection: defineTable({ site: v.string(), armed: v.boolean() }).index('by_armed_and_site', ['armed', 'site']),
}

type Writer = { db: DatabaseWriter }

/** The message of the error an armed site throws. */
export const faultMessage = (site: string) => `Fault injected at '${site}'.`

export const Faults = {
  /** Throws if `site` is armed; otherwise records that the step reached it. */
  async at(ctx: Writer, site: string): Promise<void> {
    const armed = await ctx.db
      .query('faultInjection')
      .withIndex('by_armed_and_site', (q) => q.eq('armed', true).eq('site', site))
      .first()
    if (armed) throw new Error(faultMessage(site))
    await ctx.db.insert('faultInjection', { site, armed: false })
  },

  async arm(ctx: Writer, site: string): Promise<void> {
    await ctx.db.insert('faultInjection', { site, armed: true })
  },

  /** Disarms every armed site, so the step that failed can run again. */
  async disarm(ctx: Writer): Promise<void> {
    const armed = await ctx.db
      .query('faultInjection')
      .withIndex('by_armed_and_site', (q) => q.eq('armed', true))
      .collect()
    for (const doc of armed) await ctx.db.delete(doc._id)
  },

  /** The sites reached since the last call, each once, sorted; forgets them. */
  async drainReached(ctx: Writer): Promise<string[]> {
    const reached = await ctx.db
      .query('faultInjection')
      .withIndex('by_armed_and_site', (q) => q.eq('armed', false))
      .collect()
    for (const doc of reached) await ctx.db.delete(doc._id)
    return [...new Set(reached.map((doc) => doc.site))]
  },
}
