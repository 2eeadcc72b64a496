import { z } from 'zod/v4'
import { Builder } from '../builder'
import type { MutationCtx, WorkflowId, WorkItemId } from '../builder/contexts'
import { tasknetError } from '../errors'
import type { SagaDefinition, StepDefinition } from './define'
import { countCompensation, countEnd } from './metrics'
import { compensationTask as compensationTaskName } from './names'
import { compensationSequence } from './order'
import { sagaDb, sagaRecord, stepRecord, type StepDoc } from './records'
import { inSubTransaction, startInOwnStep, type EnabledCtx, type ParentCtx, type SagaBinding } from './runtime'

/**
 * A saga's compensations (docs/sagas.md#compensation-order): whether a step's compensation runs or is skipped, its
 * task in the compiled net, a finished child saga compensated from its records, and a failed compensation escalated
 * to a person.
 */

const db = (ctx: MutationCtx) => sagaDb(ctx)

/** Whether a step's compensation runs, or why it is skipped. */
function compensationDue(saga: { halted: boolean }, step: StepDefinition, record: StepDoc | null): { run: true } | { run: false; reason: string } {
  if (saga.halted) return { run: false, reason: 'halted: an earlier compensation failed' }
  if (!record) return { run: false, reason: 'not reached' }
  if (record.compensation) return { run: false, reason: 'already compensated' }
  if (record.status === 'skipped') return { run: false, reason: 'skipped by its condition' }
  if (record.status === 'completed') return { run: true }
  // A child saga torn down by the abort while it ran: its completed steps are compensated from its records.
  if (step.child && record.status === 'running' && record.output) return { run: true }
  if (record.status === 'uncertain') return step.compensateIfUncertain ? { run: true } : { run: false, reason: 'uncertain: the call may have run' }
  if (record.status === 'canceled') return { run: false, reason: 'canceled before it completed' }
  return { run: false, reason: record.status === 'failed' ? (step.child ? 'failed: the child saga compensated itself' : 'failed: its own writes were rolled back') : 'did not complete' }
}

type Ended = { ok: true } | { ok: false; errors: Array<{ step: string; error: string }> }

/**
 * Runs one step's compensation: its own in a sub-transaction (counted in the saga's metrics), or, for a child saga
 * step, the child's compensations from its records. Errors are named by `prefix` + step.
 */
async function runCompensation(ctx: MutationCtx, saga: SagaDefinition, binding: SagaBinding, driver: string, workflowId: WorkflowId, step: StepDefinition, record: StepDoc, prefix: string): Promise<Ended> {
  if (step.child) return compensateChildRun(ctx, step.child.saga.definition, step.child.saga.binding, (record.output as { workflowId: WorkflowId }).workflowId, `${prefix}${step.name}/`)
  const outcome = await inSubTransaction(ctx, driver, saga, workflowId, step.name, 'compensate')
  await countCompensation(ctx, binding.metrics, saga.name, workflowId, !outcome.ok)
  return outcome.ok ? { ok: true } : { ok: false, errors: [{ step: `${prefix}${step.name}`, error: outcome.error }] }
}

/**
 * Compensates a child saga run from its records, in the child's order, each compensation in its own
 * sub-transaction; a grandchild is compensated the same way. Errors are named `child/step`; under the child's
 * `halt`, the first one stops the rest.
 */
async function compensateChildRun(ctx: MutationCtx, child: SagaDefinition, binding: SagaBinding, childWorkflowId: WorkflowId, prefix: string): Promise<Ended> {
  const errors: Array<{ step: string; error: string }> = []
  const childSaga = await sagaRecord(db(ctx), childWorkflowId)
  for (const step of compensationSequence(child)) {
    const record = await stepRecord(db(ctx), childWorkflowId, step.name)
    const due = compensationDue({ halted: errors.length > 0 && child.options.onCompensationFailure === 'halt' }, step, record)
    const startedAt = Date.now()
    const position = childSaga.compensationsEnded + 1
    childSaga.compensationsEnded = position
    if (!due.run) {
      if (record && !record.compensation) await db(ctx).patch(record._id, { compensation: { status: 'skipped', position, reason: due.reason, startedAt, endedAt: startedAt } })
      continue
    }
    const outcome = await runCompensation(ctx, child, binding, childSaga.driver, childWorkflowId, step, record!, prefix)
    const compensation = outcome.ok
      ? { status: 'compensated' as const, position, startedAt, endedAt: Date.now() }
      : { status: 'failed' as const, position, error: outcome.errors.map((e) => e.error).join('; '), startedAt, endedAt: Date.now() }
    await db(ctx).patch(record!._id, { compensation })
    if (!outcome.ok) errors.push(...outcome.errors)
  }
  const endedAt = Date.now()
  await db(ctx).patch(childSaga._id, { compensationsEnded: childSaga.compensationsEnded, status: errors.length > 0 ? 'failed' : 'compensated', endedAt })
  await countEnd(ctx, binding.metrics, child.name, childWorkflowId, errors.length > 0 ? 'compensationFailed' : 'compensated', endedAt - childSaga.startedAt)
  return errors.length > 0 ? { ok: false, errors } : { ok: true }
}

/** A compensation task completes whether its work item compensated, failed (recorded) or was skipped (canceled). */
const compensationRoutes = ({ transition }: { transition: { nextState: string } }) =>
  transition.nextState === 'failed' || transition.nextState === 'canceled' ? ('complete' as const) : undefined

/** A step's compensation task: compensates it, or records it as skipped; a failed compensation fails its work item, which the policy completes. */
export function compensationTask(saga: SagaDefinition, step: StepDefinition, binding: SagaBinding) {
  const name = compensationTaskName(step.name)
  const escalates = saga.options.onCompensationFailure === 'escalate'
  const activities = {
    onStarted: async ({ mutationCtx, workItem, parent }: ParentCtx & { workItem: { complete(): void; fail(): void; cancel(): void } }) => {
      const workflowId = parent.workflow.id
      const sagaDoc = await sagaRecord(db(mutationCtx), workflowId)
      const record = await stepRecord(db(mutationCtx), workflowId, step.name)
      // An escalation started by a person: they decide when they complete it.
      if (record?.compensation?.status === 'escalated') return
      const due = compensationDue(sagaDoc, step, record)
      const startedAt = Date.now()
      const position = sagaDoc.compensationsEnded + 1
      if (!due.run) {
        const skipped = { status: 'skipped' as const, position, reason: due.reason, startedAt, endedAt: startedAt }
        if (record) await db(mutationCtx).patch(record._id, { compensation: skipped })
        else await db(mutationCtx).insert('tasknet_sagaSteps', { workflowId, step: step.name, status: 'running', attempts: 0, startedAt, endedAt: startedAt, compensation: skipped })
        await db(mutationCtx).patch(sagaDoc._id, { compensationsEnded: position })
        // Canceled, not completed: the journal tells a skipped compensation from one that ran.
        return workItem.cancel()
      }
      const outcome = await runCompensation(mutationCtx, saga, binding, sagaDoc.driver, workflowId, step, record!, '')
      const endedAt = Date.now()
      if (outcome.ok) {
        await db(mutationCtx).patch(record!._id, { compensation: { status: 'compensated', position, startedAt, endedAt } })
        await db(mutationCtx).patch(sagaDoc._id, { compensationsEnded: position })
        return workItem.complete()
      }
      const error = outcome.errors.map((e) => e.error).join('; ')
      if (escalates) {
        // A person decides (see `decide`); the compensations after this one wait for the task.
        await db(mutationCtx).patch(record!._id, { compensation: { status: 'escalated', position, error, startedAt, endedAt } })
        await db(mutationCtx).patch(sagaDoc._id, { compensationsEnded: position })
        return workItem.fail()
      }
      await db(mutationCtx).patch(record!._id, { compensation: { status: 'failed', position, error, startedAt, endedAt } })
      await db(mutationCtx).patch(sagaDoc._id, {
        compensationsEnded: position,
        compensationErrors: [...sagaDoc.compensationErrors, ...outcome.errors],
        halted: saga.options.onCompensationFailure === 'halt',
      })
      workItem.fail()
    },
  }
  const item = escalates ? withDecision(saga, step, Builder.workItem(name)).withActivities(activities as never) : Builder.workItem(name).withActivities(activities as never)
  if (!escalates) {
    return Builder.task(item as never)
      .withActivities({
        onEnabled: async (ctx: EnabledCtx) => {
          await startInOwnStep(ctx, await ctx.workItem.initialize(), name)
        },
      } as never)
      .withPolicy(compensationRoutes)
  }
  return Builder.task(item as never)
    .withActivities({
      onEnabled: async (ctx: EnabledCtx) => {
        await startInOwnStep(ctx, await ctx.workItem.initialize({}), name)
      },
      // The compensation failed: offer the escalation, a work item of the same task that waits for a person.
      onWorkItemStateChanged: async ({ workItem }: { workItem: { nextState: string; initialize(payload: unknown): Promise<WorkItemId> } }) => {
        if (workItem.nextState === 'failed') await workItem.initialize({ escalation: true })
      },
    } as never)
    .withPolicy(({ transition }: { transition: { nextState: string } }) => (transition.nextState === 'failed' ? 'continue' : transition.nextState !== 'started' ? 'complete' : undefined))
}

/** What a person decides about a failed compensation: run it again, skip it (the step stays as it is), or say it was undone by hand. */
export type EscalationDecision = { decision: 'retry' | 'skip' | 'resolved'; note?: string }

/**
 * The actions of an escalating compensation's work items. The first work item runs the compensation (as without
 * escalation); an escalation (`{ escalation: true }`) waits for a person, who starts it and completes it with a
 * decision. `retry` that fails again throws to the person, and the escalation stays open.
 */
function withDecision(saga: SagaDefinition, step: StepDefinition, item: ReturnType<typeof Builder.workItem>) {
  return item.withActions(
    Builder.workItemActions()
      .initialize(z.object({ escalation: z.boolean().optional() }), async ({ workItem }) => {
        await workItem.initialize()
      })
      .complete(z.object({ decision: z.enum(['retry', 'skip', 'resolved']), note: z.string().optional() }).optional(), async ({ mutationCtx, workItem, parent }, decided) => {
        if (decided) await decide(mutationCtx, saga, step, parent.workflow.id, decided)
        await workItem.complete()
      }),
  )
}

async function decide(ctx: MutationCtx, saga: SagaDefinition, step: StepDefinition, workflowId: WorkflowId, { decision, note }: EscalationDecision) {
  const sagaDoc = await sagaRecord(db(ctx), workflowId)
  const record = (await stepRecord(db(ctx), workflowId, step.name))!
  const escalated = record.compensation!
  if (escalated.status !== 'escalated') {
    throw tasknetError('INVALID_STATE', `The compensation of step '${step.name}' is '${escalated.status}', not 'escalated'; there is nothing to decide.`, { step: step.name, state: escalated.status })
  }
  const endedAt = Date.now()
  const why = note ? `: ${note}` : ''
  if (decision === 'retry') {
    const outcome = await inSubTransaction(ctx, sagaDoc.driver, saga, workflowId, step.name, 'compensate')
    if (!outcome.ok) throw tasknetError('INVALID_STATE', `The compensation of step '${step.name}' failed again: ${outcome.error}`, { step: step.name, state: 'escalated' })
    return db(ctx).patch(record._id, { compensation: { ...escalated, status: 'compensated', reason: `retried by a person${why}`, endedAt } })
  }
  if (decision === 'resolved') return db(ctx).patch(record._id, { compensation: { ...escalated, status: 'compensated', reason: `resolved by a person${why}`, endedAt } })
  // Skipped: the step stays done; the saga reports the compensation's error.
  await db(ctx).patch(record._id, { compensation: { ...escalated, status: 'skipped', reason: `skipped by a person after it failed${why}`, endedAt } })
  await db(ctx).patch(sagaDoc._id, { compensationErrors: [...sagaDoc.compensationErrors, { step: step.name, error: escalated.error ?? '' }] })
}

