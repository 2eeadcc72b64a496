/**
 * `tasknet/schema` — what an application's `convex/schema.ts` needs: the engine's tables, the
 * validators for references to workflows and work items, and the state validators.
 *
 * This entry imports only `convex/values` and `convex/server` (through `./runtime/schema`): no
 * Builder and no runtime, so a schema module that spreads the tables stays small
 * (`npm run size` checks it). `tasknet` exports the same names.
 */
export { tasknetTables, vWorkflowId, vWorkItemId, vWorkflowState, vTaskState, vWorkItemState } from './runtime/schema'
/** Spread next to `tasknetTables` in an app with sagas (docs/sagas.md#setup). */
export { sagaTables } from './saga/records'
