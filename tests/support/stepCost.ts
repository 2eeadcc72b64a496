import type { GenericDataModel, GenericMutationCtx } from 'convex/server'
import { getDocumentSize } from 'convex/values'
import { getWorkItems, workflowHandlers, type EngineOptions, type WorkflowDefinition, type WorkflowId } from '../../src'
import { decodeChanges } from '../../src/journal/changes'

/**
 * What one engine step costs, read from Convex's own transaction metrics.
 *
 * Each step runs as its own top-level transaction through convex-test's
 * `t.run`, which opens a fresh transaction-metrics tracker (its `run` calls
 * `runMutationWithHandler(..., isNested = false)`, whose `begin` creates a new
 * `TransactionMetricsTracker`). Inside it the engine handler runs exactly as
 * the registered mutation would run it (`workflowApi` registers these same
 * plain handlers), and `ctx.meta.getTransactionMetrics()` is read after the
 * handler returns, once the unit of work has been flushed. Nothing else runs
 * in that transaction, so the figures are the step's alone.
 *
 * Shared by tests/integration/budgets.test.ts and scripts/bench.ts, so it
 * imports nothing that needs vitest (`import.meta.glob`).
 */

type Ctx = GenericMutationCtx<GenericDataModel>

/** The part of a convex-test instance this module uses. */
export type Runner = { run: <Output>(func: (ctx: Ctx) => Promise<Output>) => Promise<Output> }

export type StepCost = {
  documentsRead: number
  documentsWritten: number
  /** Bytes of the documents written, as Convex counts them against its 16 MiB per transaction. */
  bytesWritten: number
  databaseQueries: number
  /** Wall time of the handler inside the transaction (convex-test's commit excluded), in milliseconds. */
  ms: number
}

/** Runs `step` as one transaction and returns its result with its cost. */
export async function measure<T>(t: Runner, step: (ctx: Ctx) => Promise<T>): Promise<{ result: T; cost: StepCost }> {
  return await t.run(async (ctx) => {
    const started = performance.now()
    const result = await step(ctx)
    const ms = performance.now() - started
    const metrics = await ctx.meta.getTransactionMetrics()
    const cost: StepCost = {
      documentsRead: metrics.documentsRead.used,
      documentsWritten: metrics.documentsWritten.used,
      bytesWritten: metrics.bytesWritten.used,
      databaseQueries: metrics.databaseQueries.used,
      ms: Math.round(ms * 1000) / 1000,
    }
    return { result, cost }
  })
}

/**
 * Drives one instance of a workflow through the engine's internal handlers,
 * measuring every step. Every atomic task of the synthetic nets offers one
 * work item when enabled; `start(task)` and `complete(task)` act on the
 * newest work item of that task. `options` are the engine's (metrics, logs) as `workflowApi` takes them.
 */
export function stepper(t: Runner, definition: WorkflowDefinition, options: EngineOptions = {}) {
  const handlers = workflowHandlers(definition, options).internal
  let workflowId: WorkflowId | undefined
  const id = () => {
    if (!workflowId) throw new Error('initialize the workflow first')
    return workflowId
  }
  const s = {
    get workflowId() {
      return id()
    },
    async initialize(payload?: unknown): Promise<StepCost> {
      const { result, cost } = await measure(t, (ctx) => handlers.initializeRootWorkflow(ctx, payload === undefined ? {} : { payload }))
      workflowId = result
      return cost
    },
    /**
     * The newest work item of a task (read in a transaction of its own, not counted in any step), in the
     * root or, with `workflowId`, in a child workflow of its hierarchy.
     */
    async workItemOf(taskName: string, workflowId: WorkflowId = id()) {
      const items = await t.run((ctx) => getWorkItems(ctx.db, definition, workflowId, taskName))
      const item = items.at(-1)
      if (!item) throw new Error(`task '${taskName}' has no work item`)
      return item
    },
    async start(taskName: string, workflowId?: WorkflowId): Promise<StepCost> {
      const item = await s.workItemOf(taskName, workflowId)
      const { cost } = await measure(t, (ctx) => handlers.startWorkItem(ctx, { workItemId: item._id, args: { name: item.name } }))
      return cost
    },
    async complete(taskName: string, payload?: unknown, workflowId?: WorkflowId): Promise<StepCost> {
      const item = await s.workItemOf(taskName, workflowId)
      const args = payload === undefined ? { name: item.name } : { name: item.name, payload }
      const { cost } = await measure(t, (ctx) => handlers.completeWorkItem(ctx, { workItemId: item._id, args }))
      return cost
    },
    /** Starts and completes the current work item of each task, in order. */
    async run(...taskNames: string[]): Promise<void> {
      for (const name of taskNames) {
        await s.start(name)
        await s.complete(name)
      }
    },
  }
  return s
}

/** Documents read and written: the figures the budgets speak of. */
export const documents = ({ documentsRead, documentsWritten }: StepCost) => ({ documentsRead, documentsWritten })

/**
 * What a step wrote to the journal: its events (one per workflow it changed), the changes they hold,
 * and their size as Convex counts a document (`getDocumentSize` of convex/values, the figure each
 * write adds to the transaction's `bytesWritten`).
 */
export type JournalCost = { events: number; changes: number; eventBytes: number }

/**
 * `before()` notes the journal's events, `written()` returns what was added since: call one before a
 * step and the other after it (each reads the events in a transaction of its own, not the step's).
 */
export function journalCost(t: Runner) {
  let seen = new Set<string>()
  const events = () => t.run(async (ctx) => (await ctx.db.query('tasknet_events').collect()) as Array<Record<string, any> & { _id: string; changes: string }>)
  return {
    async before(): Promise<void> {
      seen = new Set((await events()).map((e) => e._id))
    },
    async written(): Promise<JournalCost> {
      const fresh = (await events()).filter((e) => !seen.has(e._id))
      return {
        events: fresh.length,
        changes: fresh.reduce((n, e) => n + decodeChanges(e.changes).length, 0),
        eventBytes: fresh.reduce((n, e) => n + getDocumentSize(e), 0),
      }
    },
  }
}
