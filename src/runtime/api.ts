import {
  internalMutationGeneric,
  internalQueryGeneric,
  mutationGeneric,
  type GenericDataModel,
  type GenericMutationCtx,
  type GenericQueryCtx,
} from 'convex/server'
import { v } from 'convex/values'
import type { WorkflowDefinition } from '../builder/definition'
import type { Names, WorkflowBuilder } from '../builder/workflow'
import type { MetricsFunctions, ServiceFunctions, WorkflowApi } from './apiTypes'
import * as reads from './queries'
import * as events from './events'
import { vEventChanges, vEventPage } from './eventValidators'
import { tasknetError } from '../errors'
import { vTaskState, vWorkflowState, vWorkItemState } from './schema'
import { runStep, type EngineCtx, type Step, type StepObserver } from './step'
import { logObserver, type LogOptions } from './observers/log'
import type { WorkflowMetrics } from './observers/metrics'
import type { Caller, EventTarget, Operation, StepInfo } from './journal'
import type { WorkflowId, WorkItemId } from './store'
import { performTrigger, initializeWorkItemRequest, workItemRequest } from './workItems'
import { cancelChildWorkflowRequest, cancelWorkflow, initializeWorkflow } from './workflows'
import { initializeChildWorkflowRequest } from './childWorkflows'
import type { Outbox } from './outbox/define'
import { deadlineReached, type DeadlineElement } from './deadlines'
import { definitionsOf } from './step'
import type { ServiceWorkItems } from './services/define'
import { endServiceWorkItem } from './workItems'
import { generatedFunction } from './self'

const vWorkflowIdArg = v.id('tasknet_workflows')
const vWorkItemIdArg = v.id('tasknet_workItems')
const vActionArgs = v.object({ name: v.string(), payload: v.optional(v.any()) })

const initializeRootArgs = { payload: v.optional(v.any()) }
const cancelRootArgs = { workflowId: vWorkflowIdArg, payload: v.optional(v.any()) }
/** `generation`, when given, is the task generation the caller means: a task that has moved on refuses it. */
const vTarget = v.object({ workflowId: vWorkflowIdArg, taskName: v.string(), generation: v.optional(v.number()) })
const initializeInTaskArgs = { target: vTarget, args: vActionArgs }
const workItemArgs = { workItemId: vWorkItemIdArg, args: vActionArgs }
const cancelChildArgs = { workflowId: vWorkflowIdArg, args: vActionArgs }
const deadlineArgs = {
  element: v.union(
    v.object({ kind: v.literal('workItem'), workItemId: vWorkItemIdArg }),
    v.object({ kind: v.literal('task'), workflowId: vWorkflowIdArg, taskName: v.string(), generation: v.number() }),
    v.object({ kind: v.literal('workflow'), workflowId: vWorkflowIdArg, name: v.string() }),
  ),
}

type WorkItemAction = 'start' | 'complete' | 'fail' | 'cancel' | 'reset'
type Target = { workflowId: WorkflowId; taskName: string; generation?: number }

/** Where a step's info comes from: the handler's operation and target, and who called it. */
type Call = { operation: Operation; target: EventTarget }

/** `scheduled: true` on an internal call says the scheduler ran it (the journal's caller); a public call cannot claim it. */
type Scheduled = { scheduled?: boolean }

async function callerOf(ctx: EngineCtx, isInternal: boolean, scheduled: boolean | undefined): Promise<Caller> {
  if (isInternal && scheduled) return { kind: 'scheduled' }
  const identity = await ctx.auth.getUserIdentity()
  const subject = identity ? { subject: identity.subject } : {}
  return isInternal ? { kind: 'internal', ...subject } : { kind: 'public', ...subject }
}

/** Options of `workflowApi` and `workflowHandlers`: what happens with each step's journal events. */
export type EngineOptions = {
  /** Told of each step that wrote events, inside its transaction (log lines, outbox, metrics). */
  observers?: readonly StepObserver[]
  /** Print one JSON line per step to the function's log (docs/api.md#logs-and-metrics). Off by default. */
  log?: boolean | LogOptions
  /**
   * Count outcomes and sum durations per workflow name and task in `@convex-dev/sharded-counter`,
   * and generate `getMetrics` (docs/api.md#logs-and-metrics). Off by default.
   */
  metrics?: WorkflowMetrics
  /**
   * Delivers this workflow's events (and its children's) to the outbox's subscribers, in order per
   * workflow and at least once (`defineOutbox`, docs/api.md#outbox).
   */
  outbox?: Outbox
  /**
   * Where the app exports these functions: `() => internal.orders` for `convex/orders.ts`. The engine
   * schedules some of its own generated functions (deadlines, service completions), and a Convex
   * function does not know its own path. Typed `unknown` on purpose: a precise type would make the
   * module's exports depend on themselves (TypeScript's TS7022); `generatedFunction` checks it at run time.
   * Annotate the arrow's return type, `self: (): unknown => internal.orders`: `workflowApi` infers its
   * options' type, and an unannotated arrow makes each module's type depend on the generated `internal`,
   * which across many such modules exceeds TypeScript's instantiation depth (TS2589).
   */
  self?: () => unknown
  /**
   * The work pool that runs this workflow's service work items (docs/api.md#service-work-items):
   * `serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 10 }) })`. Generates
   * `serviceRun`, `serviceComplete`, `serviceTimeout` and `getServiceCall`; needs `self`.
   */
  services?: ServiceWorkItems
}

/**
 * The observers a step runs: metrics, the outbox, then the app's own, then the log line last, so a step that
 * an observer fails prints no line for writes that never commit.
 */
function engineObservers(options: EngineOptions): StepObserver[] {
  const { observers = [], log, metrics, outbox } = options
  return [...(metrics ? [metrics.runtime.observer(metrics)] : []), ...(outbox ? [outbox.observer] : []), ...observers, ...(log ? [logObserver(log)] : [])]
}

/**
 * The engine's handlers as plain functions `(ctx, args) => result`, one
 * transaction each. `workflowApi` registers them as Convex functions; tests
 * and benchmarks call them directly to read a step's cost.
 */
export function workflowHandlers(workflow: WorkflowDefinition | { build(): WorkflowDefinition }, options: EngineOptions = {}) {
  const definition = 'build' in workflow ? workflow.build() : workflow
  refuseDeadlinesWithoutSelf(definition, options)
  const observers = engineObservers(options)
  const step = async <T>(ctx: EngineCtx, isInternal: boolean, scheduled: boolean | undefined, call: Call, operation: (s: Step) => Promise<T>) => {
    const time = Date.now()
    const info: StepInfo = { ...call, caller: await callerOf(ctx, isInternal, scheduled), time }
    return runStep(ctx, definition, info, operation, performTrigger, observers, options.self, options.services)
  }
  const workItem = (action: WorkItemAction, isInternal: boolean) =>
    (ctx: EngineCtx, a: { workItemId: WorkItemId; args: { name: string; payload?: unknown } } & Scheduled) =>
      step(ctx, isInternal, a.scheduled, { operation: `${action}WorkItem`, target: { kind: 'workItem', workItemId: a.workItemId } }, (s) =>
        workItemRequest(s, action, a.workItemId, a.args, isInternal),
      ).then(() => null)
  const mutations = (isInternal: boolean) => ({
    initializeRootWorkflow: (ctx: EngineCtx, a: { payload?: unknown } & Scheduled) =>
      step(ctx, isInternal, a.scheduled, { operation: 'initializeRootWorkflow', target: { kind: 'workflow', name: definition.name } }, (s) =>
        initializeWorkflow(s, a.payload, isInternal),
      ),
    cancelRootWorkflow: (ctx: EngineCtx, a: { workflowId: WorkflowId; payload?: unknown } & Scheduled) =>
      step(ctx, isInternal, a.scheduled, { operation: 'cancelRootWorkflow', target: { kind: 'workflow', name: definition.name, workflowId: a.workflowId } }, (s) =>
        cancelWorkflow(s, a.workflowId, a.payload, isInternal),
      ).then(() => null),
    initializeWorkItem: (ctx: EngineCtx, a: { target: Target; args: { name: string; payload?: unknown } } & Scheduled) =>
      step(ctx, isInternal, a.scheduled, { operation: 'initializeWorkItem', target: { kind: 'task', workflowId: a.target.workflowId, name: a.target.taskName } }, (s) =>
        initializeWorkItemRequest(s, a.target, a.args, isInternal),
      ),
    initializeWorkflow: (ctx: EngineCtx, a: { target: Target; args: { name: string; payload?: unknown } } & Scheduled) =>
      step(ctx, isInternal, a.scheduled, { operation: 'initializeWorkflow', target: { kind: 'task', workflowId: a.target.workflowId, name: a.target.taskName } }, (s) =>
        initializeChildWorkflowRequest(s, a.target, a.args, isInternal),
      ),
    cancelWorkflow: (ctx: EngineCtx, a: { workflowId: WorkflowId; args: { name: string; payload?: unknown } } & Scheduled) =>
      step(ctx, isInternal, a.scheduled, { operation: 'cancelWorkflow', target: { kind: 'workflow', name: a.args.name, workflowId: a.workflowId } }, (s) =>
        cancelChildWorkflowRequest(s, a.workflowId, a.args, isInternal),
      ).then(() => null),
    startWorkItem: workItem('start', isInternal),
    completeWorkItem: workItem('complete', isInternal),
    failWorkItem: workItem('fail', isInternal),
    cancelWorkItem: workItem('cancel', isInternal),
    resetWorkItem: workItem('reset', isInternal),
  })
  /** Scheduled by the engine for an element's deadline (src/runtime/deadlines.ts); internal only. */
  const internalDeadlineReached = (ctx: EngineCtx, a: { element: DeadlineElement } & Scheduled) => {
    const { element } = a
    const target: EventTarget =
      element.kind === 'workItem'
        ? { kind: 'workItem', workItemId: element.workItemId }
        : element.kind === 'task'
          ? { kind: 'task', workflowId: element.workflowId, name: element.taskName }
          : { kind: 'workflow', name: element.name, workflowId: element.workflowId }
    return step(ctx, true, a.scheduled, { operation: 'deadlineReached', target }, (s) => deadlineReached(s, element)).then(() => null)
  }
  const internalStep = (ctx: EngineCtx, scheduled: boolean | undefined, call: Call, operation: (s: Step) => Promise<void>) => step(ctx, true, scheduled, call, operation)
  // Only with `services`: the steps of service work items (src/runtime/services/).
  const services = options.services?.runtime.handlers(internalStep, endServiceWorkItem, (name) => generatedFunction<'mutation'>(options.self, definition.name, name, 'has service work items'))
  return { definition, public: mutations(false), internal: { ...mutations(true), deadlineReached: internalDeadlineReached }, services }
}

/**
 * A deadline is scheduled through the workflow's own generated `internalDeadlineReached`, which the
 * engine finds through `self`: a hierarchy with a deadline and no `self` is refused when its functions
 * are made, at module load, rather than when the first deadline would be scheduled.
 */
function refuseDeadlinesWithoutSelf(definition: WorkflowDefinition, options: EngineOptions): void {
  if (options.self) return
  for (const workflow of definitionsOf(definition).values()) {
    const task = Object.values(workflow.tasks).find((t) => t.deadline || t.workItem?.deadline)
    const what = workflow.deadline
      ? `workflow '${workflow.name}'`
      : task?.deadline
        ? `task '${task.name}' in workflow '${workflow.name}'`
        : task && `work item '${task.workItem!.name}' of task '${task.name}' in workflow '${workflow.name}'`
    if (!what) continue
    throw tasknetError(
      'INVALID_DEFINITION',
      `Workflow '${definition.name}' has a deadline on ${what}, which schedules the generated 'internalDeadlineReached': pass workflowApi(…, { self: (): unknown => internal.<module> }) naming the module that exports it.`,
      { workflowName: definition.name },
    )
  }
}

const vWorkItemSummary = v.object({
  _id: vWorkItemIdArg,
  name: v.string(),
  taskName: v.string(),
  generation: v.number(),
  state: vWorkItemState,
})

/**
 * The Convex functions of one workflow (api.md): public mutations that run
 * custom actions, `internal…` twins for server-side callers (scheduled
 * functions, other mutations, triggers), and internal queries over its state.
 *
 * @example
 * export const { initializeRootWorkflow, startWorkItem, completeWorkItem, getMarking } = workflowApi(orderWorkflow)
 */
export function workflowApi<N extends Names, O extends EngineOptions = {}>(workflow: WorkflowBuilder<N>, options?: O): WorkflowApi<N> & MetricsFunctions<N, O> & ServiceFunctions<O>
/**
 * A built definition: typed by the names of the builder it was built from
 * (`build()` keeps them in its type). One made otherwise (a net generated in a
 * loop, whose names the Builder's types cannot follow) gives the same
 * functions with names typed as plain strings and checked at run time.
 */
export function workflowApi<N extends Names, O extends EngineOptions = {}>(workflow: WorkflowDefinition<N>, options?: O): WorkflowApi<N> & MetricsFunctions<N, O> & ServiceFunctions<O>
export function workflowApi<N extends Names>(workflow: WorkflowBuilder<N> | WorkflowDefinition<N>, options: EngineOptions = {}): WorkflowApi<N> {
  const handlers = workflowHandlers(workflow, options)
  const { definition } = handlers
  const p = handlers.public
  const i = handlers.internal
  type Ctx = GenericMutationCtx<GenericDataModel>
  type QCtx = GenericQueryCtx<GenericDataModel>
  const pub = <A, R>(args: Record<string, unknown>, returns: unknown, handler: (ctx: Ctx, a: A) => Promise<R>) =>
    mutationGeneric({ args: args as never, returns: returns as never, handler: handler as never })
  const int = <A, R>(args: Record<string, unknown>, returns: unknown, handler: (ctx: Ctx, a: A) => Promise<R>) =>
    internalMutationGeneric({ args: { ...args, scheduled: v.optional(v.boolean()) } as never, returns: returns as never, handler: handler as never })
  const query = <A, R>(args: Record<string, unknown>, returns: unknown, handler: (ctx: QCtx, a: A) => Promise<R>) =>
    internalQueryGeneric({ args: args as never, returns: returns as never, handler: handler as never })

  // Registered with the generic validators above; `WorkflowApi<N>` states the precise client types
  // the Builder knows, and the handlers enforce them at run time (zod schemas, names, ids).
  const functions = {
    initializeRootWorkflow: pub(initializeRootArgs, vWorkflowIdArg, p.initializeRootWorkflow),
    cancelRootWorkflow: pub(cancelRootArgs, v.null(), p.cancelRootWorkflow),
    initializeWorkItem: pub(initializeInTaskArgs, vWorkItemIdArg, p.initializeWorkItem),
    initializeWorkflow: pub(initializeInTaskArgs, vWorkflowIdArg, p.initializeWorkflow),
    cancelWorkflow: pub(cancelChildArgs, v.null(), p.cancelWorkflow),
    startWorkItem: pub(workItemArgs, v.null(), p.startWorkItem),
    completeWorkItem: pub(workItemArgs, v.null(), p.completeWorkItem),
    failWorkItem: pub(workItemArgs, v.null(), p.failWorkItem),
    cancelWorkItem: pub(workItemArgs, v.null(), p.cancelWorkItem),
    resetWorkItem: pub(workItemArgs, v.null(), p.resetWorkItem),
    internalInitializeRootWorkflow: int(initializeRootArgs, vWorkflowIdArg, i.initializeRootWorkflow),
    internalCancelRootWorkflow: int(cancelRootArgs, v.null(), i.cancelRootWorkflow),
    internalInitializeWorkItem: int(initializeInTaskArgs, vWorkItemIdArg, i.initializeWorkItem),
    internalInitializeWorkflow: int(initializeInTaskArgs, vWorkflowIdArg, i.initializeWorkflow),
    internalCancelWorkflow: int(cancelChildArgs, v.null(), i.cancelWorkflow),
    internalStartWorkItem: int(workItemArgs, v.null(), i.startWorkItem),
    internalCompleteWorkItem: int(workItemArgs, v.null(), i.completeWorkItem),
    internalFailWorkItem: int(workItemArgs, v.null(), i.failWorkItem),
    internalCancelWorkItem: int(workItemArgs, v.null(), i.cancelWorkItem),
    internalResetWorkItem: int(workItemArgs, v.null(), i.resetWorkItem),
    internalDeadlineReached: int(deadlineArgs, v.null(), i.deadlineReached),
    getWorkflow: query(
      { workflowId: vWorkflowIdArg },
      v.object({
        _id: vWorkflowIdArg,
        name: v.string(),
        state: vWorkflowState,
        parent: v.optional(v.object({ workflowId: vWorkflowIdArg, taskName: v.string(), taskGeneration: v.number() })),
      }),
      (ctx, a: { workflowId: WorkflowId }) => reads.getWorkflow(ctx.db, definition, a.workflowId),
    ),
    getChildWorkflows: query(
      { workflowId: vWorkflowIdArg, taskName: v.string() },
      v.array(v.object({ _id: vWorkflowIdArg, name: v.string(), state: vWorkflowState, generation: v.number() })),
      (ctx, a: { workflowId: WorkflowId; taskName: string }) => reads.getChildWorkflows(ctx.db, definition, a.workflowId, a.taskName),
    ),
    getWorkflowTaskStates: query(
      { workflowId: vWorkflowIdArg },
      v.record(v.string(), vTaskState),
      (ctx, a: { workflowId: WorkflowId }) => reads.getWorkflowTaskStates(ctx.db, definition, a.workflowId),
    ),
    getWorkItems: query(
      { workflowId: vWorkflowIdArg, taskName: v.optional(v.string()), currentGeneration: v.optional(v.boolean()) },
      v.array(vWorkItemSummary),
      (ctx, a: { workflowId: WorkflowId; taskName?: string; currentGeneration?: boolean }) =>
        reads.getWorkItems(ctx.db, definition, a.workflowId, a.taskName, { currentGeneration: a.currentGeneration }),
    ),
    getMarking: query(
      { workflowId: vWorkflowIdArg },
      v.record(v.string(), v.number()),
      (ctx, a: { workflowId: WorkflowId }) => reads.getMarking(ctx.db, definition, a.workflowId),
    ),
    getEvents: query(
      { workflowId: vWorkflowIdArg, after: v.optional(v.number()), limit: v.optional(v.number()) },
      vEventPage,
      (ctx, a: { workflowId: WorkflowId; after?: number; limit?: number }) =>
        events.getEvents(ctx.db, definition, a.workflowId, { ...(a.after !== undefined ? { after: a.after } : {}), ...(a.limit !== undefined ? { limit: a.limit } : {}) }),
    ),
    getEventChanges: query(
      { workflowId: vWorkflowIdArg, sequence: v.number(), offset: v.optional(v.number()), limit: v.optional(v.number()) },
      vEventChanges,
      (ctx, a: { workflowId: WorkflowId; sequence: number; offset?: number; limit?: number }) =>
        events.getEventChanges(ctx.db, definition, a.workflowId, a.sequence, {
          ...(a.offset !== undefined ? { offset: a.offset } : {}),
          ...(a.limit !== undefined ? { limit: a.limit } : {}),
        }),
    ),
    getWorkflowAt: query(
      { workflowId: vWorkflowIdArg, sequence: v.number() },
      v.object({
        workflow: v.object({ state: vWorkflowState }),
        tasks: v.record(v.string(), vTaskState),
        marking: v.record(v.string(), v.number()),
        workItems: v.array(vWorkItemSummary),
      }),
      (ctx, a: { workflowId: WorkflowId; sequence: number }) => events.getWorkflowAt(ctx.db, definition, a.workflowId, a.sequence),
    ),
  }
  const { metrics, services } = options
  const metricsFunctions = metrics
    ? {
        getMetrics: query(
          { workflowName: v.string(), taskName: v.optional(v.string()) },
          metrics.runtime.vMetrics,
          (ctx, a: { workflowName: string; taskName?: string }) => metrics.runtime.getMetrics(ctx, definition, metrics, a),
        ),
      }
    : {}
  const serviceFunctions = services && handlers.services ? services.runtime.functions(definition, options.self, handlers.services) : {}
  return { ...functions, ...metricsFunctions, ...serviceFunctions } as unknown as WorkflowApi<N>
}
