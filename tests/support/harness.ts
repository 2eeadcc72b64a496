import { convexTest } from 'convex-test'
import type { FunctionReference } from 'convex/server'
import schema from '../../convex/schema'

/** Every Convex module of the app, for convex-test. */
export const modules = import.meta.glob('../../convex/**/*.ts')

/** A fresh embedded backend with Convex's real transaction limits switched on. */
export function backend() {
  return convexTest({ schema, modules, transactionLimits: true })
}

export type Backend = ReturnType<typeof backend>

/** The internal functions of one workflow module, as `internal.examples.x`. */
type WorkflowModule = {
  internalInitializeRootWorkflow: FunctionReference<'mutation', 'internal'>
  internalCancelRootWorkflow: FunctionReference<'mutation', 'internal'>
  internalInitializeWorkItem: FunctionReference<'mutation', 'internal'>
  internalStartWorkItem: FunctionReference<'mutation', 'internal'>
  internalCompleteWorkItem: FunctionReference<'mutation', 'internal'>
  internalFailWorkItem: FunctionReference<'mutation', 'internal'>
  internalCancelWorkItem: FunctionReference<'mutation', 'internal'>
  internalResetWorkItem: FunctionReference<'mutation', 'internal'>
  getWorkflow: FunctionReference<'query', 'internal'>
  getWorkflowTaskStates: FunctionReference<'query', 'internal'>
  getWorkItems: FunctionReference<'query', 'internal'>
  getMarking: FunctionReference<'query', 'internal'>
}

export type WorkItemAction = 'start' | 'complete' | 'fail' | 'cancel' | 'reset'

/** The internal mutation of a work item action in a workflow module. */
export function workItemMutation(fns: Pick<WorkflowModule, `internal${Capitalize<WorkItemAction>}WorkItem`>, action: WorkItemAction) {
  return {
    start: fns.internalStartWorkItem,
    complete: fns.internalCompleteWorkItem,
    fail: fns.internalFailWorkItem,
    cancel: fns.internalCancelWorkItem,
    reset: fns.internalResetWorkItem,
  }[action]
}

export type WorkItemView = { _id: string; name: string; taskName: string; generation: number; state: string }

/**
 * Drives one workflow instance through its internal functions and reads it
 * back as a compact snapshot, so a test states each step as one `toEqual`.
 */
export function driver(t: Backend, fns: WorkflowModule) {
  let workflowId: any
  const d = {
    get workflowId() {
      return workflowId
    },
    async initialize(payload?: unknown) {
      workflowId = await t.mutation(fns.internalInitializeRootWorkflow as any, payload === undefined ? {} : { payload })
      return workflowId
    },
    async workItems(taskName?: string): Promise<WorkItemView[]> {
      return (await t.query(fns.getWorkItems as any, taskName ? { workflowId, taskName } : { workflowId })) as WorkItemView[]
    },
    /** The newest work item of a task (the current generation's, if any). */
    async workItemOf(taskName: string): Promise<WorkItemView> {
      const items = await d.workItems(taskName)
      const item = items.at(-1)
      if (!item) throw new Error(`task '${taskName}' has no work item`)
      return item
    },
    async act(action: WorkItemAction, taskName: string, payload?: unknown) {
      const item = await d.workItemOf(taskName)
      await t.mutation(workItemMutation(fns, action) as any, { workItemId: item._id, args: { name: item.name, ...(payload === undefined ? {} : { payload }) } })
      return item
    },
    start: (taskName: string, payload?: unknown) => d.act('start', taskName, payload),
    complete: (taskName: string, payload?: unknown) => d.act('complete', taskName, payload),
    /** Starts and completes the current work item of a task. */
    async run(taskName: string, payload?: unknown) {
      await d.start(taskName)
      await d.complete(taskName, payload)
    },
    async workflowState(): Promise<string> {
      return ((await t.query(fns.getWorkflow as any, { workflowId })) as { state: string }).state
    },
    async tasks(): Promise<Record<string, string>> {
      return (await t.query(fns.getWorkflowTaskStates as any, { workflowId })) as Record<string, string>
    },
    async marking(): Promise<Record<string, number>> {
      return (await t.query(fns.getMarking as any, { workflowId })) as Record<string, number>
    },
    /** `{ workflow, tasks, marking, workItems }` with work items as `name#generation:state`. */
    async snapshot() {
      const items = await d.workItems()
      return {
        workflow: await d.workflowState(),
        tasks: await d.tasks(),
        marking: await d.marking(),
        workItems: items.map((w) => `${w.taskName}#${w.generation}:${w.state}`),
      }
    },
  }
  return d
}

/** The code and message of a tasknet error thrown by `promise`. */
export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise
  } catch (error) {
    const data = (error as { data?: { code: string; message: string } }).data
    if (data?.code) return { code: data.code, message: data.message }
    throw error
  }
  throw new Error('expected the call to fail, and it succeeded')
}
