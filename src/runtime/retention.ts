import { internalMutationGeneric, type DocumentByName, type FunctionReference, type GenericDatabaseWriter, type GenericDataModel, type RegisteredMutation } from 'convex/server'
import { getDocumentSize, v } from 'convex/values'
import { tasknetError } from '../errors'
import type { EngineDataModel } from './dataModel'

/**
 * Retention of the journal (docs/api.md#retention): deletes the events of workflows that finished
 * more than a given time ago, a bounded batch per transaction, so it can run from a cron.
 *
 * Which events: those of every workflow whose `ended` event (the step that completed, failed or
 * canceled it) was written before the cutoff. A child workflow counts on its own, like the root:
 * its events go once it has been finished that long, even while its parent still runs; the
 * parent's own events (its child's start, the policy's answer) stay until the parent goes.
 *
 * Why it is safe next to engine steps: a finished workflow changes no more, so no step appends to
 * a journal being deleted. Steps do read a workflow's newest event as its state (Store.workflow);
 * deleting oldest first and the `ended` event last keeps that newest event the final one until
 * none is left, and a workflow without events is read from its document. A call that stops
 * midway therefore leaves the `ended` event in `by_ended`, and the next call resumes there: the
 * index is the cursor, and running the same call twice, or two at once, deletes nothing twice.
 *
 * A workflow the outbox still delivers (a `tasknet_outbox` chain: a delivery in flight, or a chain
 * stopped after its retries ran out) keeps its journal: its undelivered events are read from it.
 * It is passed over and counted in `heldBack`; `continueAfter` lets the next call of the same run
 * start after it, and a later run (a cron's next call, without `after`) takes it once its chain is gone.
 */

export type DeleteOldEventsOptions = {
  /** Delete the events of workflows finished at least this long ago (ms). */
  olderThanMs: number
  /** At most this many events deleted by one call (default 500, at most 1,000). */
  batchSize?: number
  /** Continue after the workflows an earlier call held back: its `continueAfter`. */
  after?: number
}

export type DeleteOldEventsResult = {
  /** Events deleted by this call. */
  deleted: number
  /** Workflows whose journal this call deleted to the end (their `ended` event included). */
  workflows: number
  /** Workflows finished before the cutoff whose journal was kept because the outbox still delivers it. */
  heldBack: number
  /**
   * Where the next call continues (`after`) so that it does not pass over the same held-back workflows
   * again; absent when this call held none back (and the next call may start from the beginning).
   */
  continueAfter?: number
  /** No event of a workflow finished before the cutoff is left, but those held back. */
  isDone: boolean
}

export const defaultRetentionBatch = 500
/** Keeps a call far inside Convex's 32,000 documents read and 4,096 index ranges (about two of each per event). */
export const maxRetentionBatch = 1_000
/** Workflows a call passes over (each costs two index ranges of the 4,096 a transaction may read). */
const maxHeldBackPerCall = 500
/** Three quarters of the 16 MiB a transaction may read. */
const readBudgetBytes = 12 * 2 ** 20
/**
 * What reading and deleting one event may cost in bytes read: Convex's largest document, twice (a
 * delete reads the document again).
 */
const maxEventCost = 2 * 2 ** 20

type Db = GenericDatabaseWriter<EngineDataModel>
type EventDoc = DocumentByName<EngineDataModel, 'tasknet_events'>

/** The ended events written before `cutoff`, after those already passed over (`after`). */
function endedBefore(db: Db, cutoff: number, after: number | undefined) {
  return db
    .query('tasknet_events')
    .withIndex('by_ended', (q) => (after === undefined ? q.eq('ended', true) : q.eq('ended', true).gt('_creationTime', after)).lt('_creationTime', cutoff))
}

/** Whether an outbox chain still needs the workflow's events (one index range; a document only if there is one). */
async function outboxHolds(db: Db, workflowId: EventDoc['workflowId']): Promise<boolean> {
  return (await db.query('tasknet_outbox').withIndex('by_workflowId_and_subscriber', (q) => q.eq('workflowId', workflowId)).first()) !== null
}

/**
 * Deletes the events of workflows finished at least `olderThanMs` ago, oldest finished first, at
 * most `batchSize` in one call; call again while `isDone` is false.
 *
 * @example
 * const { deleted, isDone } = await deleteOldEvents(ctx.db, { olderThanMs: 30 * 24 * 60 * 60 * 1000 })
 */
export async function deleteOldEvents(db: GenericDatabaseWriter<GenericDataModel>, options: DeleteOldEventsOptions): Promise<DeleteOldEventsResult> {
  const { olderThanMs } = options
  const batchSize = options.batchSize ?? defaultRetentionBatch
  if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
    throw tasknetError('INVALID_STATE', `deleteOldEvents was asked for events older than ${olderThanMs} ms; expected a number of milliseconds of 0 or more.`, {
      olderThanMs,
    })
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxRetentionBatch) {
    throw tasknetError('INVALID_STATE', `deleteOldEvents was asked to delete ${batchSize} events per call; expected a whole number from 1 to ${maxRetentionBatch}.`, {
      batchSize,
    })
  }
  const engine = db as unknown as Db
  const cutoff = Date.now() - olderThanMs
  const budget = { events: batchSize, bytes: readBudgetBytes }
  let deleted = 0
  let workflows = 0
  let heldBack = 0
  let after = options.after
  const result = (isDone: boolean): DeleteOldEventsResult => ({ deleted, workflows, heldBack, ...(heldBack > 0 ? { continueAfter: after! } : {}), isDone })
  // Every read is paid for before it is made, at the most an event can cost, and then at its real
  // cost, twice (its read, and its delete's): the bytes read can never pass the budget.
  const affordable = () => Math.floor(budget.bytes / maxEventCost)
  const paid = (docs: EventDoc[]) => {
    for (const doc of docs) budget.bytes -= 2 * getDocumentSize(doc)
    return docs
  }
  // A workflow is begun only if its ended event and one more read fit.
  while (affordable() >= 2) {
    const ended = await endedBefore(engine, cutoff, after).first()
    if (!ended) return result(true)
    paid([ended])
    if (await outboxHolds(engine, ended.workflowId)) {
      after = ended._creationTime
      // Two index ranges each: a call passes over at most so many, and the next goes on after them.
      if (++heldBack === maxHeldBackPerCall) break
      continue
    }
    if (budget.events === 0) break
    const finished = await deleteJournal(engine, ended, budget, affordable, paid)
    deleted += finished.deleted
    if (!finished.done) break
    workflows++
  }
  return result(false)
}

/**
 * One workflow's events, oldest first and `ended` last, as far as the budget goes. `ended` is the
 * workflow's newest event: a finished workflow changes no more, so no step numbers one after it.
 */
async function deleteJournal(
  db: Db,
  ended: EventDoc,
  budget: { events: number; bytes: number },
  affordable: () => number,
  paid: (docs: EventDoc[]) => EventDoc[],
): Promise<{ deleted: number; done: boolean }> {
  let deleted = 0
  for (;;) {
    const take = Math.min(budget.events, affordable())
    if (take === 0) return { deleted, done: false }
    const older = paid(
      await db
        .query('tasknet_events')
        .withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', ended.workflowId).lt('sequence', ended.sequence))
        .take(take),
    )
    for (const doc of older) await db.delete(doc._id)
    budget.events -= older.length
    deleted += older.length
    // A short page was the last: only `ended` is left.
    if (older.length < take) {
      if (budget.events === 0) return { deleted, done: false }
      await db.delete(ended._id)
      budget.events--
      return { deleted: deleted + 1, done: true }
    }
  }
}

const deleteOldEventsArgs = { olderThanMs: v.number(), batchSize: v.optional(v.number()), after: v.optional(v.number()) }
const vDeleteOldEventsResult = v.object({
  deleted: v.number(),
  workflows: v.number(),
  heldBack: v.number(),
  continueAfter: v.optional(v.number()),
  isDone: v.boolean(),
})

export type RetentionOptions = {
  /**
   * This mutation's own reference (`() => internal.retention.deleteOldEvents`). With it, a call
   * that leaves work schedules the next call at once with the same arguments, so one cron run
   * deletes everything old enough, a batch per transaction; without it, the caller calls again
   * while `isDone` is false.
   */
  continueWith?: () => FunctionReference<'mutation', 'internal', DeleteOldEventsOptions, DeleteOldEventsResult>
}

/**
 * The generated internal mutation `deleteOldEvents({ olderThanMs, batchSize? })`, for a cron. It
 * deletes events of every workflow definition (the journal is one table), so an app registers it
 * once.
 *
 * @example
 * // convex/retention.ts
 * export const { deleteOldEvents } = eventRetention({ continueWith: () => internal.retention.deleteOldEvents })
 */
export function eventRetention(options: RetentionOptions = {}): {
  deleteOldEvents: RegisteredMutation<'internal', DeleteOldEventsOptions, Promise<DeleteOldEventsResult>>
} {
  const deleteOldEventsMutation = internalMutationGeneric({
    args: deleteOldEventsArgs,
    returns: vDeleteOldEventsResult,
    handler: async (ctx, args: DeleteOldEventsOptions) => {
      const result = await deleteOldEvents(ctx.db, args)
      if (!result.isDone && options.continueWith) {
        const next = result.continueAfter === undefined ? args : { ...args, after: result.continueAfter }
        await ctx.scheduler.runAfter(0, options.continueWith(), next)
      }
      return result
    },
  })
  return { deleteOldEvents: deleteOldEventsMutation }
}
