/**
 * One fresh convex-test backend per random net, with the net's REAL generated functions:
 * `workflowApi(definition)` sits in the modules map under a synthetic module path
 * (`convex/fuzz/net.ts`) and is called with `makeFunctionReference('fuzz/net:…')`.
 * The state after every step is read in one transaction as a dump of every table
 * (tests/support/dump.ts), which is also what a refused call is compared against; the journal
 * checker reads it, with the journal and the live reads, in that transaction.
 */
import { convexTest } from 'convex-test'
import { makeFunctionReference } from 'convex/server'
import schema from '../../convex/schema'
import { workflowApi, type WorkflowDefinition } from '../../src'
import { dumpTables } from '../support/dump'

export type Doc = Record<string, any> & { _id: string; _creationTime: number }
export type Dump = Record<string, Doc[]>
export type CallResult = { ok: true; value: unknown } | { ok: false; code: string; message: string }

const fn = (name: string) => makeFunctionReference<any>(`fuzz/net:${name}`) as any

export function fuzzBackend(definition: WorkflowDefinition) {
  const api = workflowApi(definition)
  const modules = {
    '../../convex/_generated/api.js': async () => ({}),
    '../../convex/fuzz/net.ts': async () => api,
  }
  const t = convexTest({ schema, modules, transactionLimits: true })
  const call = async (kind: 'mutation' | 'query', name: string, args: unknown): Promise<CallResult> => {
    try {
      const value = kind === 'mutation' ? await t.mutation(fn(name), args as any) : await t.query(fn(name), args as any)
      return { ok: true, value }
    } catch (error) {
      const data = (error as { data?: { code?: string; message?: string } }).data
      if (data?.code) return { ok: false, code: data.code, message: data.message ?? '' }
      const e = error as Error
      return { ok: false, code: `THROW:${e?.name ?? 'Error'}`, message: String(e?.message ?? e).slice(0, 300) }
    }
  }
  return {
    /** The backend itself, for the journal checker's transactions (tests/support/journalCheck.ts). */
    t,
    mutation: (name: string, args: unknown) => call('mutation', name, args),
    query: (name: string, args: unknown) => call('query', name, args),
    dump: async () => (await dumpTables(t)) as Dump,
  }
}

export type FuzzBackend = ReturnType<typeof fuzzBackend>

/** A well-formed work item id that no document has. */
export const unknownWorkItemId = '9'.repeat(32 - 'tasknet_workItems'.length) + 'tasknet_workItems'
