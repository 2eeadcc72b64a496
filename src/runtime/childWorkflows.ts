import type { PolicyResult } from '../builder/contexts'
import type { TaskDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import type { WorkflowState } from '../net/lifecycle'
import { registerScheduledFor, elementKey } from './scheduling'
import type { Step } from './step'
import type { TaskRecord, WorkflowId, WorkflowRecord } from './store'
import { exitTask, failTask, fireTask } from './tasks'
import { countTransition, defaultPolicy } from './workItems'
import { cancelWorkflowTopDown, initializeWorkflowOf } from './workflows'

/**
 * Composite tasks and their child workflows (semantics.md §6–7). A child
 * workflow is an ordinary workflow with a link to its composite task; it runs
 * through the same steps as a root, and touches its parent only at the three
 * moments the parent must know about: when it is initialized (counted), when
 * it starts (the composite task starts with its first child), and when it
 * ends (the task's `onWorkflowStateChanged`, then its policy). A step inside
 * a child therefore costs what the same step in a root does.
 *
 * The composite task counts its generation's children by state in the same
 * `stats` a task keeps for work items (a workflow's states have the same
 * names), so its default policy and `getStats()` read no child documents.
 */

/** `workflow.initialize(payload)` from a composite task's activity, or `initializeWorkflow` from outside. */
export async function initializeChildWorkflow(
  step: Step,
  workflow: WorkflowRecord,
  task: TaskRecord,
  payload: unknown,
  isInternal: boolean,
): Promise<WorkflowId> {
  if (task.state !== 'enabled' && task.state !== 'started') {
    throw tasknetError(
      'INVALID_STATE',
      `Cannot start a child workflow of task '${task.name}' in workflow ${workflow._id}: the task is '${task.state}'; expected 'enabled' or 'started'.`,
      { workflowId: workflow._id, taskName: task.name, state: task.state },
    )
  }
  const child = compositeDefinition(step, workflow, task.name).childWorkflow!
  const parent = { workflowId: workflow._id, taskName: task.name, taskGeneration: task.generation }
  return initializeWorkflowOf(step, child, payload, isInternal, parent)
}

/** `initializeWorkflow({ target: { workflowId, taskName }, args: { name, payload } })`. */
export async function initializeChildWorkflowRequest(
  step: Step,
  target: { workflowId: WorkflowId; taskName: string },
  args: { name: string; payload?: unknown },
  isInternal: boolean,
): Promise<WorkflowId> {
  const workflow = await step.loadWorkflow(target.workflowId)
  const child = compositeDefinition(step, workflow, target.taskName).childWorkflow!
  if (args.name !== child.name) {
    throw tasknetError('NAME_MISMATCH', `Task '${target.taskName}' starts '${child.name}' workflows, not '${args.name}'.`, {
      taskName: target.taskName,
      expected: child.name,
      got: args.name,
    })
  }
  const task = await step.store.task(workflow._id, target.taskName)
  if (!task) {
    throw tasknetError('INVALID_STATE', `Cannot start a child workflow of task '${target.taskName}' in workflow ${workflow._id}: the task is 'disabled'; expected 'enabled' or 'started'.`, {
      workflowId: workflow._id,
      taskName: target.taskName,
      state: 'disabled',
    })
  }
  return initializeChildWorkflow(step, workflow, task, args.payload, isInternal)
}

function compositeDefinition(step: Step, workflow: WorkflowRecord, taskName: string): TaskDefinition {
  const definition = step.definitionOf(workflow).tasks[taskName]
  if (!definition) throw tasknetError('NOT_FOUND', `Workflow '${workflow.name}' has no task '${taskName}'.`, { workflowId: workflow._id, taskName })
  if (!definition.childWorkflow) {
    throw tasknetError('INVALID_STATE', `Task '${taskName}' of workflow '${workflow.name}' is a ${definition.kind} task and has no child workflows.`, {
      workflowId: workflow._id,
      taskName,
    })
  }
  return definition
}

/** The composite task a child reports to, or undefined when that generation has ended (nothing to tell). */
async function parentOf(step: Step, child: WorkflowRecord) {
  const link = child.parent!
  const workflow = (await step.store.workflow(link.workflowId))!
  const task = (await step.store.task(link.workflowId, link.taskName))!
  if (task.generation !== link.taskGeneration) return undefined
  return { workflow, task, definition: step.definitionOf(workflow).tasks[link.taskName]! }
}

/** A child was inserted: counted in its task's generation. */
export async function childInitialized(step: Step, child: WorkflowRecord): Promise<void> {
  const parent = await parentOf(step, child)
  if (parent) countTransition(step, parent.task, undefined, 'initialized')
}

/** A child's first task started: the child is started, and its composite task starts with its first child. */
export async function childStarted(step: Step, child: WorkflowRecord): Promise<void> {
  const parent = await parentOf(step, child)
  if (!parent) return
  countTransition(step, parent.task, 'initialized', 'started')
  if (parent.task.state === 'enabled') await fireTask(step, parent.workflow, parent.task)
  await stateChanged(step, parent, child, 'initialized')
}

/**
 * A child reached a final state. Its task's `onWorkflowStateChanged` runs; then, for a child that
 * ended by itself (completed, failed, or canceled by a command on it) and while the task is started,
 * the task's policy decides. A child canceled by its task's own teardown asks no policy.
 */
export async function childEnded(step: Step, child: WorkflowRecord, prev: WorkflowState, askPolicy: boolean): Promise<void> {
  const parent = await parentOf(step, child)
  if (!parent) return
  countTransition(step, parent.task, prev, child.state)
  await stateChanged(step, parent, child, prev)
  if (!askPolicy || parent.task.state !== 'started') return
  const decision = await policyOf(step, parent, child, prev)
  if (decision === 'complete') await exitTask(step, parent.workflow, parent.task)
  if (decision === 'fail') await failTask(step, parent.workflow, parent.task)
}

type Parent = NonNullable<Awaited<ReturnType<typeof parentOf>>>

async function stateChanged(step: Step, parent: Parent, child: WorkflowRecord, prev: WorkflowState): Promise<void> {
  const hook = parent.definition.activities.onWorkflowStateChanged
  if (!hook) return
  await hook({
    mutationCtx: step.ctx,
    parent: { workflow: { id: parent.workflow._id, name: parent.workflow.name } },
    task: { name: parent.task.name, generation: parent.task.generation },
    workflow: {
      id: child._id,
      prevState: prev,
      nextState: child.state,
      initialize: (payload?: unknown) => initializeChildWorkflow(step, parent.workflow, parent.task, payload, true),
    },
    registerScheduled: registerScheduledFor(step, parent.workflow._id, elementKey.task(parent.task)),
  })
}

const policyResults: readonly PolicyResult[] = ['continue', 'complete', 'fail']

async function policyOf(step: Step, parent: Parent, child: WorkflowRecord, prev: WorkflowState): Promise<PolicyResult> {
  const { workflow, task, definition } = parent
  const chosen = await definition.policy?.({
    mutationCtx: step.ctx,
    parent: { workflow: { id: workflow._id, name: workflow.name } },
    transition: { prevState: prev, nextState: child.state },
    task: { name: task.name, generation: task.generation, getStats: async () => ({ ...task.stats }) },
    workflow: { id: child._id },
  })
  if (chosen === undefined || chosen === null) return defaultPolicy(task, child.state as 'completed' | 'failed' | 'canceled')
  if (!policyResults.includes(chosen as PolicyResult)) {
    throw tasknetError('INVALID_DEFINITION', `The policy of task '${task.name}' returned '${String(chosen)}'; expected 'continue', 'complete' or 'fail'.`, { taskName: task.name })
  }
  return chosen as PolicyResult
}

/** Teardown of a composite task: its children still running are canceled top-down. */
export async function cancelRunningChildren(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  for (const child of await step.store.childWorkflows(task, ['initialized', 'started'])) await cancelWorkflowTopDown(step, child)
}
