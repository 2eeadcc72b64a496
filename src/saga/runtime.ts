import { z } from 'zod/v4'
import { Builder } from '../builder'
import type { MutationCtx, RegisterScheduled, RouteContext, WorkflowId, WorkItemId } from '../builder/contexts'
import { generatedFunction } from '../runtime/self'
import { ABORT, CONCLUDE, CANCEL, compensationTask as compensationTaskName } from './names'
import type { SagaDefinition, StepDefinition } from './define'
import { sagaDb, sagaRecord, startCompensating, stepReached, stepRecord, type SagaCause, type StepDoc } from './records'

/**
 * What the compiled net's callbacks do (docs/sagas.md#the-net): they keep the saga's records, run a
 * local action or compensation in a sub-transaction, and decide routes from the records.
 */

/** Where `sagaApi` found the module exporting the saga's functions: its local steps run through its `sagaStep`. */
export type SagaBinding = { self?: () => unknown }

export type ParentCtx = { mutationCtx: MutationCtx; parent: { workflow: { id: WorkflowId; name: string } } }

const db = (ctx: MutationCtx) => sagaDb(ctx)

const messageOf = (thrown: unknown) => {
  const data = (thrown as { data?: { message?: unknown } }).data
  return typeof data?.message === 'string' ? data.message : thrown instanceof Error ? thrown.message : String(thrown)
}

export async function sagaStarted(ctx: MutationCtx, saga: SagaDefinition, workflowId: WorkflowId, input: unknown) {
  await db(ctx).insert('tasknet_sagas', {
    workflowId,
    name: saga.name,
    status: 'running',
    ...(input !== undefined ? { input } : {}),
    compensationErrors: [],
    halted: false,
    compensationsEnded: 0,
    startedAt: Date.now(),
  })
}

export async function sagaCompleted(ctx: MutationCtx, workflowId: WorkflowId) {
  const saga = await sagaRecord(db(ctx), workflowId)
  await db(ctx).patch(saga._id, { status: 'completed', endedAt: Date.now() })
}

/** The outputs of the steps `step` runs after, by name: what its action (or its service's request) reads. */
async function dependencyOutputs(ctx: MutationCtx, workflowId: WorkflowId, step: StepDefinition) {
  const outputs: Record<string, unknown> = {}
  for (const before of step.after) outputs[before] = (await stepRecord(db(ctx), workflowId, before))?.output
  return outputs
}

/** `sagaStep`, in its own sub-transaction: the step's local action or its compensation, nothing else. */
export async function runStepAction(ctx: MutationCtx, saga: SagaDefinition, a: { workflowId: WorkflowId; step: string; phase: 'forward' | 'compensate' }) {
  const step = saga.steps.find((s) => s.name === a.step)
  if (!step) throw new Error(`Saga '${saga.name}' has no step '${a.step}'.`)
  const record = await sagaRecord(db(ctx), a.workflowId)
  const base = { mutationCtx: ctx, workflowId: a.workflowId, step: step.name, input: record.input }
  if (a.phase === 'forward') {
    let snapshot: unknown
    const output = await step.action!({ ...base, outputs: await dependencyOutputs(ctx, a.workflowId, step), keep: (kept) => void (snapshot = kept) })
    return { output: output ?? null, snapshot: snapshot ?? null }
  }
  const done = await stepRecord(db(ctx), a.workflowId, step.name)
  await step.compensate!({ ...base, output: done?.output, snapshot: done?.snapshot, cause: record.cause ?? 'stepFailed', error: record.error ?? '' })
  return null
}

/** Runs the step's action or compensation through `sagaStep` in a sub-transaction: a throw rolls back its own writes only. */
async function inSubTransaction(ctx: MutationCtx, binding: SagaBinding, saga: SagaDefinition, workflowId: WorkflowId, step: string, phase: 'forward' | 'compensate') {
  const reference = generatedFunction<'mutation'>(binding.self, saga.name, 'sagaStep', 'has local saga steps')
  try {
    return { ok: true as const, result: (await ctx.runMutation(reference, { workflowId, step, phase })) as { output: unknown; snapshot: unknown } | null }
  } catch (thrown) {
    return { ok: false as const, error: messageOf(thrown) }
  }
}

async function stepFailed(ctx: MutationCtx, workflowId: WorkflowId, step: string, error: string) {
  const record = await stepRecord(db(ctx), workflowId, step)
  if (record) await db(ctx).patch(record._id, { status: 'failed', error, endedAt: Date.now() })
  await startCompensating(db(ctx), await sagaRecord(db(ctx), workflowId), 'stepFailed', error, step)
}

async function stepCompleted(ctx: MutationCtx, workflowId: WorkflowId, step: string, output: unknown, snapshot: unknown) {
  const record = (await stepRecord(db(ctx), workflowId, step))!
  await db(ctx).patch(record._id, { status: 'completed', ...(output !== null && output !== undefined ? { output } : {}), ...(snapshot !== null && snapshot !== undefined ? { snapshot } : {}), endedAt: Date.now() })
}

type EnabledCtx = ParentCtx & { workItem: { initialize(payload?: unknown): Promise<WorkItemId> }; registerScheduled: RegisterScheduled }

/**
 * Starts a work item in a step of its own (scheduled now, tied to the work item): each local action and each
 * compensation is then one transaction, whose cost does not grow with the saga, and a cancel can come between
 * two steps. Started in the same step instead, a saga of local steps would run whole in one transaction.
 */
async function startInOwnStep(ctx: EnabledCtx, binding: SagaBinding, saga: SagaDefinition, workItemId: WorkItemId, name: string) {
  const start = generatedFunction<'mutation'>(binding.self, saga.name, 'internalStartWorkItem', 'has saga steps')
  await ctx.registerScheduled(ctx.mutationCtx.scheduler.runAfter(0, start, { workItemId, args: { name }, scheduled: true }))
}

/** A step's task offers its work item when enabled, and records the step as reached; a local step's start is its own step. */
const offeredOnEnable = (saga: SagaDefinition, step: StepDefinition, binding: SagaBinding) => ({
  onEnabled: async (ctx: EnabledCtx) => {
    const workItemId = await ctx.workItem.initialize()
    await stepReached(db(ctx.mutationCtx), ctx.parent.workflow.id, step.name, workItemId)
    if (step.action) await startInOwnStep(ctx, binding, saga, workItemId, step.name)
  },
})

/** A failed work item completes its task instead, so that the route (reading the records) can send the token to the abort. */
const failureRoutes = ({ transition }: { transition: { nextState: string } }) => (transition.nextState === 'failed' ? ('complete' as const) : undefined)

/** A step's forward task: its work item runs the local action, or is a service work item. */
export function forwardTask(saga: SagaDefinition, step: StepDefinition, binding: SagaBinding, onward: readonly string[]) {
  const item = step.action ? localWorkItem(saga, step, binding) : step.service ? serviceWorkItem(step) : humanWorkItem(step)
  return Builder.task(item as never)
    .withSplitType(onward.length > 1 ? 'or' : 'xor')
    .withActivities(offeredOnEnable(saga, step, binding) as never)
    .withPolicy(failureRoutes)
}

function localWorkItem(saga: SagaDefinition, step: StepDefinition, binding: SagaBinding) {
  return Builder.workItem(step.name).withActivities({
    onStarted: async ({ mutationCtx, workItem, parent }) => {
      const outcome = await inSubTransaction(mutationCtx, binding, saga, parent.workflow.id, step.name, 'forward')
      if (outcome.ok) {
        await stepCompleted(mutationCtx, parent.workflow.id, step.name, outcome.result?.output, outcome.result?.snapshot)
        workItem.complete()
      } else {
        await stepFailed(mutationCtx, parent.workflow.id, step.name, outcome.error)
        workItem.fail()
      }
    },
  })
}

/** A person's step: the app starts and completes (or fails) the work item; its complete payload is the step's output. */
function humanWorkItem(step: StepDefinition) {
  return Builder.workItem(step.name).withActions(
    Builder.workItemActions()
      .start(z.never(), async ({ workItem }) => workItem.start())
      .complete((step.human!.output ?? z.unknown()) as z.ZodType, async ({ mutationCtx, workItem, parent }, output) => {
        await stepCompleted(mutationCtx, parent.workflow.id, step.name, output, undefined)
        await workItem.complete()
      })
      .fail(z.object({ reason: z.string() }), async ({ mutationCtx, workItem, parent }, { reason }) => {
        await stepFailed(mutationCtx, parent.workflow.id, step.name, reason)
        await workItem.fail()
      }),
  )
}

function serviceWorkItem(step: StepDefinition) {
  const { request, ...service } = step.service!
  return Builder.workItem(step.name)
    .withActions(
      Builder.workItemActions()
        .start(z.unknown(), async ({ workItem }) => workItem.start())
        .complete(z.unknown(), async ({ mutationCtx, workItem, parent }, result) => {
          await stepCompleted(mutationCtx, parent.workflow.id, step.name, result, undefined)
          await workItem.complete()
        })
        .fail(z.object({ error: z.string(), attempts: z.number() }), async ({ mutationCtx, workItem, parent }, { error }) => {
          await stepFailed(mutationCtx, parent.workflow.id, step.name, error)
          await workItem.fail()
        }),
    )
    .withActivities({
      onInitialized: async ({ mutationCtx, workItem, parent }) => {
        const saga = await sagaRecord(db(mutationCtx), parent.workflow.id)
        const outputs = await dependencyOutputs(mutationCtx, parent.workflow.id, step)
        workItem.start((request ? request({ input: saga.input, outputs }) : { input: saga.input, outputs }) as never)
      },
      // Canceled by the abort while its call was in flight: the call says whether it may have run.
      onCanceled: async ({ mutationCtx, workItem, parent }) => {
        const call = await db(mutationCtx)
          .query('tasknet_serviceCalls')
          .withIndex('by_workItemId', (q) => q.eq('workItemId', workItem.id))
          .unique()
        const record = await stepRecord(db(mutationCtx), parent.workflow.id, step.name)
        if (record && call?.state === 'uncertain') await db(mutationCtx).patch(record._id, { status: 'uncertain', endedAt: Date.now() })
      },
    })
    .service(service)
}

/** A forward step's route: on to the steps after it when its record says `completed`, to the abort otherwise. */
export function forwardRoute(step: string, onward: readonly string[]) {
  return async ({ mutationCtx, route, parent }: RouteContext<string, string>) => {
    const record = await stepRecord(db(mutationCtx), parent.workflow.id, step)
    if (record?.status !== 'completed') return onward.length > 1 ? [route.toTask(ABORT)] : route.toTask(ABORT)
    return onward.length > 1 ? onward.map((t) => route.toTask(t)) : route.toTask(onward[0]!)
  }
}

/** Whether a step's compensation runs, or why it is skipped. */
function compensationDue(saga: { halted: boolean }, step: StepDefinition, record: StepDoc | null): { run: true } | { run: false; reason: string } {
  if (saga.halted) return { run: false, reason: 'halted: an earlier compensation failed' }
  if (!record) return { run: false, reason: 'not reached' }
  if (record.status === 'completed') return { run: true }
  if (record.status === 'uncertain') return step.compensateIfUncertain ? { run: true } : { run: false, reason: 'uncertain: the call may have run' }
  return { run: false, reason: record.status === 'failed' ? 'failed: its own writes were rolled back' : 'did not complete' }
}

/** A step's compensation task: compensates it, or records it as skipped; a failed compensation fails its work item, which the policy completes. */
export function compensationTask(saga: SagaDefinition, step: StepDefinition, binding: SagaBinding) {
  const name = compensationTaskName(step.name)
  const item = Builder.workItem(name).withActivities({
    onStarted: async ({ mutationCtx, workItem, parent }) => {
      const workflowId = parent.workflow.id
      const sagaDoc = await sagaRecord(db(mutationCtx), workflowId)
      const record = await stepRecord(db(mutationCtx), workflowId, step.name)
      const due = compensationDue(sagaDoc, step, record)
      const startedAt = Date.now()
      const position = sagaDoc.compensationsEnded + 1
      if (!due.run) {
        const skipped = { status: 'skipped' as const, position, reason: due.reason, startedAt, endedAt: startedAt }
        if (record) await db(mutationCtx).patch(record._id, { compensation: skipped })
        else await db(mutationCtx).insert('tasknet_sagaSteps', { workflowId, step: step.name, status: 'running', startedAt, endedAt: startedAt, compensation: skipped })
        await db(mutationCtx).patch(sagaDoc._id, { compensationsEnded: position })
        return workItem.complete()
      }
      const outcome = await inSubTransaction(mutationCtx, binding, saga, workflowId, step.name, 'compensate')
      const endedAt = Date.now()
      if (outcome.ok) {
        await db(mutationCtx).patch(record!._id, { compensation: { status: 'compensated', position, startedAt, endedAt } })
        await db(mutationCtx).patch(sagaDoc._id, { compensationsEnded: position })
        return workItem.complete()
      }
      await db(mutationCtx).patch(record!._id, { compensation: { status: 'failed', position, error: outcome.error, startedAt, endedAt } })
      await db(mutationCtx).patch(sagaDoc._id, {
        compensationsEnded: position,
        compensationErrors: [...sagaDoc.compensationErrors, { step: step.name, error: outcome.error }],
        halted: saga.options.onCompensationFailure === 'halt',
      })
      workItem.fail()
    },
  })
  return Builder.task(item)
    .withActivities({
      onEnabled: async (ctx) => {
        await startInOwnStep(ctx as EnabledCtx, binding, saga, await ctx.workItem.initialize(), name)
      },
    })
    .withPolicy(failureRoutes)
}

/** `saga_cancel`: one work item, waiting from the start; completing it (`cancelSaga`, or the deadline) aborts the saga. */
export function cancelTask(saga: SagaDefinition) {
  const item = Builder.workItem(CANCEL)
    .withActions(
      Builder.workItemActions().complete(z.object({ reason: z.string() }), async ({ mutationCtx, workItem, parent }, { reason }) => {
        await startCompensating(db(mutationCtx), await sagaRecord(db(mutationCtx), parent.workflow.id), 'canceled', `canceled: ${reason}`)
        await workItem.complete()
      }),
    )
    .withActivities({
      // Started at once, so that `cancelSaga` is a single step: complete.
      onInitialized: ({ workItem }) => workItem.start(),
      // The deadline completes the work item without its action: what is still unexplained is the deadline.
      onCompleted: async ({ mutationCtx, parent }) => {
        const record = await sagaRecord(db(mutationCtx), parent.workflow.id)
        await startCompensating(db(mutationCtx), record, 'deadline', `the saga's deadline of ${saga.options.deadlineMs} ms passed`)
      },
    })
  const timed = saga.options.deadlineMs !== undefined ? item.deadline({ after: saga.options.deadlineMs, onExpiry: 'complete' }) : item
  return Builder.task(timed).withActivities({
    onEnabled: async ({ mutationCtx, workItem, parent }) => {
      const cancelWorkItemId = await workItem.initialize()
      const record = await sagaRecord(db(mutationCtx), parent.workflow.id)
      await db(mutationCtx).patch(record._id, { cancelWorkItemId })
    },
  })
}

/** `saga_conclude`: records the outcome of the compensation and fails, so the saga's workflow ends `failed`. */
export function concludeTask() {
  const item = Builder.workItem(CONCLUDE).withActivities({
    onInitialized: ({ workItem }) => workItem.start(),
    onStarted: async ({ mutationCtx, workItem, parent }) => {
      const record = await sagaRecord(db(mutationCtx), parent.workflow.id)
      await db(mutationCtx).patch(record._id, { status: record.compensationErrors.length > 0 ? 'failed' : 'compensated', endedAt: Date.now() })
      workItem.fail()
    },
  })
  return Builder.task(item).withActivities({
    onEnabled: async ({ workItem }) => {
      await workItem.initialize()
    },
  })
}

export type { SagaCause }
