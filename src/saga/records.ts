import { defineTable } from 'convex/server'
import { v, type Infer } from 'convex/values'
import type { DataModelFromSchemaDefinition, GenericDatabaseWriter, GenericDataModel, GenericMutationCtx, SchemaDefinition } from 'convex/server'
import type { tasknetTables } from '../runtime/schema'
import type { WorkflowId } from '../runtime/store'

/**
 * A saga's records (docs/sagas.md#records): one `tasknet_sagas` document per saga run, one
 * `tasknet_sagaSteps` document per step that was reached. The compiled net reads and writes them in
 * its activities, so the net can route on them and `getSagaResult` can answer from them. Each step
 * touches its own record and the saga's, whatever the saga's size.
 */

// `/* @__PURE__ */`: these run at module load, and without the mark a bundler keeps them in every app that
// imports tasknet, sagas or not (npm run size: tasknet's share of a module and of a schema).

/**
 * A saga's status (`004_…`'s): `started` until its first step completed, then `running`, until it completes or a
 * failure, a cancel or its deadline makes it `compensating`; then `compensated`, or `failed` when a compensation failed.
 */
export const vSagaStatus = /* @__PURE__ */ v.union(/* @__PURE__ */ v.literal('started'), /* @__PURE__ */ v.literal('running'), /* @__PURE__ */ v.literal('compensating'), /* @__PURE__ */ v.literal('completed'), /* @__PURE__ */ v.literal('compensated'), /* @__PURE__ */ v.literal('failed'))

/** Why a saga compensates. */
export const vSagaCause = /* @__PURE__ */ v.union(/* @__PURE__ */ v.literal('stepFailed'), /* @__PURE__ */ v.literal('canceled'), /* @__PURE__ */ v.literal('deadline'))

/** A step's forward status: `running` once it started; then `completed`, `failed`, or `uncertain` (a service call given up while it may have run); `skipped` when its condition said so; `canceled` when the abort stopped it before it completed (it did nothing). */
export const vSagaStepStatus = /* @__PURE__ */ v.union(/* @__PURE__ */ v.literal('running'), /* @__PURE__ */ v.literal('completed'), /* @__PURE__ */ v.literal('failed'), /* @__PURE__ */ v.literal('uncertain'), /* @__PURE__ */ v.literal('skipped'), /* @__PURE__ */ v.literal('canceled'))

/**
 * A compensation: `compensated`, `failed` (its error kept), `skipped` (the step never completed, an earlier compensation
 * failed under `halt`, or a person skipped it), or `escalated` (it failed, and a person decides).
 */
export const vCompensationStatus = /* @__PURE__ */ v.union(
  /* @__PURE__ */ v.literal('compensated'),
  /* @__PURE__ */ v.literal('failed'),
  /* @__PURE__ */ v.literal('skipped'),
  /* @__PURE__ */ v.literal('escalated'),
)

export const sagaTables = {
  /**
   * One per saga run. Written by: the workflow's initialize (insert), a step's failure, `cancelSaga` and the
   * saga's deadline (`compensating`), a failed compensation (its error), the end (`completed`, `compensated`,
   * `failed`). Read by: every step of the saga (`by_workflowId`), `getSagaResult`.
   */
  tasknet_sagas: /* @__PURE__ */ defineTable({
    workflowId: /* @__PURE__ */ v.id('tasknet_workflows'),
    name: /* @__PURE__ */ v.string(),
    /** The module whose functions run this saga's steps (`examples/orderSaga`): the root saga's, which its children share. */
    driver: /* @__PURE__ */ v.string(),
    status: vSagaStatus,
    input: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.any()),
    cause: /* @__PURE__ */ v.optional(vSagaCause),
    /** The failed step's error, or why the saga was canceled. */
    error: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.string()),
    /** The step whose failure started the compensation. */
    failedAtStep: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.string()),
    /** Compensations that failed, in the order they failed. */
    compensationErrors: /* @__PURE__ */ v.array(/* @__PURE__ */ v.object({ step: /* @__PURE__ */ v.string(), error: /* @__PURE__ */ v.string() })),
    /** `halt`: a compensation failed, the others are skipped. */
    halted: /* @__PURE__ */ v.boolean(),
    /** Compensations ended so far (run, failed or skipped): the next one's `position`. */
    compensationsEnded: /* @__PURE__ */ v.number(),
    /** The pivot completed: the saga only goes forward now. */
    pivoted: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.boolean()),
    /** The work item `cancelSaga` completes (and the saga's deadline). */
    cancelWorkItemId: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.id('tasknet_workItems')),
    startedAt: /* @__PURE__ */ v.number(),
    endedAt: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.number()),
  }).index('by_workflowId', ['workflowId']),

  /**
   * One per step reached. Written by: the step's enabling (insert, `running`), its outcome, its compensation.
   * Read by: the step's route, the steps after it (their dependencies' outputs), its compensation,
   * `getSagaResult` (`by_workflowId_and_step`).
   */
  tasknet_sagaSteps: /* @__PURE__ */ defineTable({
    workflowId: /* @__PURE__ */ v.id('tasknet_workflows'),
    step: /* @__PURE__ */ v.string(),
    status: vSagaStepStatus,
    output: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.any()),
    /** What the step kept for its compensation (`keep(snapshot)`). */
    snapshot: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.any()),
    error: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.string()),
    /** Times the step was started: more than 1 only for a step after the pivot, which retries. */
    attempts: /* @__PURE__ */ v.number(),
    startedAt: /* @__PURE__ */ v.number(),
    endedAt: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.number()),
    compensation: /* @__PURE__ */ v.optional(
      /* @__PURE__ */ v.object({
        status: vCompensationStatus,
        /** 1 for the first compensation of the saga to end, then 2, …: the order they ran in (times can tie). */
        position: /* @__PURE__ */ v.number(),
        error: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.string()),
        reason: /* @__PURE__ */ v.optional(/* @__PURE__ */ v.string()),
        startedAt: /* @__PURE__ */ v.number(),
        endedAt: /* @__PURE__ */ v.number(),
      }),
    ),
  }).index('by_workflowId_and_step', ['workflowId', 'step']),
}

/**
 * A saga app spreads `sagaTables` next to `tasknetTables` (a separate export, so that an app without sagas
 * stores and bundles none of their validators); the saga runtime sees both.
 */
type SagaDataModel = DataModelFromSchemaDefinition<SchemaDefinition<typeof tasknetTables & typeof sagaTables, true>>
export type EngineDb = GenericDatabaseWriter<SagaDataModel>
export const sagaDb = (ctx: { db: unknown } | GenericMutationCtx<GenericDataModel>): EngineDb => ctx.db as EngineDb

export type SagaStatus = Infer<typeof vSagaStatus>
export type SagaCause = Infer<typeof vSagaCause>
export type SagaStepStatus = Infer<typeof vSagaStepStatus>
export type CompensationStatus = Infer<typeof vCompensationStatus>

export async function sagaRecord(db: EngineDb, workflowId: WorkflowId) {
  const saga = await db
    .query('tasknet_sagas')
    .withIndex('by_workflowId', (q) => q.eq('workflowId', workflowId))
    .unique()
  if (!saga) throw new Error(`tasknet: workflow ${workflowId} has no saga record; was it started through its saga's functions?`)
  return saga
}

export function stepRecord(db: EngineDb, workflowId: WorkflowId, step: string) {
  return db
    .query('tasknet_sagaSteps')
    .withIndex('by_workflowId_and_step', (q) => q.eq('workflowId', workflowId).eq('step', step))
    .unique()
}

export type SagaDoc = Awaited<ReturnType<typeof sagaRecord>>
export type StepDoc = NonNullable<Awaited<ReturnType<typeof stepRecord>>>

/**
 * A step was reached: its record is `running`, or `skipped` when its condition said so. A step after the pivot is
 * reached again after each failure: its record counts the attempts.
 */
export async function stepReached(db: EngineDb, workflowId: WorkflowId, step: string, status: 'running' | 'skipped' = 'running') {
  const now = Date.now()
  const existing = await stepRecord(db, workflowId, step)
  if (existing) {
    await db.patch(existing._id, { status, attempts: existing.attempts + 1 })
    return existing._id
  }
  return db.insert('tasknet_sagaSteps', { workflowId, step, status, attempts: 1, startedAt: now, ...(status === 'skipped' ? { endedAt: now } : {}) })
}

/** The saga starts compensating, for `cause`; only the first cause counts. */
export async function startCompensating(db: EngineDb, saga: SagaDoc, cause: SagaCause, error: string, failedAtStep?: string) {
  if (saga.status !== 'running' && saga.status !== 'started') return
  await db.patch(saga._id, { status: 'compensating', cause, error, ...(failedAtStep ? { failedAtStep } : {}) })
}
