import type { FunctionReference, GenericActionCtx, GenericDataModel } from 'convex/server'
import { z } from 'zod/v4'
import type { WorkItemDefinition } from '../../builder/definition'
import { backoffMs, isNonRetryable, type LateOutcome, type ServiceDefinition } from '../../builder/service'
import { tasknetError } from '../../errors'
import { engineDb } from '../dataModel'
import { generatedFunction } from '../self'
import type { Step } from '../step'
import type { WorkflowRecord, WorkItemId, WorkItemRecord } from '../store'
import { engine, type Db } from '../queries'
import type { ServiceAttempt, ServiceCompletion, ServicePool, ServiceRunArgs } from './options'

/**
 * Service work items (docs/architecture.md#service-work-items): one `tasknet_serviceCalls` document per
 * started service work item, and one job at a time in the work pool, its current attempt.
 *
 * The engine, not the pool, retries. The pool's own retry runs the action again with the same args, so
 * the action could not learn its attempt number, and the pool has no per-attempt timeout. So each
 * attempt is its own job (`retry: false`), and its completion, `serviceComplete`, decides: complete the
 * work item, fail it, or queue the next attempt at the time the retry policy gives (`runAt`). The pool
 * still queues, limits parallelism and reports each outcome; the engine counts attempts, classifies
 * errors and times attempts out, which needs its own state anyway. The pool runs the generated
 * `serviceRun`, which schedules the attempt's timeout when it starts (so time spent waiting in the
 * pool's queue is not counted) and then runs the app's action.
 *
 * A result is never lost: one that arrives after its attempt timed out or its work item ended is
 * recorded on the call (`late`), in the journal, and handed to `onLateOutcome`, never thrown.
 */

type CallDoc = NonNullable<Awaited<ReturnType<typeof callOf>>>

export function callOf(step: Step, workItemId: WorkItemId) {
  return engineDb(step.ctx)
    .query('tasknet_serviceCalls')
    .withIndex('by_workItemId', (q) => q.eq('workItemId', workItemId))
    .unique()
}

/** The pool of `workflowApi`'s `services`: a call exists only where it was given (the start refuses otherwise). */
function poolOf(step: Step): ServicePool {
  return step.services!.pool
}

const why = 'has service work items'

/** Queues `attempt` of the call, to run after `delayMs`; returns what the call document records of it. */
async function enqueue(step: Step, workflow: WorkflowRecord, workItem: WorkItemRecord, call: { idempotencyKey: string; payload?: unknown }, attempt: number, delayMs: number) {
  const pool = poolOf(step)
  const context: ServiceAttempt = { workItemId: workItem._id, attempt }
  const runAt = delayMs > 0 ? Date.now() + delayMs : undefined
  const args: ServiceRunArgs = {
    workflowName: workflow.name,
    taskName: workItem.taskName,
    call: { workItemId: workItem._id, attempt, idempotencyKey: call.idempotencyKey, ...(call.payload !== undefined ? { payload: call.payload } : {}) },
  }
  const workId = await pool.enqueueAction(step.ctx, generatedFunction<'action'>(step.self, workflow.name, 'serviceRun', why), args, {
    name: `service:${workItem.name}`,
    retry: false,
    onComplete: generatedFunction<'mutation'>(step.self, workflow.name, 'serviceComplete', why),
    context,
    ...(runAt !== undefined ? { runAt } : {}),
  })
  step.journal.record(workflow._id, { kind: 'service', workItemId: workItem._id, attempt, outcome: 'queued' })
  return { attempt, workId, nextRetryAt: runAt }
}

/**
 * The work item started: queue its first attempt. A work item started again after a reset continues
 * its call's numbering (and keeps its idempotency key), so a result of the old attempts is told apart.
 */
export async function startServiceCall(step: Step, workflow: WorkflowRecord, workItem: WorkItemRecord, service: ServiceDefinition, payload: unknown): Promise<void> {
  const existing = await callOf(step, workItem._id)
  const call = { idempotencyKey: existing?.idempotencyKey ?? `tasknet:${workItem._id}`, ...(payload !== undefined ? { payload } : {}) }
  const queued = await enqueue(step, workflow, workItem, call, (existing?.attempt ?? 0) + 1, 0)
  const db = engineDb(step.ctx)
  const fields = { ...call, workflowId: workflow._id, workItemId: workItem._id, state: 'calling' as const, attempt: queued.attempt, workId: queued.workId }
  if (existing) await db.replace(existing._id, { ...fields, abandoned: existing.abandoned, late: existing.late })
  else await db.insert('tasknet_serviceCalls', { ...fields, abandoned: [], late: [] })
}

/** What the service's outcome does to its work item: `complete` or `fail` it (src/runtime/workItems.ts). */
export type EndWorkItem = (step: Step, workItemId: WorkItemId, action: 'complete' | 'fail', payload: unknown) => Promise<void>

/** The service definition of a call's work item, with its workflow and record. */
async function serviceOf(step: Step, call: CallDoc) {
  const workflow = await step.store.workflow(call.workflowId)
  const workItem = await step.store.workItem(call.workItemId)
  if (!workflow || !workItem) return undefined
  const definition: WorkItemDefinition | undefined = step.definitionOf(workflow).tasks[workItem.taskName]?.workItem
  return definition?.service ? { workflow, workItem, service: definition.service, definition } : undefined
}

/**
 * `serviceComplete`, the work pool's onComplete for one attempt. `refusal`: applying a success threw (the
 * work item's complete callbacks), so the result is kept on the call and the attempt fails permanently.
 */
export async function completeServiceAttempt(step: Step, { context, result }: ServiceCompletion, endWorkItem: EndWorkItem, refusal?: string): Promise<void> {
  if (result.kind === 'canceled') return
  const call = await callOf(step, context.workItemId)
  if (!call) return
  const found = await serviceOf(step, call)
  if (!found) return
  const { workflow, workItem, service, definition } = found
  const outcome: LateOutcome['outcome'] = result.kind === 'success' ? { kind: 'success', result: result.returnValue ?? null } : { kind: 'failed', error: result.error }
  if (call.state !== 'calling' || call.attempt !== context.attempt) {
    const reason = call.abandoned.find((a) => a.attempt === context.attempt)?.reason ?? 'workItemEnded'
    return recordLate(step, call, workItem, service, { attempt: context.attempt, reason, outcome })
  }
  if (outcome.kind === 'failed') return attemptFailed(step, call, workflow, workItem, service, outcome.error, false, endWorkItem)
  if (refusal !== undefined) {
    const error = `the result of attempt ${call.attempt} could not be applied: ${refusal}`
    return attemptFailed(step, call, workflow, workItem, service, error, false, endWorkItem, true, outcome.result)
  }
  const parsed = service.result ? service.result.safeParse(outcome.result) : { success: true as const, data: outcome.result }
  // The complete action's schema is checked here too: its refusal would throw the result away with the step.
  const accepted = parsed.success ? definition.actions.complete?.schema?.safeParse(parsed.data) : undefined
  if (!parsed.success || (accepted && !accepted.success)) {
    const [whose, issues] = !parsed.success ? ["the service's result schema", parsed.error] : ["the complete action's schema", accepted!.error!]
    const error = `the result of attempt ${call.attempt} does not match ${whose}: ${z.prettifyError(issues)}`
    return attemptFailed(step, call, workflow, workItem, service, error, false, endWorkItem, true)
  }
  await engineDb(step.ctx).patch(call._id, { state: 'succeeded', nextRetryAt: undefined, result: parsed.data })
  step.journal.record(workflow._id, { kind: 'service', workItemId: workItem._id, attempt: call.attempt, outcome: 'succeeded' })
  await endWorkItem(step, workItem._id, 'complete', parsed.data)
}

/** `serviceTimeout`: the attempt still runs `timeoutMs` after it started; it counts as failed (retryable). */
export async function serviceAttemptTimedOut(step: Step, { workItemId, attempt }: ServiceAttempt, endWorkItem: EndWorkItem): Promise<void> {
  const call = await callOf(step, workItemId)
  if (!call || call.state !== 'calling' || call.attempt !== attempt) return
  const found = await serviceOf(step, call)
  if (!found) return
  const { workflow, workItem, service } = found
  // The running action is left to finish (an action cannot be stopped): its result arrives late.
  await attemptFailed(step, call, workflow, workItem, service, `attempt ${attempt} timed out after ${service.timeoutMs} ms`, true, endWorkItem)
}

/** A failed attempt: queue the next one after the policy's backoff, or fail the work item. */
async function attemptFailed(
  step: Step,
  call: CallDoc,
  workflow: WorkflowRecord,
  workItem: WorkItemRecord,
  service: ServiceDefinition,
  error: string,
  timedOut: boolean,
  endWorkItem: EndWorkItem,
  permanent = false,
  /** A success the work item refused: kept on the call, so compensation knows what the service did. */
  refusedResult?: unknown,
): Promise<void> {
  const db = engineDb(step.ctx)
  step.journal.record(workflow._id, { kind: 'service', workItemId: workItem._id, attempt: call.attempt, outcome: timedOut ? 'timedOut' : 'failed', error })
  const abandoned = timedOut ? [...call.abandoned, { attempt: call.attempt, reason: 'timedOut' as const }] : call.abandoned
  if (!permanent && !isNonRetryable(service, error) && call.attempt < service.retry.maxAttempts) {
    const delay = backoffMs(service.retry, call.attempt, Math.random())
    const next = await enqueue(step, workflow, workItem, call, call.attempt + 1, delay)
    await db.patch(call._id, { ...next, lastError: error, abandoned })
    return
  }
  await db.patch(call._id, { state: 'failed', nextRetryAt: undefined, lastError: error, abandoned, ...(refusedResult !== undefined ? { result: refusedResult } : {}) })
  await endWorkItem(step, workItem._id, 'fail', { error, attempts: call.attempt })
}

/**
 * The outcome of the call's current attempt (or its timeout) could not be applied: every way of ending the
 * work item threw (its callbacks, the task's policy). The outcome is kept on the call, `unapplied`, and in the
 * journal; the work item is left as it was, for the app to end it. Runs no callback, so it does not throw for them.
 */
export async function recordUnapplied(step: Step, { workItemId, attempt }: ServiceAttempt, outcome: LateOutcome['outcome'] | { kind: 'timedOut' }, errors: string[]): Promise<void> {
  const call = await callOf(step, workItemId)
  if (!call || call.state !== 'calling' || call.attempt !== attempt) return
  const what = outcome.kind === 'success' ? 'its result' : outcome.kind === 'failed' ? `its failure (${outcome.error})` : 'its timeout'
  const error = `attempt ${attempt} ended but ${what} could not be applied to work item ${workItemId}: ${errors.join('; then ')}`
  const result = outcome.kind === 'success' ? { result: outcome.result } : {}
  const abandoned = outcome.kind === 'timedOut' ? [...call.abandoned, { attempt, reason: 'timedOut' as const }] : call.abandoned
  await engineDb(step.ctx).patch(call._id, { state: 'unapplied', nextRetryAt: undefined, lastError: error, abandoned, ...result })
  step.journal.record(call.workflowId, { kind: 'service', workItemId, attempt, outcome: 'unapplied', error })
  console.error(`tasknet: ${error}; the outcome is kept on the service call (state 'unapplied')`)
}

/** Records a result that came too late for its attempt or work item, and tells `onLateOutcome`; never throws for it. */
async function recordLate(step: Step, call: CallDoc, workItem: WorkItemRecord, service: ServiceDefinition, late: LateOutcome): Promise<void> {
  await engineDb(step.ctx).patch(call._id, { late: [...call.late, late] })
  const error = late.outcome.kind === 'failed' ? { error: late.outcome.error } : {}
  step.journal.record(call.workflowId, { kind: 'service', workItemId: call.workItemId, attempt: late.attempt, outcome: 'late', ...error })
  try {
    await service.onLateOutcome?.({ mutationCtx: step.ctx, workItem: { id: workItem._id, state: workItem.state }, late })
  } catch (thrown) {
    // The outcome is recorded; an activity that fails on it must not undo that record.
    console.error(`tasknet: onLateOutcome of work item '${workItem.name}' (${workItem._id}) threw (${thrown instanceof Error ? thrown.message : String(thrown)}); the late outcome stays recorded`)
  }
}

/**
 * The work item ended (or was reset) while an attempt was in flight, by anything other than its
 * service's outcome: a job still queued is canceled; one that may have run leaves the call
 * `uncertain`, and its result, when it comes, is recorded as late.
 */
export async function serviceWorkItemEnded(step: Step, workflow: WorkflowRecord, workItem: WorkItemRecord): Promise<void> {
  const call = await callOf(step, workItem._id)
  if (!call || call.state !== 'calling') return
  const pool = poolOf(step)
  const queued = (await pool.status(step.ctx, call.workId)).state === 'pending'
  if (queued) await pool.cancel(step.ctx, call.workId)
  const state = queued ? 'canceled' : 'uncertain'
  const abandoned = queued ? call.abandoned : [...call.abandoned, { attempt: call.attempt, reason: 'workItemEnded' as const }]
  await engineDb(step.ctx).patch(call._id, { state, nextRetryAt: undefined, abandoned })
  step.journal.record(workflow._id, { kind: 'service', workItemId: workItem._id, attempt: call.attempt, outcome: state })
}

/** `getServiceCall`: a service work item's attempts as the app sees them; null before it started. */
export type ServiceCallSummary = {
  workItemId: WorkItemId
  idempotencyKey: string
  state: CallDoc['state']
  attempt: number
  nextRetryAt?: number
  lastError?: string
  result?: unknown
  late: LateOutcome[]
}

export async function getServiceCall(db: Db, workItemId: WorkItemId): Promise<ServiceCallSummary | null> {
  const doc = await engine(db)
    .query('tasknet_serviceCalls')
    .withIndex('by_workItemId', (q) => q.eq('workItemId', workItemId))
    .unique()
  if (!doc) return null
  const { idempotencyKey, state, attempt, nextRetryAt, lastError, result, late } = doc
  return {
    workItemId,
    idempotencyKey,
    state,
    attempt,
    ...(nextRetryAt !== undefined ? { nextRetryAt } : {}),
    ...(lastError !== undefined ? { lastError } : {}),
    ...(result !== undefined ? { result } : {}),
    late,
  }
}

/**
 * Only a timeout due at least this long after the attempt ended is canceled: one due sooner may already be
 * running on the scheduler, and canceling a running function cancels what it schedules (the next attempt).
 * Left alone, it finds the attempt over and does nothing.
 */
const TIMEOUT_CANCEL_MARGIN_MS = 1_000

/**
 * `serviceRun`, run by the work pool for one attempt: schedules the attempt's timeout from the moment it
 * starts, then runs the app's action, whose result or error is the attempt's outcome. An attempt that ends
 * in time cancels its timeout, so a long timeout does not leave a job behind for every attempt.
 */
export async function runServiceAttempt(
  ctx: GenericActionCtx<GenericDataModel>,
  service: ServiceDefinition,
  timeout: () => FunctionReference<'mutation', 'internal'>,
  { call }: ServiceRunArgs,
): Promise<unknown> {
  if (service.timeoutMs === undefined) return ctx.runAction(service.action, call)
  const due = Date.now() + service.timeoutMs
  const timeoutJob = await ctx.scheduler.runAfter(service.timeoutMs, timeout(), { workItemId: call.workItemId, attempt: call.attempt, scheduled: true })
  try {
    return await ctx.runAction(service.action, call)
  } finally {
    if (Date.now() <= due - TIMEOUT_CANCEL_MARGIN_MS) await ctx.scheduler.cancel(timeoutJob)
  }
}
