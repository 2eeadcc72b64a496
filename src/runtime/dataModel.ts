import { defineSchema, type DataModelFromSchemaDefinition, type GenericDatabaseWriter, type GenericMutationCtx, type GenericDataModel } from 'convex/server'
import { tasknetTables } from './schema'

/**
 * The engine sees only its own tables. An application's data model contains
 * them (it spreads `tasknetTables` into its schema), so viewing the app's ctx
 * through this narrower model is sound; `engineDb` is the one place that says so.
 */
const engineSchema = defineSchema(tasknetTables)
export type EngineDataModel = DataModelFromSchemaDefinition<typeof engineSchema>
export type EngineDb = GenericDatabaseWriter<EngineDataModel>

export function engineDb(ctx: GenericMutationCtx<GenericDataModel>): EngineDb {
  return ctx.db as unknown as EngineDb
}
