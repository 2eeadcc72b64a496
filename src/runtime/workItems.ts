import type { PolicyResult, WorkItemActionName } from '../builder/contexts'
import type { TaskDefinition, WorkItemDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import { nextWorkItemState, type WorkItemEvent, type WorkItemState } from '../net/lifecycle'
import { checkedPayload } from './payload'
import { cancelScheduledFor, elementKey, registerScheduledFor } from './scheduling'
import { definitionsOf, type Step, type Trigger } from './step'
import { own, requireIdOf } from './lookup'
import type { TaskRecord, WorkflowId, WorkflowRecord, WorkItemId, WorkItemRecord } from './store'
import { settle } from './settle'
import { activeActivityCtx, exitTask, failTask, fireTask } from './tasks'
import { scheduleWorkItemDeadline } from './deadlines'
import type { EndWorkItem } from './services/calls'

const ref = (w: { _id: string; name: string }) => ({ kind: 'work item' as const, name: w.name, id: w._id })

type Located = { workflow: WorkflowRecord; task: TaskRecord; taskDefinition: TaskDefinition; workItemDefinition: WorkItemDefinition }

function parentCtx(workflow: WorkflowRecord, task: TaskRecord) {
  return { workflow: { id: workflow._id, name: workflow.name }, task: { name: task.name, generation: task.generation } }
}

/**
 * Keeps the task's counts of its generation's work items (for a composite task: child workflows,
 * whose states have the same names) in step with a transition.
 */
export function countTransition(step: Step, task: TaskRecord, from: WorkItemState | undefined, to: WorkItemState) {
  const stats = { ...task.stats, [to]: task.stats[to] + 1 }
  if (from) stats[from] -= 1
  else stats.total += 1
  step.store.update(task, { stats })
}

function setState(step: Step, task: TaskRecord, workItem: WorkItemRecord, event: WorkItemEvent): WorkItemState {
  const prev = workItem.state
  const next = nextWorkItemState(ref(workItem), prev, event)
  step.store.update(workItem, { state: next })
  countTransition(step, task, prev, next)
  return prev
}

/**
 * A request that names the generation it means (`target.generation`) is refused once the task has moved
 * on (docs/semantics.md#transactions-and-generations); `what` says what the request would have done, for the message.
 */
export function refuseStaleTarget(task: TaskRecord, generation: number | undefined, what: string): void {
  if (generation === undefined || generation === task.generation) return
  throw tasknetError(
    'STALE_GENERATION',
    `Cannot ${what} for generation ${generation} of task '${task.name}' in workflow ${task.workflowId}: the task is at generation ${task.generation} ('${task.state}').`,
    { workflowId: task.workflowId, taskName: task.name, generation, currentGeneration: task.generation, state: task.state },
  )
}

/** Resolves the task a request names and checks that it can take a new work item. */
async function locateTask(step: Step, workflowId: WorkflowId, taskName: string): Promise<Located> {
  const workflow = await step.loadWorkflow(workflowId)
  const definition = step.definitionOf(workflow)
  const taskDefinition = own(definition.tasks, taskName)
  if (!taskDefinition) {
    throw tasknetError('NOT_FOUND', `Workflow '${workflow.name}' has no task '${taskName}'.`, { workflowId, taskName })
  }
  if (!taskDefinition.workItem) {
    throw tasknetError('INVALID_STATE', `Task '${taskName}' of workflow '${workflow.name}' is a ${taskDefinition.kind} task and has no work items.`, { workflowId, taskName })
  }
  const task = await step.store.task(workflowId, taskName)
  const state = task?.state ?? 'disabled'
  if (!task || (state !== 'enabled' && state !== 'started')) {
    throw tasknetError(
      'INVALID_STATE',
      `Cannot initialize a work item of task '${taskName}' in workflow ${workflowId}: the task is '${state}'; expected 'enabled' or 'started'.`,
      { workflowId, taskName, state },
    )
  }
  return { workflow, task, taskDefinition, workItemDefinition: taskDefinition.workItem }
}

/**
 * Resolves the work item a request names, refusing a wrong name or an old generation. A work item of
 * another definition's workflow is `NOT_FOUND` before its name is compared, so the caller learns
 * nothing about it.
 */
export async function locateWorkItem(step: Step, workItemId: WorkItemId, name: string | undefined) {
  const workItem = await step.store.workItem(requireIdOf(step.ctx.db, 'tasknet_workItems', workItemId))
  if (!workItem) throw tasknetError('NOT_FOUND', `No work item with id ${workItemId}.`, { workItemId })
  const workflow = await step.store.workflow(workItem.workflowId)
  if (!workflow || !definitionsOf(step.root).has(workflow.name)) {
    throw tasknetError('NOT_FOUND', `Work item ${workItemId} belongs to no '${step.root.name}' workflow or child of one.`, { workItemId })
  }
  if (name !== undefined && name !== workItem.name) {
    throw tasknetError('NAME_MISMATCH', `Work item ${workItemId} is a '${workItem.name}' work item, not '${name}'.`, { workItemId, expected: workItem.name, got: name })
  }
  const taskDefinition = step.definitionOf(workflow).tasks[workItem.taskName]!
  const task = (await step.store.task(workItem.workflowId, workItem.taskName))!
  if (task.generation !== workItem.taskGeneration) {
    throw tasknetError(
      'STALE_GENERATION',
      `Work item '${workItem.name}' (${workItemId}) belongs to generation ${workItem.taskGeneration} of task '${task.name}', which is now at generation ${task.generation}; it is '${workItem.state}' and can no longer change.`,
      { workItemId, taskName: task.name, generation: workItem.taskGeneration, currentGeneration: task.generation, state: workItem.state },
    )
  }
  return { workItem, workflow, task, taskDefinition, workItemDefinition: taskDefinition.workItem! }
}

/** `initializeWorkItem`: a request from outside (public or internal). */
export async function initializeWorkItemRequest(
  step: Step,
  target: { workflowId: WorkflowId; taskName: string; generation?: number },
  args: { name: string; payload?: unknown },
  isInternal: boolean,
): Promise<WorkItemId> {
  const located = await locateTask(step, target.workflowId, target.taskName)
  if (args.name !== located.workItemDefinition.name) {
    throw tasknetError(
      'NAME_MISMATCH',
      `Task '${target.taskName}' has '${located.workItemDefinition.name}' work items, not '${args.name}'.`,
      { taskName: target.taskName, expected: located.workItemDefinition.name, got: args.name },
    )
  }
  refuseStaleTarget(located.task, target.generation, `initialize a '${args.name}' work item`)
  return initializeWorkItem(step, located, args.payload, isInternal)
}

/** `workItem.initialize(payload)` from a task's activity: an internal call, guarded (see `Step.guard`). */
export function initializeWorkItemInternally(step: Step, workflow: WorkflowRecord, task: TaskRecord, payload: unknown) {
  return step.guard(initializeOffered)(step, workflow, task, payload)
}

async function initializeOffered(step: Step, workflow: WorkflowRecord, task: TaskRecord, payload: unknown) {
  if (task.state !== 'enabled' && task.state !== 'started') {
    throw tasknetError('INVALID_STATE', `Cannot initialize a work item of task '${task.name}': the task is '${task.state}'; expected 'enabled' or 'started'.`, { taskName: task.name, state: task.state })
  }
  const taskDefinition = step.definitionOf(workflow).tasks[task.name]!
  return initializeWorkItem(step, { workflow, task, taskDefinition, workItemDefinition: taskDefinition.workItem! }, payload, true)
}

async function initializeWorkItem(step: Step, located: Located, payload: unknown, isInternal: boolean): Promise<WorkItemId> {
  const { workflow, task, workItemDefinition: definition } = located
  const action = definition.actions.initialize
  const data = checkedPayload(action, payload, isInternal, { element: 'work item', name: definition.name, id: undefined, action: 'initialize' })
  let created: WorkItemRecord | undefined
  const initialize = step.guard(async () => {
    if (created) throw tasknetError('INVALID_STATE', `workItem.initialize() was called twice in one initialize action of '${definition.name}'.`, { name: definition.name })
    created = await step.store.insertWorkItem({
      workflowId: workflow._id,
      taskName: task.name,
      taskGeneration: task.generation,
      name: definition.name,
      state: 'initialized',
    })
    countTransition(step, task, undefined, 'initialized')
    step.store.update(task, { lastWorkItemId: created._id })
    return created._id
  })
  const registerScheduled = step.guard(async (scheduled: Parameters<ReturnType<typeof registerScheduledFor>>[0]) => {
    if (!created) throw tasknetError('INVALID_STATE', `registerScheduled was called before workItem.initialize() in the initialize action of '${definition.name}'; call it after, so the job belongs to the work item.`, { name: definition.name })
    return registerScheduledFor(step, workflow._id, elementKey.workItem(created._id))(scheduled)
  })
  if (action?.callback) {
    await (action.callback as (ctx: unknown, payload: unknown) => Promise<void>)(
      { mutationCtx: step.ctx, isInternalMutation: isInternal, parent: parentCtx(workflow, task), workItem: { initialize }, registerScheduled },
      data,
    )
    if (!created) {
      throw tasknetError('ACTION_INCOMPLETE', `The initialize action of work item '${definition.name}' returned without calling workItem.initialize().`, { name: definition.name })
    }
  } else {
    await initialize()
  }
  const workItem = created!
  if (definition.deadline) await scheduleWorkItemDeadline(step, definition.deadline, workflow, task, workItem, data)
  const triggers = triggerRecorder(step, workItem, ['start'], 'onInitialized')
  await definition.activities.onInitialized?.({
    mutationCtx: step.ctx,
    parent: parentCtx(workflow, task),
    workItem: { id: workItem._id, start: triggers.start },
    registerScheduled: registerScheduledFor(step, workflow._id, elementKey.workItem(workItem._id)),
  })
  return workItem._id
}

/**
 * An auto-trigger only records the wish (docs/semantics.md#activities-actions-and-triggers); the step performs
 * it after the activity returns. One trigger per activity.
 */
function triggerRecorder(step: Step, workItem: WorkItemRecord, allowed: Trigger['action'][], activity: string) {
  let made: Trigger['action'] | undefined
  const record = (action: Trigger['action']) => step.guard((payload?: unknown) => {
    if (made) {
      throw tasknetError('INVALID_TRIGGER', `${activity} of work item '${workItem.name}' (${workItem._id}) already asked to ${made}; one trigger per activity.`, { workItemId: workItem._id, activity })
    }
    made = action
    step.triggers.push({ workItemId: workItem._id, action, payload, recordedState: workItem.state })
  })
  return Object.fromEntries(allowed.map((a) => [a, record(a)])) as Record<Trigger['action'], (payload?: unknown) => void>
}

type LifecycleAction = Exclude<WorkItemActionName, 'initialize'>

/** `startWorkItem`, `completeWorkItem`, ...: a request from outside (public or internal). */
export async function workItemRequest(
  step: Step,
  action: LifecycleAction,
  workItemId: WorkItemId,
  args: { name: string; payload?: unknown },
  isInternal: boolean,
): Promise<void> {
  const located = await locateWorkItem(step, workItemId, args.name)
  await runWorkItemAction(step, located, action, args.payload, isInternal)
}

/** The runtime of service work items, which `workflowApi`'s `services` option brings; refused with what to pass without it. */
function servicesOf(step: Step, workflow: WorkflowRecord, workItem: WorkItemRecord) {
  if (!step.services) {
    throw tasknetError(
      'INVALID_DEFINITION',
      `Work item '${workItem.name}' of workflow '${workflow.name}' is a service work item, which runs its action in a work pool: pass workflowApi(…, { services: serviceWorkItems({ pool: new Workpool(components.services, …) }) }).`,
      { workflowName: workflow.name, workItem: workItem.name },
    )
  }
  return step.services.runtime
}

/**
 * A service's outcome completes or fails its work item as an internal call: a custom action with a
 * schema receives the result (or `{ error, attempts }`), a default action nothing (the call keeps it).
 */
export const endServiceWorkItem: EndWorkItem = async (step, workItemId, action, payload) => {
  const located = await locateWorkItem(step, workItemId, undefined)
  const custom = located.workItemDefinition.actions[action]?.schema !== undefined
  await runWorkItemAction(step, located, action, custom ? payload : undefined, true)
}

/** Performs a recorded auto-trigger as an internal call. */
export async function performTrigger(step: Step, trigger: Trigger): Promise<void> {
  const workItem = await step.store.workItem(trigger.workItemId)
  // A work item torn down after the wish was made (its task was disabled or completed) lets the wish go.
  if (workItem && workItem.state !== trigger.recordedState && ['completed', 'failed', 'canceled'].includes(workItem.state)) return
  const located = await locateWorkItem(step, trigger.workItemId, undefined)
  await runWorkItemAction(step, located, trigger.action, trigger.payload, true)
}

async function runWorkItemAction(
  step: Step,
  located: Located & { workItem: WorkItemRecord },
  action: LifecycleAction,
  payload: unknown,
  isInternal: boolean,
): Promise<void> {
  const { workItem, workflow, task, workItemDefinition: definition } = located
  const actionDefinition = definition.actions[action]
  const data = checkedPayload(actionDefinition, payload, isInternal, { element: 'work item', name: workItem.name, id: workItem._id, action })
  // Refuse an illegal transition before any callback runs.
  nextWorkItemState(ref(workItem), workItem.state, action)

  let performed = false
  const perform = step.guard(async () => {
    if (performed) throw tasknetError('INVALID_STATE', `workItem.${action}() was called twice in one action of '${workItem.name}' (${workItem._id}).`, { workItemId: workItem._id })
    performed = true
    await transitions[action](step, located, data)
  })
  if (actionDefinition?.callback) {
    const scheduling = action === 'start' || action === 'reset'
      ? { registerScheduled: registerScheduledFor(step, workflow._id, elementKey.workItem(workItem._id)) }
      : {}
    await (actionDefinition.callback as (ctx: unknown, payload: unknown) => Promise<void>)(
      {
        mutationCtx: step.ctx,
        isInternalMutation: isInternal,
        parent: parentCtx(workflow, task),
        workItem: { id: workItem._id, [action]: perform },
        ...scheduling,
      },
      data,
    )
    if (!performed) {
      throw tasknetError('ACTION_INCOMPLETE', `The ${action} action of work item '${workItem.name}' (${workItem._id}) returned without calling workItem.${action}().`, { workItemId: workItem._id, action })
    }
  } else {
    await perform()
  }
}

type Located2 = Located & { workItem: WorkItemRecord }

/**
 * A lifecycle transition the engine performs itself (a deadline that passed): the work item's own
 * action callback, the app's boundary, does not run; its activities, the task's hook and policy do.
 */
export function performWorkItemTransition(step: Step, located: Located2, action: LifecycleAction): Promise<void> {
  return transitions[action](step, located, undefined)
}

const transitions: Record<LifecycleAction, (step: Step, located: Located2, payload: unknown) => Promise<void>> = {
  async start(step, { workflow, task, taskDefinition, workItemDefinition, workItem }, payload) {
    const prev = setState(step, task, workItem, 'start')
    const triggers = triggerRecorder(step, workItem, ['complete', 'fail', 'cancel'], 'onStarted')
    await workItemDefinition.activities.onStarted?.({
      mutationCtx: step.ctx,
      parent: parentCtx(workflow, task),
      workItem: { id: workItem._id, complete: triggers.complete, fail: triggers.fail, cancel: triggers.cancel },
      registerScheduled: registerScheduledFor(step, workflow._id, elementKey.workItem(workItem._id)),
    })
    // The task starts with its first work item (docs/semantics.md#firing).
    if (task.state === 'enabled') {
      await fireTask(step, workflow, task)
      await settle(step, workflow)
    }
    await stateChanged(step, workflow, task, taskDefinition, workItem, prev)
    // A service work item calls its service once started, unless its start already ended it.
    if (workItemDefinition.service && workItem.state === 'started') await servicesOf(step, workflow, workItem).start(step, workflow, workItem, workItemDefinition.service, payload)
  },
  complete: (step, located) => finish(step, located, 'complete'),
  fail: (step, located) => finish(step, located, 'fail'),
  cancel: (step, located) => finish(step, located, 'cancel'),
  async reset(step, { workflow, task, taskDefinition, workItemDefinition, workItem }) {
    const prev = setState(step, task, workItem, 'reset')
    await cancelScheduledFor(step, elementKey.workItem(workItem._id))
    if (workItemDefinition.service) await step.services?.runtime.ended(step, workflow, workItem)
    await workItemDefinition.activities.onReset?.({
      mutationCtx: step.ctx,
      parent: parentCtx(workflow, task),
      workItem: { id: workItem._id },
      registerScheduled: registerScheduledFor(step, workflow._id, elementKey.workItem(workItem._id)),
    })
    await stateChanged(step, workflow, task, taskDefinition, workItem, prev)
  },
}

const finalActivity = { complete: 'onCompleted', fail: 'onFailed', cancel: 'onCanceled' } as const

/**
 * A bottom-up signal (docs/semantics.md#policies): the work item's activity, then the
 * task's `onWorkItemStateChanged`, then — only while the task is started —
 * its policy decides.
 */
async function finish(step: Step, located: Located2, event: 'complete' | 'fail' | 'cancel'): Promise<void> {
  const { workflow, task, taskDefinition, workItem } = located
  const prev = await endWorkItem(step, located, event)
  // A work item canceled while its task is merely enabled is just recorded: tokens stay where they are.
  if (task.state !== 'started') return
  const decision = await askPolicy(step, workflow, task, taskDefinition, workItem, prev)
  step.journal.record(workflow._id, { kind: 'policy', task: task.name, generation: task.generation, decision, signal: { id: workItem._id, state: workItem.state } })
  if (decision === 'complete') {
    await exitTask(step, workflow, task)
    await settle(step, workflow)
  }
  if (decision === 'fail') await failTask(step, workflow, task)
}

/** Teardown: the engine cancels a work item while shutting its task down. No policy is asked. */
export async function teardownWorkItem(step: Step, workflow: WorkflowRecord, task: TaskRecord, workItem: WorkItemRecord): Promise<void> {
  const taskDefinition = step.definitionOf(workflow).tasks[task.name]!
  await endWorkItem(step, { workflow, task, taskDefinition, workItemDefinition: taskDefinition.workItem!, workItem }, 'cancel')
}

/**
 * A work item reaching a final state, by its own transition or by teardown alike: the state and
 * counts change, its jobs are canceled, its activity runs, then the task's `onWorkItemStateChanged`.
 * Returns the state it left. Whether the policy is asked is the caller's business.
 */
async function endWorkItem(step: Step, located: Located2, event: 'complete' | 'fail' | 'cancel'): Promise<WorkItemState> {
  const { workflow, task, taskDefinition, workItemDefinition, workItem } = located
  const prev = setState(step, task, workItem, event)
  await cancelScheduledFor(step, elementKey.workItem(workItem._id))
  // Only a work item that has a deadline looks for its job: one without costs nothing more.
  if (workItemDefinition.deadline) await cancelScheduledFor(step, elementKey.workItemDeadline(workItem._id))
  // Without `services` no call was ever started (the start refuses), so there is nothing to end.
  if (workItemDefinition.service) await step.services?.runtime.ended(step, workflow, workItem)
  await workItemDefinition.activities[finalActivity[event]]?.({
    mutationCtx: step.ctx,
    parent: parentCtx(workflow, task),
    workItem: { id: workItem._id },
  })
  await stateChanged(step, workflow, task, taskDefinition, workItem, prev)
  return prev
}

async function stateChanged(step: Step, workflow: WorkflowRecord, task: TaskRecord, definition: TaskDefinition, workItem: WorkItemRecord, prev: WorkItemState) {
  const hook = definition.activities.onWorkItemStateChanged
  if (!hook) return
  const ctx = activeActivityCtx(step, workflow, task)
  // Only atomic tasks have work items, so their active context offers `workItem.initialize`.
  const initializer = 'workItem' in ctx ? ctx.workItem : {}
  await hook({ ...ctx, workItem: { ...initializer, id: workItem._id, prevState: prev, nextState: workItem.state } })
}

const policyResults: readonly PolicyResult[] = ['continue', 'complete', 'fail']

async function askPolicy(step: Step, workflow: WorkflowRecord, task: TaskRecord, definition: TaskDefinition, workItem: WorkItemRecord, prev: WorkItemState): Promise<PolicyResult> {
  const chosen = await definition.policy?.({
    mutationCtx: step.ctx,
    parent: { workflow: { id: workflow._id, name: workflow.name } },
    transition: { prevState: prev, nextState: workItem.state },
    task: { name: task.name, generation: task.generation, getStats: async () => ({ ...task.stats }) },
    workItem: { id: workItem._id },
  })
  if (chosen === undefined || chosen === null) return defaultPolicy(task, workItem.state)
  if (!policyResults.includes(chosen as PolicyResult)) {
    throw tasknetError('INVALID_DEFINITION', `The policy of task '${task.name}' returned '${String(chosen)}'; expected 'continue', 'complete' or 'fail'.`, { taskName: task.name })
  }
  return chosen as PolicyResult
}

/** docs/semantics.md#policies: complete once every work item of the generation is final; a failure fails the task. */
export function defaultPolicy(task: TaskRecord, next: WorkItemState): PolicyResult {
  if (next === 'failed') return 'fail'
  return task.stats.initialized + task.stats.started === 0 ? 'complete' : 'continue'
}
