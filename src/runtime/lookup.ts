import type { GenericId } from 'convex/values'
import { tasknetError } from '../errors'

/**
 * Lookups by a name or id that comes from a caller. A definition's records are plain objects, so
 * `record[name]` would find `constructor`, `toString` or `__proto__` on `Object.prototype`; only
 * the record's own keys are names. An id is checked against the table it must belong to, so an
 * id of another table is `NOT_FOUND` instead of a document read as if it were the right kind.
 */

/** `record[name]` when `name` is one of the record's own keys, else `undefined`. */
export function own<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined
}

type IdNormalizer = { normalizeId(table: string, id: string): unknown }

/** The engine tables a caller hands ids of, with the words a message uses for them. */
const described = { tasknet_workflows: 'workflow', tasknet_workItems: 'work item' } as const

/** Refuses with `NOT_FOUND` an id that is not an id of `table`. */
export function requireIdOf<Table extends keyof typeof described>(db: IdNormalizer, table: Table, id: string): GenericId<Table> {
  if (db.normalizeId(table, id) === null) {
    throw tasknetError('NOT_FOUND', `No ${described[table]} with id ${id}: it is not an id of table '${table}'.`, { id, expectedTable: table })
  }
  return id as GenericId<Table>
}
