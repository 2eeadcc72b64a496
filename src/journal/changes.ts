import type { TaskState, WorkflowState, WorkItemState } from '../net/lifecycle'

/**
 * What one engine step did to one workflow, in the order it did it: the journal's vocabulary.
 * Pure data: the runtime records it (src/runtime/journal.ts), `replay` rebuilds a workflow's
 * state from it, and readers get it back decoded from `tasknet_events`.
 */
export type JournalChange =
  /** The workflow's own transition; `from` is null when the step created it. */
  | { kind: 'workflow'; from: WorkflowState | null; to: WorkflowState }
  /** A task's transition; enabling starts a new `generation`. */
  | { kind: 'task'; task: string; generation: number; from: TaskState; to: TaskState }
  /** A work item's transition; `from` is null when the step initialized it. */
  | { kind: 'workItem'; workItemId: string; name: string; task: string; generation: number; from: WorkItemState | null; to: WorkItemState }
  /** Tokens added (`delta` > 0) or removed at a condition; `marking` is what it holds after. */
  | { kind: 'marking'; condition: string; delta: number; marking: number }
  /** An XOR- or OR-split's route function chose these target conditions. */
  | { kind: 'route'; task: string; generation: number; targets: string[] }
  /** A task's policy answered a bottom-up signal (a work item or child workflow that ended). */
  | { kind: 'policy'; task: string; generation: number; decision: 'continue' | 'complete' | 'fail'; signal: { id: string; state: WorkItemState | WorkflowState } }
  /** A scheduled function tied to an element by `registerScheduled`. */
  | { kind: 'jobRegistered'; element: string; scheduledId: string }
  /** A registered job forgotten when its element ended; `canceled` when it had not run yet. */
  | { kind: 'jobForgotten'; element: string; scheduledId: string; canceled: boolean }
  /** A composite task started a child workflow. */
  | { kind: 'childWorkflow'; task: string; generation: number; workflowId: string; name: string }
  /**
   * A service work item's attempt (docs/api.md#service-work-items): `queued` in the work pool, or how
   * it ended (`succeeded`, `failed`, `timedOut`), a result that arrived `late`, or the work item ending
   * while it was in flight: `canceled` before it ran, `uncertain` when it may have run; `unapplied`
   * when ending the work item with the outcome threw (the outcome is kept on the call).
   */
  | { kind: 'service'; workItemId: string; attempt: number; outcome: ServiceOutcome; error?: string }

export type ServiceOutcome = 'queued' | 'succeeded' | 'failed' | 'timedOut' | 'late' | 'canceled' | 'uncertain' | 'unapplied'

export type JournalChangeKind = JournalChange['kind']

/**
 * Changes are stored as one JSON string of tuples, not as an array of objects: a wide split makes
 * three changes per output, and Convex caps an array at 8,192 elements and a document at 1 MiB.
 * As tuples a change costs 20–40 bytes, so the widest step the limits allow fits in one document.
 */
type Encoded =
  | ['w', WorkflowState | null, WorkflowState]
  | ['t', string, number, TaskState, TaskState]
  | ['i', string, string, string, number, WorkItemState | null, WorkItemState]
  | ['m', string, number, number]
  | ['r', string, number, string[]]
  | ['p', string, number, 'continue' | 'complete' | 'fail', string, WorkItemState | WorkflowState]
  | ['j', string, string]
  | ['f', string, string, 0 | 1]
  | ['c', string, number, string, string]
  | ['s', string, number, ServiceOutcome, string | null]

function encodeOne(c: JournalChange): Encoded {
  switch (c.kind) {
    case 'workflow':
      return ['w', c.from, c.to]
    case 'task':
      return ['t', c.task, c.generation, c.from, c.to]
    case 'workItem':
      return ['i', c.workItemId, c.name, c.task, c.generation, c.from, c.to]
    case 'marking':
      return ['m', c.condition, c.delta, c.marking]
    case 'route':
      return ['r', c.task, c.generation, c.targets]
    case 'policy':
      return ['p', c.task, c.generation, c.decision, c.signal.id, c.signal.state]
    case 'jobRegistered':
      return ['j', c.element, c.scheduledId]
    case 'jobForgotten':
      return ['f', c.element, c.scheduledId, c.canceled ? 1 : 0]
    case 'childWorkflow':
      return ['c', c.task, c.generation, c.workflowId, c.name]
    case 'service':
      return ['s', c.workItemId, c.attempt, c.outcome, c.error ?? null]
  }
}

function decodeOne(e: Encoded): JournalChange {
  switch (e[0]) {
    case 'w':
      return { kind: 'workflow', from: e[1], to: e[2] }
    case 't':
      return { kind: 'task', task: e[1], generation: e[2], from: e[3], to: e[4] }
    case 'i':
      return { kind: 'workItem', workItemId: e[1], name: e[2], task: e[3], generation: e[4], from: e[5], to: e[6] }
    case 'm':
      return { kind: 'marking', condition: e[1], delta: e[2], marking: e[3] }
    case 'r':
      return { kind: 'route', task: e[1], generation: e[2], targets: e[3] }
    case 'p':
      return { kind: 'policy', task: e[1], generation: e[2], decision: e[3], signal: { id: e[4], state: e[5] } }
    case 'j':
      return { kind: 'jobRegistered', element: e[1], scheduledId: e[2] }
    case 'f':
      return { kind: 'jobForgotten', element: e[1], scheduledId: e[2], canceled: e[3] === 1 }
    case 'c':
      return { kind: 'childWorkflow', task: e[1], generation: e[2], workflowId: e[3], name: e[4] }
    case 's':
      return { kind: 'service', workItemId: e[1], attempt: e[2], outcome: e[3], ...(e[4] !== null ? { error: e[4] } : {}) }
  }
}

export function encodeChanges(changes: readonly JournalChange[]): string {
  return JSON.stringify(changes.map(encodeOne))
}

export function decodeChanges(encoded: string): JournalChange[] {
  return (JSON.parse(encoded) as Encoded[]).map(decodeOne)
}
