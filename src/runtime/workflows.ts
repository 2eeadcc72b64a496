import type { WorkflowDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import { nextWorkflowState, type WorkflowEvent } from '../net/lifecycle'
import { checkedPayload } from './payload'
import { cancelScheduledFor, elementKey, registerScheduledFor } from './scheduling'
import type { Step } from './step'
import type { ParentLink, WorkflowId, WorkflowRecord } from './store'
import { childEnded, childInitialized, childStarted } from './childWorkflows'
import { setMarking } from './marking'
import { settle } from './settle'
import { cancelTask, disableTask } from './tasks'
import { scheduleWorkflowDeadline } from './deadlines'

const ref = (workflow: WorkflowRecord) => ({ kind: 'workflow' as const, name: workflow.name, id: workflow._id })

function transition(step: Step, workflow: WorkflowRecord, event: WorkflowEvent) {
  step.store.update(workflow, { state: nextWorkflowState(ref(workflow), workflow.state, event) })
}

function activityCtx(step: Step, workflow: WorkflowRecord) {
  return { mutationCtx: step.ctx, workflow: { id: workflow._id, name: workflow.name } }
}

/**
 * `initializeRootWorkflow`: runs the initialize action, whose callback must
 * call `workflow.initialize()`; then `onInitialized`; then the start condition
 * receives its token and the tasks it enables are enabled. The workflow stays
 * `initialized` until its first task starts.
 */
export async function initializeWorkflow(step: Step, payload: unknown, isInternal: boolean): Promise<WorkflowId> {
  return initializeWorkflowOf(step, step.root, payload, isInternal, undefined)
}

/**
 * Initializes a workflow of `definition`: the root, or a child of a composite task (`parent`), whose
 * initialize action runs the same way. The child reports to its task when it starts and ends.
 */
export async function initializeWorkflowOf(
  step: Step,
  definition: WorkflowDefinition,
  payload: unknown,
  isInternal: boolean,
  parent: ParentLink | undefined,
): Promise<WorkflowId> {
  const action = definition.actions.initialize
  const site = { element: 'workflow' as const, name: definition.name, id: undefined, action: 'initialize' }
  const data = checkedPayload(action, payload, isInternal, site)
  let workflow: WorkflowRecord | undefined
  const initialize = step.guard(async () => {
    if (workflow) throw tasknetError('INVALID_STATE', `workflow.initialize() was called twice in the initialize action of '${definition.name}'.`, { workflowName: definition.name })
    workflow = await step.store.insertWorkflow({ name: definition.name, state: 'initialized', ...(parent ? { parent } : {}) })
    if (parent) await childInitialized(step, workflow)
    return workflow._id
  })
  if (action?.callback) {
    await (action.callback as (ctx: unknown, payload: unknown) => Promise<void>)(
      { mutationCtx: step.ctx, isInternalMutation: isInternal, workflow: { name: definition.name, initialize } },
      data,
    )
    if (!workflow) {
      throw tasknetError('ACTION_INCOMPLETE', `The initialize action of workflow '${definition.name}' returned without calling workflow.initialize().`, { workflowName: definition.name })
    }
  } else {
    await initialize()
  }
  const created = workflow!
  if (definition.deadline) await scheduleWorkflowDeadline(step, definition.deadline, created, data)
  await definition.activities.onInitialized?.({
    ...activityCtx(step, created),
    registerScheduled: registerScheduledFor(step, created._id, elementKey.workflow(created._id)),
  })

  await setMarking(step, created, definition.net.startCondition, 1)
  await settle(step, created)
  return created._id
}

/** The first task of a workflow has started: the workflow starts. */
export async function startWorkflowIfInitialized(step: Step, workflow: WorkflowRecord): Promise<void> {
  if (workflow.state !== 'initialized') return
  transition(step, workflow, 'start')
  await step.definitionOf(workflow).activities.onStarted?.({
    ...activityCtx(step, workflow),
    registerScheduled: registerScheduledFor(step, workflow._id, elementKey.workflow(workflow._id)),
  })
  if (workflow.parent) await childStarted(step, workflow)
}

/**
 * `cancelRootWorkflow`: a top-down command. Runs the cancel action, whose
 * callback must call `workflow.cancel()`; every active task is canceled with
 * its work items, no policy is asked, then `onCanceled` runs.
 */
export async function cancelWorkflow(step: Step, workflowId: WorkflowId, payload: unknown, isInternal: boolean): Promise<void> {
  const workflow = await step.loadWorkflow(workflowId)
  if (workflow.parent) {
    throw tasknetError(
      'INVALID_STATE',
      `Workflow ${workflowId} ('${workflow.name}') is a child workflow of task '${workflow.parent.taskName}'; cancel it with cancelWorkflow, not cancelRootWorkflow.`,
      { workflowId, parentWorkflowId: workflow.parent.workflowId, taskName: workflow.parent.taskName },
    )
  }
  await runCancelAction(step, workflow, payload, isInternal)
}

/**
 * `cancelWorkflow` on a child workflow: a top-down command inside the child (no policy in it is
 * asked), then a bottom-up signal to its composite task, whose policy decides (docs/semantics.md#failure-and-cancellation).
 */
export async function cancelChildWorkflowRequest(step: Step, workflowId: WorkflowId, args: { name: string; payload?: unknown }, isInternal: boolean): Promise<void> {
  const workflow = await step.loadWorkflow(workflowId)
  if (!workflow.parent) {
    throw tasknetError('INVALID_STATE', `Workflow ${workflowId} ('${workflow.name}') is a root workflow; cancel it with cancelRootWorkflow.`, { workflowId })
  }
  if (args.name !== workflow.name) {
    throw tasknetError('NAME_MISMATCH', `Workflow ${workflowId} is a '${workflow.name}' workflow, not '${args.name}'.`, { workflowId, expected: workflow.name, got: args.name })
  }
  const prev = workflow.state
  await runCancelAction(step, workflow, args.payload, isInternal)
  await childEnded(step, workflow, prev, true)
}

async function runCancelAction(step: Step, workflow: WorkflowRecord, payload: unknown, isInternal: boolean): Promise<void> {
  const workflowId = workflow._id
  const definition = step.definitionOf(workflow)
  const action = definition.actions.cancel
  const data = checkedPayload(action, payload, isInternal, { element: 'workflow', name: workflow.name, id: workflow._id, action: 'cancel' })
  let canceled = false
  const cancel = step.guard(async () => {
    if (canceled) throw tasknetError('INVALID_STATE', `workflow.cancel() was called twice for workflow '${workflow.name}' (${workflow._id}).`, { workflowId })
    canceled = true
    // Check the transition before tearing anything down, so a refused cancel changes nothing.
    nextWorkflowState(ref(workflow), workflow.state, 'cancel')
    await teardown(step, workflow, 'cancel')
    transition(step, workflow, 'cancel')
    await cancelScheduledFor(step, elementKey.workflow(workflow._id))
    await definition.activities.onCanceled?.(activityCtx(step, workflow))
  })
  if (action?.callback) {
    await (action.callback as (ctx: unknown, payload: unknown) => Promise<void>)(
      { mutationCtx: step.ctx, isInternalMutation: isInternal, workflow: { id: workflow._id, name: workflow.name, cancel } },
      data,
    )
    if (!canceled) {
      throw tasknetError('ACTION_INCOMPLETE', `The cancel action of workflow '${workflow.name}' (${workflow._id}) returned without calling workflow.cancel().`, { workflowId })
    }
  } else {
    await cancel()
  }
}

/** The end condition is marked (docs/semantics.md#settling); a child then tells its composite task. */
export async function completeWorkflow(step: Step, workflow: WorkflowRecord): Promise<void> {
  const prev = workflow.state
  await teardown(step, workflow, 'complete')
  transition(step, workflow, 'complete')
  await cancelScheduledFor(step, elementKey.workflow(workflow._id))
  await step.definitionOf(workflow).activities.onCompleted?.(activityCtx(step, workflow))
  if (workflow.parent) await childEnded(step, workflow, prev, true)
}

/**
 * A task failed and its policy let the failure through (docs/semantics.md#failure-and-cancellation); a child then asks its
 * composite task's policy, which may stop the failure there.
 */
export async function failWorkflow(step: Step, workflow: WorkflowRecord): Promise<void> {
  const prev = workflow.state
  await teardown(step, workflow, 'fail')
  transition(step, workflow, 'fail')
  await cancelScheduledFor(step, elementKey.workflow(workflow._id))
  await step.definitionOf(workflow).activities.onFailed?.(activityCtx(step, workflow))
  if (workflow.parent) await childEnded(step, workflow, prev, true)
}

/**
 * Teardown of a child workflow by its composite task (the task completes, fails, is canceled or
 * disabled): canceled top-down with everything in it, no policy asked at any level. A workflow whose
 * deadline cancels it goes the same way, but a child then signals its task (`signalParent`), whose
 * policy decides as for a cancel command.
 */
export async function cancelWorkflowTopDown(step: Step, workflow: WorkflowRecord, signalParent = false): Promise<void> {
  const prev = workflow.state
  await teardown(step, workflow, 'cancel')
  transition(step, workflow, 'cancel')
  await cancelScheduledFor(step, elementKey.workflow(workflow._id))
  await step.definitionOf(workflow).activities.onCanceled?.(activityCtx(step, workflow))
  if (workflow.parent) await childEnded(step, workflow, prev, signalParent)
}

/**
 * Shuts the workflow's active tasks down. Completion and failure disable the
 * enabled tasks; a cancel cancels them. Started tasks are always canceled.
 * This is teardown: no policy is asked.
 */
async function teardown(step: Step, workflow: WorkflowRecord, reason: 'complete' | 'fail' | 'cancel'): Promise<void> {
  const definition: WorkflowDefinition = step.definitionOf(workflow)
  const active = await step.store.tasksInStates(workflow._id, ['enabled', 'started'])
  const order = Object.keys(definition.net.tasks)
  active.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
  for (const task of active) {
    if (task.state === 'enabled' && reason !== 'cancel') await disableTask(step, workflow, task)
    else await cancelTask(step, workflow, task)
  }
}
