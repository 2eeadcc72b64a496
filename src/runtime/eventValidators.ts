import { v } from 'convex/values'
import { vCaller, vEventTarget, vEventWorkflow, vTaskState, vWorkflowState, vWorkItemState } from './schema'

/** The return validators of the generated `getEvents`: a decoded journal event (src/journal/changes.ts). */

const vDecision = v.union(v.literal('continue'), v.literal('complete'), v.literal('fail'))

export const vJournalChange = v.union(
  v.object({ kind: v.literal('workflow'), from: v.union(vWorkflowState, v.null()), to: vWorkflowState }),
  v.object({ kind: v.literal('task'), task: v.string(), generation: v.number(), from: vTaskState, to: vTaskState }),
  v.object({
    kind: v.literal('workItem'),
    workItemId: v.string(),
    name: v.string(),
    task: v.string(),
    generation: v.number(),
    from: v.union(vWorkItemState, v.null()),
    to: vWorkItemState,
  }),
  v.object({ kind: v.literal('marking'), condition: v.string(), delta: v.number(), marking: v.number() }),
  v.object({ kind: v.literal('route'), task: v.string(), generation: v.number(), targets: v.array(v.string()) }),
  v.object({
    kind: v.literal('policy'),
    task: v.string(),
    generation: v.number(),
    decision: vDecision,
    signal: v.object({ id: v.string(), state: v.union(vWorkItemState, vWorkflowState) }),
  }),
  v.object({ kind: v.literal('jobRegistered'), element: v.string(), scheduledId: v.string() }),
  v.object({ kind: v.literal('jobForgotten'), element: v.string(), scheduledId: v.string(), canceled: v.boolean() }),
  v.object({ kind: v.literal('childWorkflow'), task: v.string(), generation: v.number(), workflowId: v.string(), name: v.string() }),
  v.object({
    kind: v.literal('service'),
    workItemId: v.string(),
    attempt: v.number(),
    outcome: v.union(...(['queued', 'succeeded', 'failed', 'timedOut', 'late', 'canceled', 'uncertain', 'unapplied'] as const).map((o) => v.literal(o))),
    error: v.optional(v.string()),
  }),
)

export const vJournalEvent = v.object({
  _id: v.id('tasknet_events'),
  workflowId: v.id('tasknet_workflows'),
  sequence: v.number(),
  time: v.number(),
  operation: v.string(),
  target: vEventTarget,
  caller: vCaller,
  workflow: vEventWorkflow,
  changes: v.array(vJournalChange),
  changeCount: v.number(),
  truncated: v.optional(v.literal(true)),
})

export const vEventChanges = v.object({ changes: v.array(vJournalChange), changeCount: v.number(), isDone: v.boolean() })

export const vEventPage = v.object({ events: v.array(vJournalEvent), continueAfter: v.number(), isDone: v.boolean() })
