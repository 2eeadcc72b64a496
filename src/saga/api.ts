import { internalMutationGeneric, internalQueryGeneric, type GenericDataModel, type GenericMutationCtx, type GenericQueryCtx, type RegisteredQuery } from 'convex/server'
import { v } from 'convex/values'
import { tasknetError } from '../errors'
import { workflowApi, workflowHandlers, type EngineOptions } from '../runtime/api'
import type { WorkflowMetrics } from '../runtime/observers/metrics'
import type { WorkflowId } from '../runtime/store'
import type { MutationCtx } from '../builder/contexts'
import type { Saga } from './builder'
import type { SagaDefinition } from './define'
import type { WorkflowDefinition } from '../builder/definition'
import { CANCEL } from './names'
import { sagaDb, type SagaCause } from './records'
import { runStepAction, type SagaBinding } from './runtime'
import { getSagaMetrics, type SagaMetrics } from './metrics'

/** One step as `getSagaResult` reports it. */
export type SagaStepResult = {
  step: string
  status: 'notReached' | 'running' | 'completed' | 'failed' | 'uncertain' | 'skipped' | 'canceled'
  /** Times the step was started (more than 1 for a step after the pivot that retried). */
  attempts?: number
  output?: unknown
  error?: string
  startedAt?: number
  endedAt?: number
  compensation?: { status: 'compensated' | 'failed' | 'skipped' | 'escalated'; position: number; error?: string; reason?: string; startedAt: number; endedAt: number }
}

/**
 * A saga's outcome (`003_…`'s `SagaResult`), with every step's record. `compensated` and `compensationFailed`
 * carry the error that started the compensation (a step's error, or why it was canceled), its `cause`, and the
 * step that failed (`failedAtStep`, when a step did).
 */
export type SagaResult = (
  | { status: 'started' | 'running' }
  | { status: 'compensating'; cause: SagaCause; error: string; failedAtStep?: string }
  | { status: 'completed' }
  | { status: 'compensated'; cause: SagaCause; error: string; failedAtStep?: string; compensatedSteps: string[]; skippedSteps: string[] }
  | {
      status: 'compensationFailed'
      cause: SagaCause
      error: string
      failedAtStep?: string
      compensatedSteps: string[]
      skippedSteps: string[]
      compensationErrors: Array<{ step: string; error: string }>
    }
) & { workflowId: WorkflowId; name: string; steps: SagaStepResult[]; startedAt: number; endedAt?: number }

/** Reads a saga's outcome and step records; null for a workflow that is not a saga run. */
export function getSagaResult(ctx: GenericQueryCtx<GenericDataModel>, saga: Saga, workflowId: WorkflowId): Promise<SagaResult | null> {
  return resultOf(ctx, sagasOf(saga.definition), workflowId)
}

/** `getSagaResult` over the sagas a module knows, by name. */
async function resultOf(ctx: GenericQueryCtx<GenericDataModel>, sagas: Map<string, SagaDefinition>, workflowId: WorkflowId): Promise<SagaResult | null> {
  const db = sagaDb(ctx)
  const record = await db
    .query('tasknet_sagas')
    .withIndex('by_workflowId', (q) => q.eq('workflowId', workflowId))
    .unique()
  if (!record) return null
  const rows = await db
    .query('tasknet_sagaSteps')
    .withIndex('by_workflowId_and_step', (q) => q.eq('workflowId', workflowId))
    .collect()
  const byStep = new Map(rows.map((r) => [r.step, r]))
  // A child saga's run, read through its root's functions, lists its own steps.
  const definition = sagas.get(record.name)
  if (!definition) return null
  const steps: SagaStepResult[] = definition.steps.map(({ name }) => {
    const r = byStep.get(name)
    if (!r) return { step: name, status: 'notReached' }
    const { status, output, error, startedAt, endedAt, compensation, attempts } = r
    // A record made only to say the compensation was skipped: the step itself was never reached.
    const reached = !(compensation?.status === 'skipped' && compensation.reason === 'not reached')
    return {
      step: name,
      status: reached ? status : 'notReached',
      ...(reached ? { attempts } : {}),
      ...(output !== undefined ? { output } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(reached ? { startedAt } : {}),
      ...(reached && endedAt !== undefined ? { endedAt } : {}),
      ...(compensation ? { compensation } : {}),
    }
  })
  const common = { workflowId, name: record.name, steps, startedAt: record.startedAt, ...(record.endedAt !== undefined ? { endedAt: record.endedAt } : {}) }
  if (record.status === 'started' || record.status === 'running' || record.status === 'completed') return { status: record.status, ...common }
  const why = { cause: record.cause ?? 'stepFailed', error: record.error ?? '', ...(record.failedAtStep ? { failedAtStep: record.failedAtStep } : {}) }
  if (record.status === 'compensating') return { status: 'compensating', ...why, ...common }
  // In the order their compensations ended.
  const ended = (status: string) =>
    rows
      .filter((r) => r.compensation?.status === status)
      .sort((a, b) => a.compensation!.position - b.compensation!.position)
      .map((r) => r.step)
  const outcome = { ...why, compensatedSteps: ended('compensated'), skippedSteps: ended('skipped') }
  if (record.status === 'compensated') return { status: 'compensated', ...outcome, ...common }
  return { status: 'compensationFailed', ...outcome, compensationErrors: record.compensationErrors, ...common }
}

/** The saga and its child sagas, at any depth, by name: the module's `sagaStep` runs the steps of them all. */
function sagasOf(root: SagaDefinition, found = new Map<string, SagaDefinition>()): Map<string, SagaDefinition> {
  if (found.has(root.name)) return found
  found.set(root.name, root)
  for (const step of root.steps) if (step.child) sagasOf(step.child.saga.definition, found)
  return found
}

/** `getSagaMetrics`, generated only for a `sagaApi` given `metrics`. */
type SagaMetricsFunctions<O> = O extends { metrics: WorkflowMetrics }
  ? { getSagaMetrics: RegisteredQuery<'internal', { saga?: string }, Promise<SagaMetrics>> }
  : Record<never, never>

/** The bindings of the saga and its child sagas, at any depth. */
function bindingsOf(root: { definition: SagaDefinition; binding: SagaBinding }, found = new Set<SagaBinding>()): Set<SagaBinding> {
  if (found.has(root.binding)) return found
  found.add(root.binding)
  for (const step of root.definition.steps) if (step.child) bindingsOf(step.child.saga, found)
  return found
}

/**
 * A saga's functions (docs/sagas.md#functions): those of `workflowApi` for its net, plus `sagaFunctions`' —
 * `sagaStep`, `getSagaResult`, `cancelSaga` and, with `metrics`, `getSagaMetrics`.
 *
 * @example
 * export const { internalInitializeRootWorkflow, internalStartWorkItem, sagaStep, getSagaResult, cancelSaga, ... } =
 *   sagaApi(signupSaga, { self: (): unknown => internal.signup })
 */
export function sagaApi<O extends EngineOptions & { self: () => unknown }>(saga: Saga, options: O) {
  return { ...workflowApi(saga.workflow, options), ...sagaFunctions(saga.workflow, [saga], options) }
}

/**
 * The saga functions of a module whose workflow hosts sagas: the saga itself (`sagaApi`), or an ordinary workflow
 * whose composite tasks take sagas as children (`Builder.compositeTask(saga.builder)`), exported next to its
 * `workflowApi` functions with the same options:
 * - `sagaStep`: the sub-transaction of a local step or a compensation (internal; the engine calls it through `self`);
 * - `getSagaResult({ workflowId })`: the outcome and every step's record of a run of any of these sagas or their
 *   child sagas (internal query);
 * - `cancelSaga({ workflowId, reason })`: compensates a running saga's completed steps, then ends it (internal);
 * - `getSagaMetrics({ saga? })` with `metrics` (docs/sagas.md#metrics).
 *
 * @example
 * export const { internalInitializeRootWorkflow, internalStartWorkItem, ... } = workflowApi(shopWorkflow, options)
 * export const { sagaStep, getSagaResult, cancelSaga } = sagaFunctions(shopWorkflow, [checkoutSaga], options)
 */
export function sagaFunctions<O extends EngineOptions & { self: () => unknown }>(host: WorkflowDefinition | { build(): WorkflowDefinition }, sagas: readonly Saga[], options: O) {
  for (const saga of sagas) {
    if (saga.binding.self && saga.binding.self !== options.self) {
      throw tasknetError('INVALID_DEFINITION', `Saga '${saga.name}' is exposed by two modules; build it once per module (saga(…).build()).`, { saga: saga.name })
    }
    saga.binding.self = options.self
    // Saga counters share the engine's metrics option: every saga of the hierarchy counts with it.
    if (options.metrics) for (const b of bindingsOf(saga)) b.metrics = options.metrics
  }
  const handlers = workflowHandlers(host, options)
  const hierarchy = new Map<string, SagaDefinition>()
  for (const saga of sagas) sagasOf(saga.definition, hierarchy)
  const names = [...hierarchy.keys()].map((n) => `'${n}'`).join(', ')
  const definitionOf = (name: string) => {
    const definition = hierarchy.get(name)
    if (!definition) throw tasknetError('NOT_FOUND', `Saga '${name}' is not one of this module's sagas (${names}).`, { saga: name })
    return definition
  }
  type Ctx = GenericMutationCtx<GenericDataModel>
  return {
    sagaStep: internalMutationGeneric({
      args: { workflowId: v.id('tasknet_workflows'), saga: v.string(), step: v.string(), phase: v.union(v.literal('forward'), v.literal('compensate')) },
      returns: v.any(),
      handler: (ctx, a) => runStepAction(ctx as unknown as MutationCtx, definitionOf(a.saga), a as { workflowId: WorkflowId; step: string; phase: 'forward' | 'compensate' }),
    }),
    getSagaResult: internalQueryGeneric({
      args: { workflowId: v.id('tasknet_workflows') },
      returns: v.any(),
      handler: (ctx, a): Promise<SagaResult | null> => resultOf(ctx, hierarchy, a.workflowId as WorkflowId),
    }),
    ...((options.metrics
      ? {
          /** The saga's counters (docs/sagas.md#metrics): how its runs ended and how long they took, compensations run and failed. */
          getSagaMetrics: internalQueryGeneric({
            args: { saga: v.optional(v.string()) },
            returns: v.any(),
            handler: (ctx, a): Promise<SagaMetrics> => getSagaMetrics(ctx, options.metrics!, definitionOf(a.saga ?? sagas[0]!.name).name),
          }),
        }
      : {}) as SagaMetricsFunctions<O>),
    cancelSaga: internalMutationGeneric({
      args: { workflowId: v.id('tasknet_workflows'), reason: v.string(), scheduled: v.optional(v.boolean()) },
      returns: v.null(),
      handler: async (ctx: Ctx, a: { workflowId: string; reason: string; scheduled?: boolean }) => {
        const record = await sagaDb(ctx)
          .query('tasknet_sagas')
          .withIndex('by_workflowId', (q) => q.eq('workflowId', a.workflowId as WorkflowId))
          .unique()
        if (!record || !hierarchy.has(record.name)) {
          throw tasknetError('NOT_FOUND', `Workflow ${a.workflowId} is not a run of this module's sagas (${names}).`, { workflowId: a.workflowId })
        }
        if (record.pivoted) {
          throw tasknetError('INVALID_STATE', `Saga '${record.name}' (${a.workflowId}) is past its pivot: it only goes forward now, and cannot be canceled.`, {
            workflowId: a.workflowId,
            state: record.status,
          })
        }
        if ((record.status !== 'started' && record.status !== 'running') || !record.cancelWorkItemId) {
          throw tasknetError('INVALID_STATE', `Saga '${record.name}' (${a.workflowId}) is '${record.status}'; only a running saga can be canceled.`, {
            workflowId: a.workflowId,
            state: record.status,
          })
        }
        await handlers.internal.completeWorkItem(ctx, { workItemId: record.cancelWorkItemId, args: { name: CANCEL, payload: { reason: a.reason } }, ...(a.scheduled !== undefined ? { scheduled: a.scheduled } : {}) })
        return null
      },
    }),
  }
}
