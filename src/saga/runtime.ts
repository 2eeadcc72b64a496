import { z } from 'zod/v4'
import { Builder } from '../builder'
import type { MutationCtx, RegisterScheduled, RouteContext, WorkflowId, WorkItemId } from '../builder/contexts'
import { getFunctionName, makeFunctionReference } from 'convex/server'
import { errorMessage, tasknetError } from '../errors'
import type { MetricsOptions } from '../runtime/observers/metrics'
import { countEnd } from './metrics'
import { ABORT, CONCLUDE, CANCEL } from './names'
import type { SagaDefinition, StepDefinition } from './define'
import { sagaDb, sagaRecord, startCompensating, stepReached, stepRecord, type SagaCause, type SagaDoc } from './records'

/**
 * What the compiled net's callbacks do (docs/sagas.md#the-net): they keep the saga's records, run a
 * local action or compensation in a sub-transaction, and decide routes from the records.
 */

/**
 * What `sagaApi` / `sagaFunctions` bind a saga to: the module exporting its functions (`self`; a root saga's steps run
 * through its `sagaStep` and `internalStartWorkItem`) and the metrics option its counters use.
 */
export type SagaBinding = { self?: () => unknown; metrics?: MetricsOptions }

export type ParentCtx = { mutationCtx: MutationCtx; parent: { workflow: { id: WorkflowId; name: string } } }

const db = (ctx: MutationCtx) => sagaDb(ctx)


/**
 * The module whose functions run a saga's steps: for a root saga the one `sagaApi` was given (`self`); a child saga
 * runs in its root's module, whose engine knows the whole hierarchy, so it takes its parent's.
 */
async function driverOf(ctx: MutationCtx, saga: SagaDefinition, binding: SagaBinding, workflowId: WorkflowId): Promise<string> {
  const parent = (await db(ctx).get(workflowId))?.parent
  const parentSaga = parent
    ? await db(ctx)
        .query('tasknet_sagas')
        .withIndex('by_workflowId', (q) => q.eq('workflowId', parent.workflowId))
        .unique()
    : null
  if (parentSaga) return parentSaga.driver
  // A root saga, or a saga that is the child of an ordinary workflow: the module `sagaApi` / `sagaFunctions` bound it to.
  const functions = binding.self?.() as { sagaStep?: unknown } | undefined
  if (!functions?.sagaStep) {
    throw tasknetError(
      'INVALID_DEFINITION',
      `Saga '${saga.name}' runs its steps through its module's functions: expose it with sagaApi(saga, { self: (): unknown => internal.<module> }), or, as the child of an ordinary workflow, with sagaFunctions(workflow, [saga], { self }) next to that workflow's workflowApi; export sagaStep and internalStartWorkItem from that module.`,
      { saga: saga.name },
    )
  }
  return getFunctionName(functions.sagaStep as never).split(':')[0]!
}

const reference = (driver: string, name: 'sagaStep' | 'internalStartWorkItem') => makeFunctionReference<'mutation'>(`${driver}:${name}`)

export async function sagaStarted(ctx: MutationCtx, saga: SagaDefinition, binding: SagaBinding, workflowId: WorkflowId, input: unknown) {
  await db(ctx).insert('tasknet_sagas', {
    workflowId,
    name: saga.name,
    driver: await driverOf(ctx, saga, binding, workflowId),
    status: 'started',
    ...(input !== undefined ? { input } : {}),
    compensationErrors: [],
    halted: false,
    compensationsEnded: 0,
    startedAt: Date.now(),
  })
}

export async function sagaCompleted(ctx: MutationCtx, binding: SagaBinding, workflowId: WorkflowId) {
  const saga = await sagaRecord(db(ctx), workflowId)
  const endedAt = Date.now()
  await db(ctx).patch(saga._id, { status: 'completed', endedAt })
  await countEnd(ctx, binding.metrics, saga.name, workflowId, 'completed', endedAt - saga.startedAt)
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
  if (!step) throw tasknetError('NOT_FOUND', `Saga '${saga.name}' has no step '${a.step}'.`, { saga: saga.name, step: a.step })
  const record = await sagaRecord(db(ctx), a.workflowId)
  const base = { mutationCtx: ctx, workflowId: a.workflowId, step: step.name, input: record.input }
  if (a.phase === 'forward') {
    let snapshot: unknown
    const attempt = (await stepRecord(db(ctx), a.workflowId, step.name))?.attempts ?? 1
    const output = await step.action!({ ...base, attempt, outputs: await dependencyOutputs(ctx, a.workflowId, step), keep: (kept) => void (snapshot = kept) })
    return { output: output ?? null, snapshot: snapshot ?? null }
  }
  const done = await stepRecord(db(ctx), a.workflowId, step.name)
  await step.compensate!({ ...base, output: done?.output, snapshot: done?.snapshot, cause: record.cause ?? 'stepFailed', error: record.error ?? '' })
  return null
}

/**
 * Runs the step's action or compensation through `sagaStep` in a sub-transaction: a throw rolls back its own writes
 * only. `driver`: the saga record's, which every caller has read already.
 */
export async function inSubTransaction(ctx: MutationCtx, driver: string, saga: SagaDefinition, workflowId: WorkflowId, step: string, phase: 'forward' | 'compensate') {
  try {
    return { ok: true as const, result: (await ctx.runMutation(reference(driver, 'sagaStep'), { workflowId, saga: saga.name, step, phase })) as { output: unknown; snapshot: unknown } | null }
  } catch (thrown) {
    return { ok: false as const, error: errorMessage(thrown) }
  }
}

/** A step failed: the saga compensates — unless the step comes after the pivot, which only retries (its route loops back). */
/** `read`: the saga's record, when the caller has read it already. */
async function stepFailed(ctx: MutationCtx, workflowId: WorkflowId, step: StepDefinition, error: string, read?: SagaDoc) {
  const record = await stepRecord(db(ctx), workflowId, step.name)
  if (record) await db(ctx).patch(record._id, { status: 'failed', error, endedAt: Date.now() })
  if (step.retriesForward) return
  await startCompensating(db(ctx), read ?? (await sagaRecord(db(ctx), workflowId)), 'stepFailed', error, step.name)
}

async function stepCompleted(ctx: MutationCtx, workflowId: WorkflowId, step: StepDefinition, output: unknown, snapshot: unknown, read?: SagaDoc) {
  const record = (await stepRecord(db(ctx), workflowId, step.name))!
  await db(ctx).patch(record._id, { status: 'completed', ...(output !== null && output !== undefined ? { output } : {}), ...(snapshot !== null && snapshot !== undefined ? { snapshot } : {}), endedAt: Date.now() })
  // The first step to complete makes the saga `running` (the first declared may have been skipped by its condition).
  const saga = read ?? (await sagaRecord(db(ctx), workflowId))
  if (saga.status === 'started' || step.pivot) await db(ctx).patch(saga._id, { ...(saga.status === 'started' ? { status: 'running' as const } : {}), ...(step.pivot ? { pivoted: true } : {}) })
}

export type EnabledCtx = ParentCtx & { workItem: { initialize(payload?: unknown): Promise<WorkItemId> }; registerScheduled: RegisterScheduled }

/**
 * Starts a work item in a step of its own (scheduled now, tied to the work item): each local action and each
 * compensation is then one transaction, whose cost does not grow with the saga, and a cancel can come between
 * two steps. Started in the same step instead, a saga of local steps would run whole in one transaction.
 */
export async function startInOwnStep(ctx: EnabledCtx, workItemId: WorkItemId, name: string, delayMs = 0) {
  const { driver } = await sagaRecord(db(ctx.mutationCtx), ctx.parent.workflow.id)
  await ctx.registerScheduled(ctx.mutationCtx.scheduler.runAfter(delayMs, reference(driver, 'internalStartWorkItem'), { workItemId, args: { name }, scheduled: true }))
}

const defaultForwardRetry = { initialBackoffMs: 1_000, base: 2, maxBackoffMs: 60_000 }

/** The wait before attempt `attempt` of a step after the pivot (none before the first). */
function forwardBackoff(saga: SagaDefinition, attempt: number) {
  const { initialBackoffMs, base, maxBackoffMs } = saga.options.forwardRetry ?? defaultForwardRetry
  return attempt <= 1 ? 0 : Math.min(maxBackoffMs, initialBackoffMs * base ** (attempt - 2))
}

/** Whether a step with a condition runs: the condition, given the input and the outputs of the steps before it. */
async function conditionHolds(ctx: MutationCtx, workflowId: WorkflowId, step: StepDefinition) {
  if (!step.when) return true
  const saga = await sagaRecord(db(ctx), workflowId)
  return await step.when({ mutationCtx: ctx, input: saga.input, outputs: await dependencyOutputs(ctx, workflowId, step) })
}

/**
 * A step's task records the step as reached (or skipped, by its condition) and offers its work item; a local step's
 * start is its own step. A skipped step's work item starts and cancels itself (only a started work item can cancel
 * itself by trigger), which completes the task: see `failureRoutes`.
 */
const offeredOnEnable = (saga: SagaDefinition, step: StepDefinition) => ({
  onEnabled: async (ctx: EnabledCtx) => {
    const runs = await conditionHolds(ctx.mutationCtx, ctx.parent.workflow.id, step)
    const recordId = await stepReached(db(ctx.mutationCtx), ctx.parent.workflow.id, step.name, runs ? 'running' : 'skipped')
    const workItemId = await ctx.workItem.initialize()
    const attempt = step.retriesForward ? (await db(ctx.mutationCtx).get(recordId))!.attempts : 1
    if (step.action) await startInOwnStep(ctx, workItemId, step.name, forwardBackoff(saga, attempt))
  },
})

const isSkipped = async (ctx: MutationCtx, workflowId: WorkflowId, step: string) => (await stepRecord(db(ctx), workflowId, step))?.status === 'skipped'

/**
 * A failed work item completes its task instead, so that the route (reading the records) can send the token to the
 * abort; so does the work item of a step skipped by its condition, canceled by itself, so that the saga goes on.
 */
const failureRoutes =
  (step: StepDefinition) =>
  async ({ mutationCtx, transition, parent }: ParentCtx & { transition: { nextState: string } }) => {
    if (transition.nextState === 'failed') return 'complete' as const
    if (transition.nextState === 'canceled' && step.when && (await isSkipped(mutationCtx, parent.workflow.id, step.name))) return 'complete' as const
    return undefined
  }

/** The abort canceled the step's work item before the step completed: it did nothing (a local action runs whole or not at all). */
const recordCanceled =
  (step: StepDefinition) =>
  async ({ mutationCtx, parent }: ParentCtx) => {
    const record = await stepRecord(db(mutationCtx), parent.workflow.id, step.name)
    if (record?.status === 'running') await db(mutationCtx).patch(record._id, { status: 'canceled', endedAt: Date.now() })
  }

/** A step's forward task: its work item runs the local action, or is a service work item. */
export function forwardTask(saga: SagaDefinition, step: StepDefinition, onward: readonly string[]) {
  const item = step.action ? localWorkItem(saga, step) : step.service ? serviceWorkItem(step) : humanWorkItem(step)
  return Builder.task(item as never)
    .withSplitType(onward.length > 1 ? 'or' : 'xor')
    // A step after the pivot loops back on itself: the step before it or its own failure enables it (`lifo`: one step before).
    .withJoinType(step.retriesForward ? 'xor' : 'and')
    .withActivities(offeredOnEnable(saga, step) as never)
    .withPolicy(failureRoutes(step) as never)
}

function localWorkItem(saga: SagaDefinition, step: StepDefinition) {
  return Builder.workItem(step.name).withActivities({
    onCanceled: recordCanceled(step),
    onStarted: async ({ mutationCtx, workItem, parent }) => {
      if (step.when && (await isSkipped(mutationCtx, parent.workflow.id, step.name))) return workItem.cancel()
      const sagaDoc = await sagaRecord(db(mutationCtx), parent.workflow.id)
      const outcome = await inSubTransaction(mutationCtx, sagaDoc.driver, saga, parent.workflow.id, step.name, 'forward')
      if (outcome.ok) {
        await stepCompleted(mutationCtx, parent.workflow.id, step, outcome.result?.output, outcome.result?.snapshot, sagaDoc)
        workItem.complete()
      } else {
        await stepFailed(mutationCtx, parent.workflow.id, step, outcome.error, sagaDoc)
        workItem.fail()
      }
    },
  })
}

/** A person's step: the app starts and completes (or fails) the work item; its complete payload is the step's output. */
function humanWorkItem(step: StepDefinition) {
  const skipping = step.when
    ? {
        // Nobody is asked: the work item starts and cancels itself.
        onInitialized: async ({ mutationCtx, workItem, parent }: ParentCtx & { workItem: { start(): void } }) => {
          if (await isSkipped(mutationCtx, parent.workflow.id, step.name)) workItem.start()
        },
        onStarted: async ({ mutationCtx, workItem, parent }: ParentCtx & { workItem: { cancel(): void } }) => {
          if (await isSkipped(mutationCtx, parent.workflow.id, step.name)) workItem.cancel()
        },
        onCanceled: recordCanceled(step),
      }
    : { onCanceled: recordCanceled(step) }
  return Builder.workItem(step.name)
    .withActions(
      Builder.workItemActions()
        .start(z.never(), async ({ workItem }) => workItem.start())
        .complete((step.human!.output ?? z.unknown()) as z.ZodType, async ({ mutationCtx, workItem, parent }, output) => {
          await stepCompleted(mutationCtx, parent.workflow.id, step, output, undefined)
          await workItem.complete()
        })
        .fail(z.object({ reason: z.string() }), async ({ mutationCtx, workItem, parent }, { reason }) => {
          await stepFailed(mutationCtx, parent.workflow.id, step, reason)
          await workItem.fail()
        }),
    )
    .withActivities(skipping as never)
}

function serviceWorkItem(step: StepDefinition) {
  const { request, ...service } = step.service!
  return Builder.workItem(step.name)
    .withActions(
      Builder.workItemActions()
        .start(z.unknown(), async ({ workItem }) => workItem.start())
        .complete(z.unknown(), async ({ mutationCtx, workItem, parent }, result) => {
          await stepCompleted(mutationCtx, parent.workflow.id, step, result, undefined)
          await workItem.complete()
        })
        .fail(z.object({ error: z.string(), attempts: z.number() }), async ({ mutationCtx, workItem, parent }, { error }) => {
          await stepFailed(mutationCtx, parent.workflow.id, step, error)
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
        if (record?.status === 'running') await db(mutationCtx).patch(record._id, { status: call?.state === 'uncertain' ? 'uncertain' : 'canceled', endedAt: Date.now() })
      },
    })
    .service(service)
}

/** A forward step's route: on to the steps after it when its record says `completed`, to the abort otherwise. */
export function forwardRoute(step: string, onward: readonly string[], onFailure: string = ABORT) {
  return async ({ mutationCtx, route, parent }: RouteContext<string, string>) => {
    const record = await stepRecord(db(mutationCtx), parent.workflow.id, step)
    if (record?.status !== 'completed' && record?.status !== 'skipped') return onward.length > 1 ? [route.toTask(onFailure)] : route.toTask(onFailure)
    return onward.length > 1 ? onward.map((t) => route.toTask(t)) : route.toTask(onward[0]!)
  }
}

/**
 * A child saga step's composite task: starts the child with its input when enabled; the child's end is the step's
 * (completed, or failed when the child compensated). The step's output is `{ workflowId }`, the child's run.
 */
export function childSagaTask(saga: SagaDefinition, step: StepDefinition, onward: readonly string[]) {
  const child = step.child!
  return Builder.compositeTask(child.saga.builder as never)
    .withSplitType(onward.length > 1 ? 'or' : 'xor')
    .withJoinType(step.retriesForward ? 'xor' : 'and')
    .withActivities({
      onEnabled: async ({ mutationCtx, workflow, parent }: ParentCtx & { workflow: { initialize: unknown } }) => {
        const sagaDoc = await sagaRecord(db(mutationCtx), parent.workflow.id)
        const input = child.input ? child.input({ input: sagaDoc.input, outputs: await dependencyOutputs(mutationCtx, parent.workflow.id, step) }) : sagaDoc.input
        const recordId = await stepReached(db(mutationCtx), parent.workflow.id, step.name)
        const workflowId = await (workflow.initialize as (payload: unknown) => Promise<WorkflowId>)(input)
        await db(mutationCtx).patch(recordId, { output: { workflowId } })
      },
    } as never)
    .withPolicy(async ({ mutationCtx, transition, workflow, parent }) => {
      if (transition.nextState === 'completed') {
        await stepCompleted(mutationCtx, parent.workflow.id, step, { workflowId: workflow.id }, undefined)
        return 'complete'
      }
      if (transition.nextState === 'failed') {
        const childSaga = await sagaRecord(db(mutationCtx), workflow.id)
        await stepFailed(mutationCtx, parent.workflow.id, step, `child saga '${childSaga.name}' ${childSaga.status === 'failed' ? 'failed to compensate' : 'compensated'}: ${childSaga.error ?? ''}`)
        return 'complete'
      }
      return undefined
    })
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
export function concludeTask(binding: SagaBinding) {
  const item = Builder.workItem(CONCLUDE).withActivities({
    onInitialized: ({ workItem }) => workItem.start(),
    onStarted: async ({ mutationCtx, workItem, parent }) => {
      const record = await sagaRecord(db(mutationCtx), parent.workflow.id)
      const failed = record.compensationErrors.length > 0
      const endedAt = Date.now()
      await db(mutationCtx).patch(record._id, { status: failed ? 'failed' : 'compensated', endedAt })
      await countEnd(mutationCtx, binding.metrics, record.name, parent.workflow.id, failed ? 'compensationFailed' : 'compensated', endedAt - record.startedAt)
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
