import type { FunctionReference } from 'convex/server'
import { onTestFinished } from 'vitest'
import schema from '../../convex/schema'
import { tasknetTest, workflowDriver, type WorkflowFunctions, type WorkItemAction } from '../../src/testing'
import type { WorkflowDefinition } from '../../src'
import { checkerFor, definedWorkflows, journaled } from './journaled'

export type { WorkItemAction }

/** Every Convex module of the app, for convex-test. */
export const modules = import.meta.glob('../../convex/**/*.ts')

/**
 * A fresh embedded backend with Convex's real transaction limits switched on (tasknet/testing's
 * `tasknetTest`), whose every call is checked against the journal (support/journaled.ts): what
 * each step journals, and that replaying it gives the live reads. When the test ends, every prefix
 * of every workflow's journal is replayed and compared with the live reads recorded after that
 * step. The checker knows every workflow of src/workflows; a test that runs a net of its own passes
 * it as `workflows`. `journal: false` turns the checks off, for tests whose nets are so wide that
 * dumping every table after every call would be slow (the limits), or that measure steps (budgets).
 * `modules` adds modules made in the test to the app's (as `import.meta.glob` gives them, keyed by a path
 * under `../../convex/`: a module `'../../convex/examples/x.ts'` is `anyApi.examples.x`).
 */
export function backend(
  options: { journal?: boolean; workflows?: ReadonlyArray<WorkflowDefinition | { build(): WorkflowDefinition }>; modules?: Record<string, () => Promise<unknown>> } = {},
) {
  const t = tasknetTest(schema, { ...modules, ...options.modules })
  if (options.journal === false) return t
  const own = (options.workflows ?? []).map((w) => ('build' in w ? w.build() : w))
  const checker = checkerFor(t, [...own, ...definedWorkflows])
  try {
    onTestFinished(async () => void (await checker.finish()))
  } catch {
    // Made outside a test (a `beforeAll`): each call is still checked, and nothing at the end.
  }
  return journaled(t, checker)
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
 * tasknet/testing's `workflowDriver` with names and payloads untyped (many tests
 * build task names in loops) and `workflowState()` for its `state()`: drives one
 * workflow instance through its internal functions and reads it back as a
 * compact snapshot, so a test states each step as one `toEqual`.
 */
export function driver(t: Backend, fns: WorkflowModule) {
  const d = workflowDriver(t, fns as WorkflowFunctions)
  return Object.assign(d, { workflowState: d.state })
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
