import type { GenericId } from 'convex/values'
import { decodeChanges, type JournalChange } from '../journal/changes'
import { replay } from '../journal/replay'
import { tasknetError } from '../errors'
import type { Names } from '../builder/workflow'
import type { WorkflowState } from '../net/lifecycle'
import type { Markings, TaskStates } from './apiTypes'
import type { Caller, EventTarget, Operation } from './journal'
import { engine, requireWorkflow, type Db, type RootWorkflow, type WorkItemSummary } from './queries'
import type { WorkflowId } from './store'

/**
 * Reads of the journal (docs/api.md#the-journal), as plain functions over `ctx.db` like the other
 * read helpers; the generated `getEvents` and `getWorkflowAt` are these same functions.
 */

/** One journal event: what one step did to one workflow. */
export type JournalEvent = {
  _id: GenericId<'tasknet_events'>
  workflowId: WorkflowId
  /** 1, 2, 3 … per workflow, without gaps. */
  sequence: number
  /** When the step ran (ms since the epoch). */
  time: number
  operation: Operation
  target: EventTarget
  caller: Caller
  /** The workflow as the step left it. */
  workflow: { name: string; state: WorkflowState; parent?: { workflowId: WorkflowId; taskName: string; taskGeneration: number } }
  /**
   * In the order the step made them; at most `maxReturnedChanges` of them (`truncated` then says so,
   * and `getEventChanges` reads the rest).
   */
  changes: JournalChange[]
  /** How many changes the step made to the workflow. */
  changeCount: number
  /**
   * Present when `changes` holds only the first `maxReturnedChanges`: a Convex value holds at most
   * 8,192 array elements, and a wide split's event has three changes per branch.
   */
  truncated?: true
}

export type EventPage = {
  events: JournalEvent[]
  /** Pass as `after` for the next page; the last sequence read (the `after` given when the page is empty). */
  continueAfter: number
  isDone: boolean
}

/** The page size `getEvents` uses without `limit`, and the most it returns. */
export const defaultEventLimit = 100
export const maxEventLimit = 1_000

export type EventDoc = Awaited<ReturnType<typeof eventDocs>>[number]

/** One event of a workflow by its sequence, or null: one index range, one document. */
export function eventAt(db: Db, workflowId: WorkflowId, sequence: number) {
  return engine(db)
    .query('tasknet_events')
    .withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', workflowId).eq('sequence', sequence))
    .unique()
}

function eventDocs(db: Db, workflowId: WorkflowId, after: number, take: number) {
  return engine(db)
    .query('tasknet_events')
    .withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', workflowId).gt('sequence', after))
    .take(take)
}

/** The most changes an event carries when it is returned or delivered (a Convex array holds at most 8,192 elements). */
export const maxReturnedChanges = 8_000

/** An event's changes as they are returned and delivered: the first `maxReturnedChanges`, and how many there are. */
export function returnedChanges(changes: readonly JournalChange[]): Pick<JournalEvent, 'changes' | 'changeCount' | 'truncated'> {
  const truncated = changes.length > maxReturnedChanges
  return { changes: changes.slice(0, maxReturnedChanges), changeCount: changes.length, ...(truncated ? { truncated: true as const } : {}) }
}

/** An event document as `getEvents` returns it: its changes decoded (`returnedChanges`). */
export function decodeEvent(doc: EventDoc): JournalEvent {
  const { _id, workflowId, sequence, time, operation, target, caller, workflow } = doc
  return { _id, workflowId, sequence, time, operation: operation as Operation, target, caller, workflow, ...returnedChanges(decodeChanges(doc.changes)) }
}

/**
 * The changes of one event from `offset` on, at most `limit` (default and most: `maxReturnedChanges`):
 * the rest of an event that `getEvents` returned `truncated`.
 */
export async function getEventChanges<N extends Names>(
  db: Db,
  workflow: RootWorkflow<N>,
  workflowId: WorkflowId,
  sequence: number,
  options: { offset?: number; limit?: number } = {},
): Promise<{ changes: JournalChange[]; changeCount: number; isDone: boolean }> {
  const { state } = await requireWorkflow(db, workflow, workflowId)
  const offset = options.offset ?? 0
  const limit = options.limit ?? maxReturnedChanges
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > maxReturnedChanges) {
    throw tasknetError(
      'INVALID_STATE',
      `getEventChanges was asked for ${limit} changes from ${offset} of event ${sequence} of workflow ${workflowId}; expected a whole offset of 0 or more and a limit from 1 to ${maxReturnedChanges}.`,
      { workflowId, sequence, offset, limit },
    )
  }
  const doc = await eventAt(db, workflowId, sequence)
  if (!doc) throw tasknetError('NOT_FOUND', `Workflow ${workflowId} ('${state}') has no event ${sequence}.`, { workflowId, sequence, state })
  const changes = decodeChanges(doc.changes)
  return { changes: changes.slice(offset, offset + limit), changeCount: changes.length, isDone: offset + limit >= changes.length }
}

/** A workflow's events after sequence `after` (default 0: from the first), oldest first, at most `limit`. */
export async function getEvents<N extends Names>(
  db: Db,
  workflow: RootWorkflow<N>,
  workflowId: WorkflowId,
  options: { after?: number; limit?: number } = {},
): Promise<EventPage> {
  await requireWorkflow(db, workflow, workflowId)
  const after = options.after ?? 0
  const limit = options.limit ?? defaultEventLimit
  if (!Number.isInteger(limit) || limit < 1 || limit > maxEventLimit) {
    throw tasknetError('INVALID_STATE', `getEvents was asked for ${limit} events of workflow ${workflowId}; expected a whole number from 1 to ${maxEventLimit}.`, {
      workflowId,
      limit,
    })
  }
  // One more than asked tells whether this page is the last without a second query.
  const docs = await eventDocs(db, workflowId, after, limit + 1)
  const events = docs.slice(0, limit).map(decodeEvent)
  return { events, continueAfter: events.at(-1)?.sequence ?? after, isDone: docs.length <= limit }
}

/** What `getWorkflowAt` returns: the live reads' answers as they were right after one step. */
export type WorkflowAt<N extends Names = Names> = {
  workflow: { state: WorkflowState }
  tasks: TaskStates<N>
  marking: Markings<N>
  workItems: WorkItemSummary<N>[]
}

/**
 * The workflow as it was right after its event number `sequence`, rebuilt by replaying its events
 * 1 … `sequence` (`replay`, src/journal/replay.ts). It reads those events: a workflow's first
 * 32,000 steps fit in one query (Convex's limit on documents read).
 */
export async function getWorkflowAt<N extends Names>(db: Db, workflow: RootWorkflow<N>, workflowId: WorkflowId, sequence: number): Promise<WorkflowAt<N>> {
  const { definition, state } = await requireWorkflow(db, workflow, workflowId)
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw tasknetError('NOT_FOUND', `Workflow ${workflowId} has no event ${sequence}; sequences are whole numbers from 1.`, { workflowId, sequence })
  }
  const docs = await eventDocs(db, workflowId, 0, sequence)
  const last = docs.at(-1)?.sequence ?? 0
  if (docs.length !== sequence || last !== sequence) {
    throw tasknetError(
      'NOT_FOUND',
      docs.length === 0 || docs[0]!.sequence !== 1
        ? `Workflow ${workflowId} ('${state}') has no journal from its first event: it was deleted by retention, or the workflow predates the journal.`
        : `Workflow ${workflowId} ('${state}') has ${last} events; there is no event ${sequence}.`,
      { workflowId, sequence, state, lastSequence: last },
    )
  }
  const snapshot = replay(definition.net, docs.map((d) => ({ changes: decodeChanges(d.changes) })))
  return snapshot as unknown as WorkflowAt<N>
}
