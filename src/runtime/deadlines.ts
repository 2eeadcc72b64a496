import type { DeadlineDefinition, TaskExpiryAction, WorkItemExpiryAction } from '../builder/deadline'
import { tasknetError } from '../errors'
import { activeTaskStates, finalWorkItemStates, type WorkflowState } from '../net/lifecycle'
import { elementKey, registerScheduledFor } from './scheduling'
import { generatedFunction } from './self'
import type { Step } from './step'
import type { TaskRecord, WorkflowId, WorkflowRecord, WorkItemId, WorkItemRecord } from './store'
import { initializeWorkItemInternally, locateWorkItem, performWorkItemTransition } from './workItems'
import { cancelWorkflowTopDown } from './workflows'
import { activeActivityCtx, exitTask, failTask, fireTask } from './tasks'
import { settle } from './settle'

/**
 * Deadlines (docs/semantics.md#deadlines). When an element with a deadline is initialized, the step
 * schedules the workflow's generated `internalDeadlineReached` for its due time and registers the job
 * as the element's own (src/runtime/scheduling.ts), so the job is canceled when the element ends first.
 * When it runs, it is one step that performs the expiry action, or nothing if the element has ended.
 */

/** Whose deadline a job is: the argument of `internalDeadlineReached`. */
export type DeadlineElement =
  | { kind: 'workItem'; workItemId: WorkItemId }
  | { kind: 'task'; workflowId: WorkflowId; taskName: string; generation: number }
  | { kind: 'workflow'; workflowId: WorkflowId; name: string }

/** The runtime imports only types from src/builder (docs/architecture.md's dependency rule), so it checks a computed delay itself. */
const isDelay = (ms: unknown): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0

const finalWorkflowStates: readonly WorkflowState[] = ['completed', 'failed', 'canceled']

export async function scheduleWorkItemDeadline(
  step: Step,
  deadline: DeadlineDefinition,
  workflow: WorkflowRecord,
  task: TaskRecord,
  workItem: WorkItemRecord,
  payload: unknown,
): Promise<void> {
  const parent = { workflow: { id: workflow._id, name: workflow.name }, task: { name: task.name, generation: task.generation } }
  const ctx = { mutationCtx: step.ctx, parent, workItem: { id: workItem._id }, payload }
  const element: DeadlineElement = { kind: 'workItem', workItemId: workItem._id }
  await schedule(step, deadline, ctx, `work item '${workItem.name}' (${workItem._id})`, element, workflow._id, elementKey.workItemDeadline(workItem._id))
}

export async function scheduleTaskDeadline(step: Step, deadline: DeadlineDefinition, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  const ctx = { mutationCtx: step.ctx, parent: { workflow: { id: workflow._id, name: workflow.name } }, task: { name: task.name, generation: task.generation } }
  const element: DeadlineElement = { kind: 'task', workflowId: workflow._id, taskName: task.name, generation: task.generation }
  await schedule(step, deadline, ctx, `task '${task.name}' (generation ${task.generation}) of workflow ${workflow._id}`, element, workflow._id, elementKey.task(task))
}

export async function scheduleWorkflowDeadline(step: Step, deadline: DeadlineDefinition, workflow: WorkflowRecord, payload: unknown): Promise<void> {
  const ctx = { mutationCtx: step.ctx, workflow: { id: workflow._id, name: workflow.name }, payload }
  const element: DeadlineElement = { kind: 'workflow', workflowId: workflow._id, name: workflow.name }
  await schedule(step, deadline, ctx, `workflow '${workflow.name}' (${workflow._id})`, element, workflow._id, elementKey.workflow(workflow._id))
}

async function schedule(step: Step, deadline: DeadlineDefinition, ctx: unknown, what: string, element: DeadlineElement, workflowId: WorkflowId, key: string) {
  const reference = generatedFunction<'mutation'>(step.self, step.root.name, 'internalDeadlineReached', `has a deadline on ${what}`)
  const args = { element, scheduled: true }
  if (deadline.at) {
    const at = await deadline.at(ctx)
    if (at === undefined) return
    if (typeof at !== 'number' || !Number.isFinite(at)) {
      throw tasknetError('INVALID_DEFINITION', `The deadline 'at' of ${what} returned ${String(at)}; expected an instant in milliseconds since the epoch, or undefined for none.`, { element: what })
    }
    await registerScheduledFor(step, workflowId, key)(step.ctx.scheduler.runAt(at, reference, args))
    return
  }
  const after = typeof deadline.after === 'function' ? await deadline.after(ctx) : deadline.after
  if (after === undefined) return
  if (!isDelay(after)) {
    throw tasknetError('INVALID_DEFINITION', `The deadline 'after' of ${what} returned ${String(after)}; expected a finite number of milliseconds, 0 or more, or undefined for none.`, { element: what })
  }
  await registerScheduledFor(step, workflowId, key)(step.ctx.scheduler.runAfter(after, reference, args))
}

/**
 * `internalDeadlineReached`: the element's deadline passed. An element that has ended, or a work item
 * whose task has moved to a new generation, is left alone: the step changes nothing and writes no event.
 */
export async function deadlineReached(step: Step, element: DeadlineElement): Promise<void> {
  if (element.kind === 'workItem') await workItemDeadlineReached(step, element.workItemId)
  else if (element.kind === 'task') await taskDeadlineReached(step, element)
  else await workflowDeadlineReached(step, element.workflowId)
}

async function workItemDeadlineReached(step: Step, workItemId: WorkItemId): Promise<void> {
  const workItem = await step.store.workItem(workItemId)
  if (!workItem || finalWorkItemStates.includes(workItem.state)) return
  const task = await step.store.task(workItem.workflowId, workItem.taskName)
  if (!task || task.generation !== workItem.taskGeneration) return
  const located = await locateWorkItem(step, workItemId, undefined)
  const { workflow, workItemDefinition } = located
  const expire = (action: WorkItemExpiryAction) => async () => {
    // `complete` and `fail` are transitions of a started work item: one still offered is started first.
    if (action !== 'cancel' && located.workItem.state === 'initialized') await performWorkItemTransition(step, located, 'start')
    await performWorkItemTransition(step, located, action)
  }
  const onExpiry = workItemDefinition.deadline!.onExpiry
  if (typeof onExpiry === 'string') return expire(onExpiry as WorkItemExpiryAction)()
  const parent = { workflow: { id: workflow._id, name: workflow.name }, task: { name: task.name, generation: task.generation } }
  await onExpiry({
    mutationCtx: step.ctx,
    parent,
    workItem: { id: workItem._id, state: workItem.state, complete: step.guard(expire('complete')), fail: step.guard(expire('fail')), cancel: step.guard(expire('cancel')) },
    task: { ...parent.task, initializeWorkItem: (payload?: unknown) => initializeWorkItemInternally(step, workflow, task, payload) },
    registerScheduled: registerScheduledFor(step, workflow._id, elementKey.workItem(workItem._id)),
  })
}

async function taskDeadlineReached(step: Step, element: Extract<DeadlineElement, { kind: 'task' }>): Promise<void> {
  const workflow = await step.store.workflow(element.workflowId)
  if (!workflow || finalWorkflowStates.includes(workflow.state)) return
  const task = await step.store.task(workflow._id, element.taskName)
  if (!task || task.generation !== element.generation || !activeTaskStates.includes(task.state)) return
  let ended = false
  const expire = (action: TaskExpiryAction) => async () => {
    if (ended) throw tasknetError('INVALID_STATE', `The onExpiry callback of task '${task.name}' (generation ${task.generation}) already ended it; it is '${task.state}'.`, { taskName: task.name, state: task.state })
    ended = true
    // An enabled task fires first, as when its first work item starts: its join consumes its tokens.
    if (task.state === 'enabled') {
      await fireTask(step, workflow, task)
      await settle(step, workflow)
    }
    if (action === 'complete') {
      await exitTask(step, workflow, task)
      await settle(step, workflow)
    } else {
      await failTask(step, workflow, task)
    }
  }
  const onExpiry = step.definitionOf(workflow).tasks[task.name]!.deadline!.onExpiry
  if (typeof onExpiry === 'string') return expire(onExpiry as TaskExpiryAction)()
  const ctx = activeActivityCtx(step, workflow, task)
  await onExpiry({
    mutationCtx: step.ctx,
    parent: ctx.parent,
    task: { name: task.name, generation: task.generation, state: task.state, complete: step.guard(expire('complete')), fail: step.guard(expire('fail')) },
    // An atomic task offers work items; a composite task starts children.
    ...('workItem' in ctx ? { workItem: ctx.workItem } : { workflow: ctx.workflow }),
    registerScheduled: ctx.registerScheduled,
  })
}

async function workflowDeadlineReached(step: Step, workflowId: WorkflowId): Promise<void> {
  const workflow = await step.store.workflow(workflowId)
  if (!workflow || finalWorkflowStates.includes(workflow.state)) return
  const onExpiry = step.definitionOf(workflow).deadline!.onExpiry
  let canceled = false
  const cancel = step.guard(async () => {
    if (canceled) throw tasknetError('INVALID_STATE', `workflow.cancel() was called twice in the onExpiry callback of workflow '${workflow.name}' (${workflow._id}).`, { workflowId })
    canceled = true
    await cancelWorkflowTopDown(step, workflow, true)
  })
  if (onExpiry === 'cancel') return cancel()
  if (typeof onExpiry === 'function') {
    await onExpiry({ mutationCtx: step.ctx, workflow: { id: workflow._id, name: workflow.name, state: workflow.state, cancel } })
  }
}
