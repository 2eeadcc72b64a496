import type { GenericId } from 'convex/values'
import { encodeChanges, type JournalChange } from '../journal/changes'
import { tasknetError } from '../errors'
import type { EngineDb } from './dataModel'
import type { WorkflowId, WorkflowRecord } from './store'

/**
 * The journal of one step (docs/architecture.md#the-journal): every change the step makes, in the
 * order it makes it, kept per workflow, and written when the step's unit of work is flushed as one
 * `tasknet_events` document per workflow it changed. A step that throws never reaches the flush, so
 * it journals nothing, like it writes nothing.
 */

/** Who ran the step: a public mutation (with the caller's auth `subject`, if signed in), an internal one, or a scheduled call. */
export type Caller = { kind: 'public'; subject?: string } | { kind: 'internal'; subject?: string } | { kind: 'scheduled' }

/** What the step was asked to act on. */
export type EventTarget =
  | { kind: 'workflow'; name: string; workflowId?: WorkflowId }
  | { kind: 'task'; workflowId: WorkflowId; name: string }
  | { kind: 'workItem'; workItemId: GenericId<'tasknet_workItems'> }

/** The engine operation a step ran: the generated function's name without its `internal` prefix. */
export type Operation =
  | 'initializeRootWorkflow'
  | 'cancelRootWorkflow'
  | 'initializeWorkItem'
  | 'initializeWorkflow'
  | 'cancelWorkflow'
  | 'startWorkItem'
  | 'completeWorkItem'
  | 'failWorkItem'
  | 'cancelWorkItem'
  | 'resetWorkItem'
  | 'deadlineReached'
  | 'serviceComplete'
  | 'serviceTimeout'

export type StepInfo = { operation: Operation; target: EventTarget; caller: Caller; time: number }

/**
 * An event is written whole or not at all, and Convex refuses a document over 1 MiB after the step
 * did all its work; refusing here names the step instead. The limits of src/runtime/limits.ts keep
 * every step they allow below this.
 */
export const maxEventBytes = 1_000_000

/** A written event, as the step's observers (log lines, outbox, metrics) receive it. */
export type WrittenEvent = {
  _id: GenericId<'tasknet_events'>
  workflowId: WorkflowId
  workflowName: string
  sequence: number
  changes: readonly JournalChange[]
  /** The workflow as the step left it, as the event document holds it. */
  workflow: WorkflowRecordSummary
}

type WorkflowRecordSummary = { name: string; state: WorkflowRecord['state']; parent?: WorkflowRecord['parent'] }

export class Journal {
  private readonly parts = new Map<WorkflowId, JournalChange[]>()
  /** When each task run that ended in this step had started, by `workflowId/task/generation`; not written. */
  private readonly runStarts = new Map<string, number>()
  /** The events this step wrote, in order; empty until the flush. */
  readonly written: WrittenEvent[] = []

  constructor(readonly info: StepInfo) {}

  /**
   * Kept for the step's observers (metrics' durations), not written: a task's document holds only its
   * latest start, which a loop that ends a generation and starts the next in one step overwrites.
   */
  noteRunStart(workflowId: WorkflowId, task: string, generation: number, startedAt: number): void {
    this.runStarts.set(`${workflowId}/${task}/${generation}`, startedAt)
  }

  /** When the run of `task` (its `generation`) that left `started` in this step had started. */
  runStartedAt(workflowId: WorkflowId, task: string, generation: number): number | undefined {
    return this.runStarts.get(`${workflowId}/${task}/${generation}`)
  }

  record(workflowId: WorkflowId, change: JournalChange): void {
    let part = this.parts.get(workflowId)
    if (!part) this.parts.set(workflowId, (part = []))
    part.push(change)
  }

  /** The workflows this step changed, in the order it first changed them. */
  workflowsChanged(): WorkflowId[] {
    return [...this.parts.keys()]
  }

  changesOf(workflowId: WorkflowId): readonly JournalChange[] {
    return this.parts.get(workflowId) ?? []
  }

  /** Writes the workflow's part as its event number `sequence`. */
  async write(db: EngineDb, workflow: WorkflowRecord, sequence: number): Promise<void> {
    const changes = this.changesOf(workflow._id)
    const encoded = encodeChanges(changes)
    if (encoded.length > maxEventBytes) {
      throw tasknetError(
        'LIMIT_EXCEEDED',
        `Step '${this.info.operation}' made ${changes.length} changes to workflow ${workflow._id} ('${workflow.name}'); its journal event would take ${encoded.length} bytes, over the ${maxEventBytes} a document may hold.`,
        { workflowId: workflow._id, changes: changes.length, bytes: encoded.length, limit: maxEventBytes },
      )
    }
    const { operation, target, caller, time } = this.info
    const { name, state, parent } = workflow
    const ended = state === 'completed' || state === 'failed' || state === 'canceled'
    const summary = { name, state, ...(parent ? { parent } : {}) }
    const _id = await db.insert('tasknet_events', {
      workflowId: workflow._id,
      sequence,
      time,
      operation,
      target,
      caller,
      workflow: summary,
      changes: encoded,
      ...(ended && changes.some((c) => c.kind === 'workflow') ? { ended: true as const } : {}),
    })
    this.written.push({ _id, workflowId: workflow._id, workflowName: name, sequence, changes, workflow: summary })
  }
}
