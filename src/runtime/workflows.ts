import type { WorkflowDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import { nextWorkflowState, type WorkflowEvent } from '../net/lifecycle'
import { initialEnabling } from '../net/semantics'
import { checkedPayload } from './payload'
import { cancelScheduledFor, elementKey, registerScheduledFor } from './scheduling'
import type { Step } from './step'
import type { WorkflowId, WorkflowRecord } from './store'
import { OrJoinAnalysis, orJoinsOf } from './orJoins'
import { cancelTask, disableTask, enableInOrder } from './tasks'

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
  const definition = step.root
  const action = definition.actions.initialize
  const site = { element: 'workflow' as const, name: definition.name, id: undefined, action: 'initialize' }
  const data = checkedPayload(action, payload, isInternal, site)
  let workflow: WorkflowRecord | undefined
  const initialize = async () => {
    if (workflow) throw tasknetError('INVALID_STATE', `workflow.initialize() was called twice in the initialize action of '${definition.name}'.`, { workflowName: definition.name })
    workflow = await step.store.insertWorkflow({ name: definition.name, state: 'initialized' })
    return workflow._id
  }
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
  await definition.activities.onInitialized?.({
    ...activityCtx(step, created),
    registerScheduled: registerScheduledFor(step, created._id, elementKey.workflow(created._id)),
  })

  const start = await step.store.condition(created._id, definition.net.startCondition)
  step.store.update(start, { marking: 1 })
  // Only the start condition is marked and nothing has started: an OR-join after it is decided on that.
  const net = definition.net
  const initial = orJoinsOf(net).length > 0 ? new OrJoinAnalysis(net, { marking: { [net.startCondition]: 1 }, started: new Set() }) : undefined
  // In order, re-checked after a dummy task fires: a dummy that takes the start token wins the
  // deferred choice, and the tasks after it are not enabled on a token that is gone.
  await enableInOrder(step, created, initialEnabling(net, initial?.decide), initial, step.store.netVersion)
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
}

/**
 * `cancelRootWorkflow`: a top-down command. Runs the cancel action, whose
 * callback must call `workflow.cancel()`; every active task is canceled with
 * its work items, no policy is asked, then `onCanceled` runs.
 */
export async function cancelWorkflow(step: Step, workflowId: WorkflowId, payload: unknown, isInternal: boolean): Promise<void> {
  const workflow = await step.loadWorkflow(workflowId)
  const definition = step.definitionOf(workflow)
  const action = definition.actions.cancel
  const data = checkedPayload(action, payload, isInternal, { element: 'workflow', name: workflow.name, id: workflow._id, action: 'cancel' })
  let canceled = false
  const cancel = async () => {
    if (canceled) throw tasknetError('INVALID_STATE', `workflow.cancel() was called twice for workflow '${workflow.name}' (${workflow._id}).`, { workflowId })
    canceled = true
    // Check the transition before tearing anything down, so a refused cancel changes nothing.
    nextWorkflowState(ref(workflow), workflow.state, 'cancel')
    await teardown(step, workflow, 'cancel')
    transition(step, workflow, 'cancel')
    await cancelScheduledFor(step, elementKey.workflow(workflow._id))
    await definition.activities.onCanceled?.(activityCtx(step, workflow))
  }
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

/** The end condition is marked (semantics.md §5 step 6). */
export async function completeWorkflow(step: Step, workflow: WorkflowRecord): Promise<void> {
  await teardown(step, workflow, 'complete')
  transition(step, workflow, 'complete')
  await cancelScheduledFor(step, elementKey.workflow(workflow._id))
  await step.definitionOf(workflow).activities.onCompleted?.(activityCtx(step, workflow))
}

/** A task failed and its policy let the failure through (semantics.md §7). */
export async function failWorkflow(step: Step, workflow: WorkflowRecord): Promise<void> {
  await teardown(step, workflow, 'fail')
  transition(step, workflow, 'fail')
  await cancelScheduledFor(step, elementKey.workflow(workflow._id))
  await step.definitionOf(workflow).activities.onFailed?.(activityCtx(step, workflow))
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
