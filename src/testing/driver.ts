import type { FunctionArgs, FunctionReference, FunctionReturnType } from 'convex/server'
import type { WorkflowId } from '../builder/contexts'
import type { WorkItemSummary } from '../runtime/queries'

type Mutation = FunctionReference<'mutation', 'internal'>
type Query = FunctionReference<'query', 'internal'>

/**
 * The internal functions of one workflow module, as the app's generated
 * reference gives them (`internal.approval`). Only `getWorkItems` is required;
 * a helper whose function the module does not export throws saying which to export.
 */
export type WorkflowFunctions = {
  internalInitializeRootWorkflow?: Mutation
  internalCancelRootWorkflow?: Mutation
  internalStartWorkItem?: Mutation
  internalCompleteWorkItem?: Mutation
  internalFailWorkItem?: Mutation
  internalCancelWorkItem?: Mutation
  internalResetWorkItem?: Mutation
  getWorkflow?: Query
  getWorkflowTaskStates?: Query
  getWorkItems: Query
  getMarking?: Query
}

export type WorkItemAction = 'start' | 'complete' | 'fail' | 'cancel' | 'reset'

const mutationOf = {
  start: 'internalStartWorkItem',
  complete: 'internalCompleteWorkItem',
  fail: 'internalFailWorkItem',
  cancel: 'internalCancelWorkItem',
  reset: 'internalResetWorkItem',
} as const satisfies Record<WorkItemAction, keyof WorkflowFunctions>

type ActionMutation<A extends WorkItemAction> = (typeof mutationOf)[A]

/** The task names the module's `getWorkItems` accepts (the Builder's names), else `string`. */
export type TaskNameOf<F extends WorkflowFunctions> =
  FunctionArgs<F['getWorkItems']> extends { taskName?: infer T } ? Extract<Exclude<T, undefined>, string> : string

/** A payload any work item of the module accepts for action `A` (payloads are checked by name at run time). */
export type ActionPayloadOf<F extends WorkflowFunctions, A extends WorkItemAction> =
  F[ActionMutation<A>] extends FunctionReference<'mutation', 'internal', { args: infer X }> ? PayloadIn<X> : unknown
type PayloadIn<X> = X extends { payload?: infer P } ? P : never

export type InitializePayloadOf<F extends WorkflowFunctions> =
  F['internalInitializeRootWorkflow'] extends FunctionReference<'mutation', 'internal', infer X> ? PayloadIn<X> : unknown

/** What `getWorkItems` returns for one work item (`WorkItemSummary` when the reference does not say). */
export type WorkItemOf<F extends WorkflowFunctions> =
  IsAny<FunctionReturnType<F['getWorkItems']>> extends true
    ? WorkItemSummary
    : FunctionReturnType<F['getWorkItems']> extends (infer W)[]
      ? W
      : WorkItemSummary
type IsAny<T> = 0 extends 1 & T ? true : false

/** `{ workflow, tasks, marking, workItems }`, with work items as `task#generation:state` in creation order. */
export type WorkflowSnapshot<F extends WorkflowFunctions> = {
  workflow: string
  tasks: F['getWorkflowTaskStates'] extends Query ? FunctionReturnType<F['getWorkflowTaskStates']> : Record<string, string>
  marking: Record<string, number>
  workItems: string[]
}

/** The part of a convex-test instance the driver uses. */
export type DrivingBackend = {
  mutation: (fn: any, ...args: any[]) => Promise<any>
  query: (fn: any, ...args: any[]) => Promise<any>
}

/**
 * Drives one workflow instance of a test backend by task name, through the
 * module's internal functions (so default actions run too, as for a scheduled
 * function or another mutation), and reads it back.
 *
 * To test a public, authenticated action, find the work item here and call the
 * public mutation yourself:
 * `t.withIdentity(alice).mutation(api.approval.completeWorkItem, { workItemId: (await wf.workItemOf('review'))._id, args: … })`.
 *
 * @param fns the module's generated reference, e.g. `internal.approval`
 * @param options `workflowId`: drive a workflow started elsewhere (by your own mutation); see also `attach`
 * @example
 * const wf = workflowDriver(t, internal.approval)
 * await wf.initialize({ title: 'Q3 report' })
 * await wf.run('review', { approved: true })
 * expect((await wf.snapshot()).workflow).toBe('completed')
 */
export function workflowDriver<F extends WorkflowFunctions>(t: DrivingBackend, fns: F, options: { workflowId?: WorkflowId } = {}) {
  type TaskName = TaskNameOf<F>
  type WorkItem = WorkItemOf<F>
  let workflowId: WorkflowId | undefined = options.workflowId

  function fn<K extends keyof WorkflowFunctions>(name: K, use: string): NonNullable<F[K]> {
    const ref = fns[name]
    if (!ref) throw new Error(`${use} needs ${String(name)}: export it from the workflow's module (workflowApi(...).${String(name)}).`)
    return ref as NonNullable<F[K]>
  }
  function id(use: string): WorkflowId {
    if (workflowId === undefined) throw new Error(`${use}: no workflow yet. Call initialize(payload) or attach(workflowId) first.`)
    return workflowId
  }
  const withPayload = <A extends object>(args: A, payload: unknown) => (payload === undefined ? args : { ...args, payload })

  const d = {
    /** The driven workflow's id (after `initialize` or `attach`). */
    get workflowId(): WorkflowId {
      return id('workflowId')
    },
    /** Initializes a root workflow with `payload` and drives it from now on. */
    async initialize(payload?: InitializePayloadOf<F>): Promise<WorkflowId> {
      workflowId = (await t.mutation(fn('internalInitializeRootWorkflow', 'initialize'), withPayload({}, payload))) as WorkflowId
      return workflowId
    },
    /** Drives a workflow initialized elsewhere, e.g. by the app's own mutation. */
    attach(id: WorkflowId) {
      workflowId = id
      return d
    },
    /** The workflow's work items in creation order, or one task's. */
    async workItems(taskName?: TaskName): Promise<WorkItem[]> {
      const workflow = id('workItems')
      return (await t.query(fns.getWorkItems, taskName === undefined ? { workflowId: workflow } : { workflowId: workflow, taskName })) as WorkItem[]
    },
    /** The newest work item of a task (the current generation's, if the task has one). Throws if it has none. */
    async workItemOf(taskName: TaskName): Promise<WorkItem> {
      const item = (await d.workItems(taskName)).at(-1)
      if (!item) throw new Error(`task '${taskName}' has no work item`)
      return item
    },
    /** Runs an action on the newest work item of a task; resolves to that work item (as it was before). */
    async act<A extends WorkItemAction>(action: A, taskName: TaskName, payload?: ActionPayloadOf<F, A>): Promise<WorkItem> {
      const mutation = fn(mutationOf[action], action)
      const item = (await d.workItemOf(taskName)) as WorkItem & { _id: string; name: string }
      await t.mutation(mutation, { workItemId: item._id, args: withPayload({ name: item.name }, payload) })
      return item
    },
    start: (taskName: TaskName, payload?: ActionPayloadOf<F, 'start'>) => d.act('start', taskName, payload),
    complete: (taskName: TaskName, payload?: ActionPayloadOf<F, 'complete'>) => d.act('complete', taskName, payload),
    fail: (taskName: TaskName, payload?: ActionPayloadOf<F, 'fail'>) => d.act('fail', taskName, payload),
    cancel: (taskName: TaskName, payload?: ActionPayloadOf<F, 'cancel'>) => d.act('cancel', taskName, payload),
    reset: (taskName: TaskName, payload?: ActionPayloadOf<F, 'reset'>) => d.act('reset', taskName, payload),
    /** Starts (with the default start payload) and completes the newest work item of a task. */
    async run(taskName: TaskName, payload?: ActionPayloadOf<F, 'complete'>): Promise<WorkItem> {
      await d.start(taskName)
      return d.complete(taskName, payload)
    },
    /** Cancels the root workflow. */
    async cancelWorkflow(payload?: unknown): Promise<void> {
      await t.mutation(fn('internalCancelRootWorkflow', 'cancelWorkflow'), withPayload({ workflowId: id('cancelWorkflow') }, payload))
    },
    /** The workflow's state (`initialized`, `started`, `completed`, `failed`, `canceled`). */
    async state(): Promise<string> {
      return ((await t.query(fn('getWorkflow', 'state'), { workflowId: id('state') })) as { state: string }).state
    },
    /** Every task's state, by task name. */
    async tasks(): Promise<WorkflowSnapshot<F>['tasks']> {
      return t.query(fn('getWorkflowTaskStates', 'tasks'), { workflowId: id('tasks') })
    },
    /** The tokens in every condition, by condition name. */
    async marking(): Promise<Record<string, number>> {
      return t.query(fn('getMarking', 'marking'), { workflowId: id('marking') })
    },
    /** The whole state in one value, for one `toEqual` per step. */
    async snapshot(): Promise<WorkflowSnapshot<F>> {
      const items = (await d.workItems()) as Array<{ taskName: string; generation: number; state: string }>
      return {
        workflow: await d.state(),
        tasks: await d.tasks(),
        marking: await d.marking(),
        workItems: items.map((w) => `${w.taskName}#${w.generation}:${w.state}`),
      }
    },
  }
  return d
}

export type WorkflowDriver<F extends WorkflowFunctions> = ReturnType<typeof workflowDriver<F>>
