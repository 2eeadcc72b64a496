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
  /** In the order the step made them. */
  changes: JournalChange[]
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

function eventDocs(db: Db, workflowId: WorkflowId, after: number, take: number) {
  return engine(db)
    .query('tasknet_events')
    .withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', workflowId).gt('sequence', after))
    .take(take)
}

/** An event document as `getEvents` returns it: its changes decoded. */
export function decodeEvent(doc: EventDoc): JournalEvent {
  const { _id, workflowId, sequence, time, operation, target, caller, workflow, changes } = doc
  return { _id, workflowId, sequence, time, operation: operation as Operation, target, caller, workflow, changes: decodeChanges(changes) }
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
