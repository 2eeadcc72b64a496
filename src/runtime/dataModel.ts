import type { DataModelFromSchemaDefinition, GenericDatabaseWriter, GenericMutationCtx, GenericDataModel, SchemaDefinition } from 'convex/server'
import type { tasknetTables } from './schema'

/**
 * The engine sees only its own tables. An application's data model contains
 * them (it spreads `tasknetTables` into its schema), so viewing the app's ctx
 * through this narrower model is sound; `engineDb` is the one place that says so.
 */
// The type `defineSchema(tasknetTables)` returns, without calling it: a call at module level would
// keep `defineSchema` in every bundle that imports tasknet (npm run size).
export type EngineDataModel = DataModelFromSchemaDefinition<SchemaDefinition<typeof tasknetTables, true>>
export type EngineDb = GenericDatabaseWriter<EngineDataModel>

export function engineDb(ctx: GenericMutationCtx<GenericDataModel>): EngineDb {
  return ctx.db as unknown as EngineDb
}
