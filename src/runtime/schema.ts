import { defineTable } from 'convex/server'
import { v, type Infer } from 'convex/values'

/**
 * The engine's tables. Prefixed `tasknet_` so they never collide with an
 * application's own. Spread them into your schema:
 * `defineSchema({ ...tasknetTables, ...yourTables })`.
 *
 * Task and condition documents are created lazily, the first time a task is
 * enabled or a condition receives a token: initializing a workflow costs the
 * same whatever the size of its net. An absent task is `disabled`; an absent
 * condition holds no token.
 */

export const vWorkflowState = v.union(
  v.literal('initialized'),
  v.literal('started'),
  v.literal('completed'),
  v.literal('failed'),
  v.literal('canceled'),
)
export const vTaskState = v.union(
  v.literal('disabled'),
  v.literal('enabled'),
  v.literal('started'),
  v.literal('completed'),
  v.literal('failed'),
  v.literal('canceled'),
)
export const vWorkItemState = v.union(
  v.literal('initialized'),
  v.literal('started'),
  v.literal('completed'),
  v.literal('failed'),
  v.literal('canceled'),
)

/** The validator for a reference to a workflow from an application's table. */
export const vWorkflowId = v.id('tasknet_workflows')
/** The validator for a reference to a work item from an application's table. */
export const vWorkItemId = v.id('tasknet_workItems')

export const vEventTarget = v.union(
  v.object({ kind: v.literal('workflow'), name: v.string(), workflowId: v.optional(v.id('tasknet_workflows')) }),
  v.object({ kind: v.literal('task'), workflowId: v.id('tasknet_workflows'), name: v.string() }),
  v.object({ kind: v.literal('workItem'), workItemId: v.id('tasknet_workItems') }),
)
/** The workflow as a step left it, carried by its journal event. */
export const vEventWorkflow = v.object({
  name: v.string(),
  state: vWorkflowState,
  parent: v.optional(v.object({ workflowId: v.id('tasknet_workflows'), taskName: v.string(), taskGeneration: v.number() })),
})
export const vCaller = v.union(
  v.object({ kind: v.literal('public'), subject: v.optional(v.string()) }),
  v.object({ kind: v.literal('internal'), subject: v.optional(v.string()) }),
  v.object({ kind: v.literal('scheduled') }),
)

/** An outbox chain's state: an event of it is in the work pool, or its delivery failed for good and waits for `outboxResume`. */
export const vOutboxState = v.union(v.literal('delivering'), v.literal('stopped'))

/**
 * A service call's state (src/runtime/services/calls.ts): `calling` while an attempt is in the work pool
 * (queued, waiting for its retry time, or running), then how it ended: `succeeded`, `failed`, `canceled`
 * (its job was canceled before it ran), `uncertain` (its work item ended while the action may have run), or
 * `unapplied` (the outcome is kept, but ending the work item with it threw: the work item is left to the app).
 */
export const vServiceCallState = v.union(v.literal('calling'), v.literal('succeeded'), v.literal('failed'), v.literal('canceled'), v.literal('uncertain'), v.literal('unapplied'))

const vLateReason = v.union(v.literal('timedOut'), v.literal('workItemEnded'))

/** A result that arrived after its attempt or its work item had ended (`onLateOutcome`). */
export const vLateOutcome = v.object({
  attempt: v.number(),
  reason: vLateReason,
  outcome: v.union(v.object({ kind: v.literal('success'), result: v.any() }), v.object({ kind: v.literal('failed'), error: v.string() })),
})

/** Counts of one generation's work items by state, kept on the task so no step has to scan them. */
export const vTaskStats = v.object({
  initialized: v.number(),
  started: v.number(),
  completed: v.number(),
  failed: v.number(),
  canceled: v.number(),
  total: v.number(),
})

export const tasknetTables = {
  /**
   * One document per workflow instance.
   * Written by: workflow initialize (insert), the first task start (initialized → started),
   * completion, failure and cancel. Read by: every step that touches the workflow, `getWorkflow`,
   * a composite task's teardown and `getChildWorkflows` (`by_parent`).
   */
  tasknet_workflows: defineTable({
    name: v.string(),
    state: vWorkflowState,
    /**
     * A child workflow's composite task: the parent workflow, the task and the generation it was
     * started for. Absent on a root workflow. Read only when the child starts or ends, so a step
     * inside a child costs what the same step in a root does.
     */
    parent: v.optional(v.object({ workflowId: v.id('tasknet_workflows'), taskName: v.string(), taskGeneration: v.number() })),
  }).index('by_parent', ['parent.workflowId', 'parent.taskName', 'parent.taskGeneration', 'state']),

  /**
   * One document per task that has ever been enabled, or had an input marked, in a workflow; its
   * state and current generation, with the generation's work item counts and its marked inputs.
   * Written by: enabling, firing, completing, failing, canceling, disabling a task, every
   * work item transition (the counts) and every marking change of one of its inputs. Read by: work item steps (`by_workflowId_and_name`),
   * workflow teardown and the OR-join decision (started tasks; `by_workflowId_and_state`),
   * `getWorkflowTaskStates`.
   */
  tasknet_tasks: defineTable({
    workflowId: v.id('tasknet_workflows'),
    name: v.string(),
    state: vTaskState,
    generation: v.number(),
    stats: vTaskStats,
    /** The generation's most recently initialized work item: `workItem.id` in the task's teardown activities. */
    lastWorkItemId: v.optional(v.id('tasknet_workItems')),
    /**
     * How many of the task's distinct input conditions hold a token, kept true by every marking change
     * (`src/runtime/marking.ts`). An AND-join holds when it equals the number of inputs, an XOR-join when
     * it is positive: a step next to a join of any fan-in decides it from this one document.
     */
    markedInputs: v.number(),
    /**
     * OR-joins only: the empty input the last decision found still reachable (the reason it waits).
     * The next decision checks it first, so a waiting OR-join costs a few reads, not one per input.
     */
    pendingInput: v.optional(v.string()),
    /**
     * When the current generation started (ms since the epoch, the step's time); absent until it does.
     * Written with the start's own patch, so it costs no document; read when the task ends, for the
     * durations of the metrics (docs/api.md#logs-and-metrics).
     */
    startedAt: v.optional(v.number()),
  })
    .index('by_workflowId_and_name', ['workflowId', 'name'])
    .index('by_workflowId_and_state', ['workflowId', 'state']),

  /**
   * One document per condition that has ever held a token; its marking.
   * Written by: task firing (consumes), task exit (produces) and cancellation regions (empty).
   * Read by: the steps whose footprint names the condition (`by_workflowId_and_name`), `getMarking`,
   * and the OR-join decision, which needs every marked condition of the workflow
   * (`by_workflowId_and_marking`, marking > 0) — only in workflows that have an OR-join.
   */
  tasknet_conditions: defineTable({
    workflowId: v.id('tasknet_workflows'),
    name: v.string(),
    marking: v.number(),
  })
    .index('by_workflowId_and_name', ['workflowId', 'name'])
    .index('by_workflowId_and_marking', ['workflowId', 'marking']),

  /**
   * One document per work item.
   * Written by: the work item actions and engine teardown. Read by: work item steps (by id),
   * task exit and workflow teardown (`by_workflowId_and_taskName_and_taskGeneration_and_state`,
   * `by_workflowId_and_state`), `getWorkItems`.
   */
  tasknet_workItems: defineTable({
    workflowId: v.id('tasknet_workflows'),
    taskName: v.string(),
    taskGeneration: v.number(),
    name: v.string(),
    state: vWorkItemState,
  })
    .index('by_workflowId_and_taskName_and_taskGeneration_and_state', ['workflowId', 'taskName', 'taskGeneration', 'state'])
    .index('by_workflowId_and_state', ['workflowId', 'state']),

  /**
   * Scheduled functions tied to an element by `registerScheduled`.
   * Written by: `registerScheduled` (insert) and the element's end (delete, after canceling
   * jobs that have not run). Read by: the element's end (`by_element`).
   */
  tasknet_scheduledJobs: defineTable({
    workflowId: v.id('tasknet_workflows'),
    /** `workItem:<id>`, `task:<workflowId>:<name>:<generation>` or `workflow:<id>`. */
    element: v.string(),
    scheduledId: v.id('_scheduled_functions'),
  }).index('by_element', ['element']),

  /**
   * The journal: one document per engine step per workflow it changed, numbered per workflow from 1
   * without gaps (docs/architecture.md#the-journal). Read them with `getEvents`; `getWorkflowAt`
   * replays them. Written by: every step that changes a workflow (insert, at its flush). Read by:
   * every step, which reads the newest event of each workflow it touches instead of the workflow's
   * document (`by_workflowId_and_sequence`, descending, first), `getEvents`, `getWorkflowAt`, and
   * retention (`by_ended`).
   */
  tasknet_events: defineTable({
    workflowId: v.id('tasknet_workflows'),
    sequence: v.number(),
    /** When the step ran (ms since the epoch). */
    time: v.number(),
    /** The generated function the step ran, without its `internal` prefix (`completeWorkItem`). */
    operation: v.string(),
    target: vEventTarget,
    caller: vCaller,
    /** The workflow as the step left it. */
    workflow: vEventWorkflow,
    /** The ordered changes, encoded (src/journal/changes.ts); `getEvents` decodes them. */
    changes: v.string(),
    /** Present on the event of the step that ended the workflow: what retention looks for. */
    ended: v.optional(v.literal(true)),
  })
    .index('by_workflowId_and_sequence', ['workflowId', 'sequence'])
    .index('by_ended', ['ended']),

  /**
   * The outbox's delivery chains (docs/architecture.md#the-outbox): one document per subscriber and
   * workflow whose events are being delivered, or whose delivery stopped; none while a subscriber has
   * received every event of a workflow. Only apps with an `outbox` option write it.
   * Written by: a step that writes an event a subscriber wants while no chain runs (insert), the
   * delivery's completion (advance to the next event, stop, or delete when caught up), `outboxResume`.
   * Read by: those same (`by_workflowId_and_subscriber`) and `getOutbox` (`by_subscriber_and_state`).
   */
  tasknet_outbox: defineTable({
    subscriber: v.string(),
    workflowId: v.id('tasknet_workflows'),
    /** The event being delivered (`delivering`), or whose delivery failed for good (`stopped`). */
    sequence: v.number(),
    state: vOutboxState,
    /** The work pool's id of the delivery in flight, which its completion must match. */
    workId: v.string(),
    /** When the chain entered its state (ms since the epoch). */
    since: v.number(),
    /** `stopped`: the last attempt's error. */
    error: v.optional(v.string()),
  })
    .index('by_workflowId_and_subscriber', ['workflowId', 'subscriber'])
    .index('by_subscriber_and_state', ['subscriber', 'state']),

  /**
   * Service work items' calls (docs/architecture.md#service-work-items): one document per service work
   * item that started, holding its attempts. Only apps with service work items write it.
   * Written by: the work item's start (insert), each attempt's completion or timeout (next attempt, or
   * the outcome), the work item's end while an attempt is in flight (`canceled` or `uncertain`), and a
   * late outcome. Read by: those same and `getServiceCall` (`by_workItemId`).
   */
  tasknet_serviceCalls: defineTable({
    workflowId: v.id('tasknet_workflows'),
    workItemId: v.id('tasknet_workItems'),
    /** The same on every attempt: what the service deduplicates on. */
    idempotencyKey: v.string(),
    /** The payload the work item started with, passed to every attempt. */
    payload: v.optional(v.any()),
    state: vServiceCallState,
    /** The attempt in flight (`calling`) or the last one. */
    attempt: v.number(),
    /** The work pool's id of that attempt. */
    workId: v.string(),
    /** When the attempt in flight runs, if it waits for a retry (ms since the epoch). */
    nextRetryAt: v.optional(v.number()),
    /** Attempts given up while they may still run (timed out, or their work item ended): their results will be late. */
    abandoned: v.array(v.object({ attempt: v.number(), reason: vLateReason })),
    /** The result of the attempt that succeeded. */
    result: v.optional(v.any()),
    /** The last failed attempt's error. */
    lastError: v.optional(v.string()),
    /** Results that arrived after their attempt or work item had ended, oldest first (at most one per attempt). */
    late: v.array(vLateOutcome),
  }).index('by_workItemId', ['workItemId']),
}

export type TaskStatsDoc = Infer<typeof vTaskStats>
