import { convexTest } from 'convex-test'
import type { GenericSchema, SchemaDefinition } from 'convex/server'
import { recordRegisteredComponents } from './components'

/** convex-test's options object (`transactionLimits` can be narrowed or switched off). */
type ConvexTestOptions = NonNullable<Parameters<typeof convexTest>[0]>

/**
 * A fresh embedded Convex backend (convex-test) with the app's schema and
 * modules, and Convex's transaction limits switched on, so a step that reads or
 * writes too much fails in the test as it would on a deployment. It records
 * the components registered on it (`workpool.register(t, 'services')`), so
 * `runScheduledInTimeOrder`'s `components: ['services']` finds the pool's
 * nested components too.
 *
 * @param schema the default export of `convex/schema.ts` (with `...tasknetTables` spread in)
 * @param modules every Convex module of the app, `import.meta.glob('../convex/**\/*.ts')` from the test file
 *   (the glob must reach `convex/_generated/`, which convex-test uses to find the modules' root)
 * @param options `transactionLimits`: `true` (the default here), `false`, or limits to override
 * @example
 * const t = tasknetTest(schema, import.meta.glob('../convex/**\/*.ts'))
 */
export function tasknetTest<Schema extends GenericSchema>(
  schema: SchemaDefinition<Schema, boolean>,
  modules: Record<string, () => Promise<any>>,
  options: Pick<ConvexTestOptions, 'transactionLimits'> = {},
) {
  return recordRegisteredComponents(convexTest({ schema, modules, transactionLimits: options.transactionLimits ?? true }))
}
