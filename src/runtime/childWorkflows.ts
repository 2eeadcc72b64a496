import type { PolicyResult } from '../builder/contexts'
import type { TaskDefinition, WorkflowDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import type { WorkflowState } from '../net/lifecycle'
import { checkChild } from './limits'
import { registerScheduledFor, elementKey } from './scheduling'
import type { Step } from './step'
import { own } from './lookup'
import type { TaskRecord, WorkflowId, WorkflowRecord } from './store'
import { settle } from './settle'
import { exitTask, failTask, fireTask } from './tasks'
import { countTransition, defaultPolicy, refuseStaleTarget } from './workItems'
import { cancelWorkflowTopDown, initializeWorkflowOf } from './workflows'

/**
 * Composite tasks and their child workflows (docs/semantics.md#composite-tasks). A child
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

/**
 * Starts a child workflow of `task`'s current generation: `workflow.initialize(payload)` from a composite
 * task's activity, or `initializeWorkflow` from outside. `childName` picks the child type (required for a
 * dynamic composite task, optional for a static one); `generation`, when given, is the generation the
 * caller means, and a task that has moved on refuses it (docs/semantics.md#transactions-and-generations).
 */
export async function initializeChildWorkflow(
  step: Step,
  workflow: WorkflowRecord,
  task: TaskRecord,
  request: { childName: string | undefined; generation: number | undefined },
  payload: unknown,
  isInternal: boolean,
): Promise<WorkflowId> {
  const child = childDefinition(compositeDefinition(step, workflow, task.name), request.childName)
  if (task.state !== 'enabled' && task.state !== 'started') {
    throw tasknetError(
      'INVALID_STATE',
      `Cannot start a child workflow of task '${task.name}' in workflow ${workflow._id}: the task is '${task.state}'; expected 'enabled' or 'started'.`,
      { workflowId: workflow._id, taskName: task.name, state: task.state },
    )
  }
  refuseStaleTarget(task, request.generation, `start a '${child.name}' child workflow`)
  checkChild(step, workflow, task)
  const parent = { workflowId: workflow._id, taskName: task.name, taskGeneration: task.generation }
  return initializeWorkflowOf(step, child, payload, isInternal, parent)
}

/**
 * What a composite task's active activities get as `workflow.initialize`: one function, or for a dynamic
 * composite task one per child type. Bound to the generation it is given in, so an initializer kept past
 * its generation is refused rather than starting a child of a later one.
 */
export function childInitializer(step: Step, workflow: WorkflowRecord, task: TaskRecord) {
  const definition = compositeDefinition(step, workflow, task.name)
  const generation = task.generation
  // Handed to app code, so guarded: a refusal fails the step even if the activity catches it.
  const initializerOf = (childName: string | undefined) =>
    step.guard((payload?: unknown) => initializeChildWorkflow(step, workflow, task, { childName, generation }, payload, true))
  if (!definition.dynamic) return { initialize: initializerOf(undefined) }
  const byName = Object.keys(definition.childWorkflows!).map((name) => [name, initializerOf(name)] as const)
  return { initialize: Object.fromEntries(byName) }
}

/** `initializeWorkflow({ target: { workflowId, taskName, generation? }, args: { name, payload } })`. */
export async function initializeChildWorkflowRequest(
  step: Step,
  target: { workflowId: WorkflowId; taskName: string; generation?: number },
  args: { name: string; payload?: unknown },
  isInternal: boolean,
): Promise<WorkflowId> {
  const workflow = await step.loadWorkflow(target.workflowId)
  childDefinition(compositeDefinition(step, workflow, target.taskName), args.name)
  const task = await step.store.task(workflow._id, target.taskName)
  if (!task) {
    throw tasknetError('INVALID_STATE', `Cannot start a child workflow of task '${target.taskName}' in workflow ${workflow._id}: the task is 'disabled'; expected 'enabled' or 'started'.`, {
      workflowId: workflow._id,
      taskName: target.taskName,
      state: 'disabled',
    })
  }
  return initializeChildWorkflow(step, workflow, task, { childName: args.name, generation: target.generation }, args.payload, isInternal)
}

function compositeDefinition(step: Step, workflow: WorkflowRecord, taskName: string): TaskDefinition {
  const definition = own(step.definitionOf(workflow).tasks, taskName)
  if (!definition) throw tasknetError('NOT_FOUND', `Workflow '${workflow.name}' has no task '${taskName}'.`, { workflowId: workflow._id, taskName })
  if (!definition.childWorkflows) {
    throw tasknetError('INVALID_STATE', `Task '${taskName}' of workflow '${workflow.name}' is a ${definition.kind} task and has no child workflows.`, {
      workflowId: workflow._id,
      taskName,
    })
  }
  return definition
}

/** The child definition a request names; a static composite task's only child when no name is given. */
function childDefinition(task: TaskDefinition, childName: string | undefined): WorkflowDefinition {
  const children = task.childWorkflows!
  const names = Object.keys(children)
  const chosen = childName === undefined ? (names.length === 1 ? children[names[0]!] : undefined) : own(children, childName)
  if (!chosen) {
    const expected = names.map((n) => `'${n}'`).join(', ')
    throw tasknetError(
      'NAME_MISMATCH',
      childName === undefined
        ? `Task '${task.name}' starts children of several workflows (${expected}); name the one to start.`
        : `Task '${task.name}' starts ${expected} workflows, not '${childName}'.`,
      { taskName: task.name, expected: names.join(', '), got: childName ?? null },
    )
  }
  return chosen
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
  if (parent.task.state === 'enabled') {
    await fireTask(step, parent.workflow, parent.task)
    await settle(step, parent.workflow)
  }
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
  step.journal.record(parent.workflow._id, { kind: 'policy', task: parent.task.name, generation: parent.task.generation, decision, signal: { id: child._id, state: child.state } })
  if (decision === 'complete') {
    await exitTask(step, parent.workflow, parent.task)
    await settle(step, parent.workflow)
  }
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
    workflow: { ...childInitializer(step, parent.workflow, parent.task), id: child._id, name: child.name, prevState: prev, nextState: child.state },
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
    workflow: { id: child._id, name: child.name },
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
