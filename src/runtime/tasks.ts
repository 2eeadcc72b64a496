import type { RouteTarget } from '../builder/contexts'
import type { TaskDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import { implicitConditionName } from '../net/definition'
import { nextTaskState, type TaskEvent } from '../net/lifecycle'
import { cancellationEffects, cancellationFootprint, hasCancellationRegion } from '../net/cancellation'
import { consumedBy, splitTargets } from '../net/semantics'
import { cancelRunningChildren, childInitializer } from './childWorkflows'
import { checkConsumption, checkProduction } from './limits'
import { addTokens, produceTokens, setMarking } from './marking'
import { evaluate } from './netView'
import { cancelScheduledFor, elementKey, registerScheduledFor } from './scheduling'
import { scheduleTaskDeadline } from './deadlines'
import type { Step } from './step'
import { emptyStats, type TaskRecord, type WorkflowRecord } from './store'
import { initializeWorkItemInternally, teardownWorkItem } from './workItems'
import { failWorkflow, startWorkflowIfInitialized } from './workflows'

const ref = (task: TaskRecord) => ({ kind: 'task' as const, name: task.name, id: `${task.workflowId}/${task.name}` })

const active = (state: string) => state === 'enabled' || state === 'started'

/**
 * Every task transition: a task that leaves `enabled` or `started` joins the step's agenda, since
 * tokens left in its inputs enable it again (a new generation), and a task entering or leaving
 * `started` changes what an OR-join may still receive.
 */
function transition(step: Step, task: TaskRecord, event: TaskEvent): void {
  const before = task.state
  const after = nextTaskState(ref(task), before, event)
  step.store.update(task, after === 'started' ? { state: after, startedAt: step.journal.info.time } : { state: after })
  if (active(before) && !active(after)) step.agenda.add(task.workflowId, task.name, 'left')
  if (before === 'started' || after === 'started') step.agenda.noteChange(task.workflowId)
}

function taskDefinition(step: Step, workflow: WorkflowRecord, name: string): TaskDefinition {
  return step.definitionOf(workflow).tasks[name]!
}

/** The context every task activity gets; active activities add `workItem.initialize` and `registerScheduled`. */
function activityCtx(step: Step, workflow: WorkflowRecord, task: TaskRecord) {
  return {
    mutationCtx: step.ctx,
    parent: { workflow: { id: workflow._id, name: workflow.name } },
    task: { name: task.name, generation: task.generation },
  }
}

/**
 * The context of a task's teardown activities (`onCompleted`, `onFailed`, `onCanceled`, `onDisabled`):
 * `workItem.id` is the generation's most recent work item — for a task with one work item, its work
 * item (inline compensation, docs/compensation.md, releases what that work item reserved). Reading it when the
 * generation has no work item is an error, since there is no id to give.
 */
function teardownActivityCtx(step: Step, workflow: WorkflowRecord, task: TaskRecord) {
  return {
    ...activityCtx(step, workflow, task),
    workItem: {
      get id() {
        if (!task.lastWorkItemId) {
          throw tasknetError(
            'INVALID_STATE',
            `Task '${task.name}' (generation ${task.generation}) of workflow ${workflow._id} has no work item, so its activity has no workItem.id to read; it is '${task.state}'.`,
            { workflowId: workflow._id, taskName: task.name, generation: task.generation, state: task.state },
          )
        }
        return task.lastWorkItemId
      },
    },
  }
}

export function activeActivityCtx(step: Step, workflow: WorkflowRecord, task: TaskRecord) {
  const composite = taskDefinition(step, workflow, task.name).kind === 'composite'
  return {
    ...activityCtx(step, workflow, task),
    ...(composite
      ? { workflow: childInitializer(step, workflow, task) }
      : { workItem: { initialize: (payload?: unknown) => initializeWorkItemInternally(step, workflow, task, payload) } }),
    registerScheduled: registerScheduledFor(step, workflow._id, elementKey.task(task)),
  }
}

/**
 * Enables a task: a new generation with fresh work item counts. An atomic
 * task's `onEnabled` usually initializes its work items; a dummy task fires
 * and completes at once. Only settling calls it (`settle.ts`), for a task
 * whose join holds.
 */
export async function enableTask(step: Step, workflow: WorkflowRecord, name: string): Promise<void> {
  const task = (await step.store.task(workflow._id, name)) ?? step.store.newTask(workflow._id, name)
  // The new generation first, so the journal's `enabled` change carries the generation it begins.
  step.store.update(task, { generation: task.generation + 1, stats: emptyStats(), lastWorkItemId: undefined, startedAt: undefined })
  transition(step, task, 'enable')
  const definition = taskDefinition(step, workflow, name)
  if (definition.kind === 'dummy') {
    await definition.activities.onEnabled?.(activityCtx(step, workflow, task))
    await fireTask(step, workflow, task)
    await exitTask(step, workflow, task)
    return
  }
  if (definition.deadline) await scheduleTaskDeadline(step, definition.deadline, workflow, task)
  await definition.activities.onEnabled?.(activeActivityCtx(step, workflow, task))
}

/**
 * A task loses its enabling (deferred choice, or the workflow ended): its
 * work items that have not started are canceled (teardown).
 */
export async function disableTask(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  await leaveTask(step, workflow, task, 'disable')
}

const teardownActivity = { disable: 'onDisabled', complete: 'onCompleted', fail: 'onFailed', cancel: 'onCanceled' } as const

/**
 * How a task leaves `enabled` or `started`, whatever the reason: it transitions first, so no hook
 * running during the teardown can offer a new work item to a task that is finishing; then its open
 * work items are torn down, its jobs canceled, and its teardown activity runs.
 */
async function leaveTask(step: Step, workflow: WorkflowRecord, task: TaskRecord, event: keyof typeof teardownActivity): Promise<void> {
  transition(step, task, event)
  await cancelUnfinishedWorkItems(step, workflow, task)
  await cancelScheduledFor(step, elementKey.task(task))
  await taskDefinition(step, workflow, task.name).activities[teardownActivity[event]]?.(teardownActivityCtx(step, workflow, task))
}

/**
 * Fires an enabled task (docs/semantics.md#firing): its join consumes tokens, the task starts,
 * and so does the workflow if this is its first task to start. Competitors that lose their
 * enabling are the caller's settling business, like everything else the consumed tokens change.
 */
export async function fireTask(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  const net = step.definitionOf(workflow).net
  const inputs = { conditions: [...net.tasks[task.name]!.inputs], tasks: [] }
  const consumed = await evaluate(step, workflow, inputs, (view) => consumedBy(net, view, task.name))
  checkConsumption(step, workflow, task, consumed.length)
  for (const condition of consumed) await addTokens(step, workflow, condition, -1)
  transition(step, task, 'start')
  await startWorkflowIfInitialized(step, workflow)
  const definition = taskDefinition(step, workflow, task.name)
  const ctx = definition.kind === 'dummy' ? activityCtx(step, workflow, task) : activeActivityCtx(step, workflow, task)
  await definition.activities.onStarted?.(ctx)
}

/**
 * Completes a started task, in the order of docs/semantics.md#exit: unfinished
 * work items are canceled, `onCompleted` runs, its cancellation region (if any)
 * is applied, and the split routes and produces tokens. What those tokens
 * enable, this task included if tokens remain in its inputs, and whether the
 * workflow completes, is decided by the caller's settling.
 */
export async function exitTask(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  const definition = taskDefinition(step, workflow, task.name)
  const net = step.definitionOf(workflow).net
  await leaveTask(step, workflow, task, 'complete')
  if (hasCancellationRegion(net, task.name)) await applyCancellationRegion(step, workflow, task)
  const targets = splitTargets(net, task.name, await route(step, workflow, task, definition))
  checkProduction(step, workflow, task, targets.length)
  await produceTokens(step, workflow, targets)
}

/**
 * docs/semantics.md#cancellation-regions, as `cancellationEffects` computes it from the state after
 * `onCompleted`: each region task that is enabled or started is canceled (teardown: work items
 * canceled, jobs canceled, `onCanceled`, no policy); then the implicit inputs of the region's tasks,
 * which exist only to enable them, and the region's conditions are emptied. A canceled task whose
 * join still holds on an explicit input is enabled again by settling, in a new generation.
 */
async function applyCancellationRegion(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  const net = step.definitionOf(workflow).net
  const effects = await evaluate(step, workflow, cancellationFootprint(net, task.name), (view) => cancellationEffects(net, view, task.name))
  for (const name of effects.canceled) await cancelTask(step, workflow, (await step.store.task(workflow._id, name))!)
  for (const { condition } of [...effects.withdrawn, ...effects.emptied]) await setMarking(step, workflow, condition, 0)
}

/** Asks an XOR- or OR-split's route function and turns its targets into condition names. */
async function route(step: Step, workflow: WorkflowRecord, task: TaskRecord, definition: TaskDefinition) {
  if (!definition.route) return undefined
  const router = {
    toTask: (name: string): RouteTarget => ({ kind: 'task', name }),
    toCondition: (name: string): RouteTarget => ({ kind: 'condition', name }),
  }
  const chosen = await definition.route({ ...activityCtx(step, workflow, task), route: router })
  const list: unknown[] = Array.isArray(chosen) ? chosen : chosen === undefined || chosen === null ? [] : [chosen]
  const conditions = list.map((target) => {
    if (!isRouteTarget(target)) {
      throw tasknetError('INVALID_ROUTE', `Route of task '${task.name}' returned something that is not a target; return route.toTask(name) or route.toCondition(name).`, { taskName: task.name })
    }
    const condition = target.kind === 'task' ? implicitConditionName(task.name, target.name) : target.name
    // Name a stray target the way the route named it, not by its implicit condition (splitTargets
    // catches the same mistake, but only knows condition names).
    const outputs = step.definitionOf(workflow).net.tasks[task.name]!.outputs
    if (!outputs.includes(condition)) {
      throw tasknetError(
        'INVALID_ROUTE',
        `Route of task '${task.name}' returned route.${target.kind === 'task' ? 'toTask' : 'toCondition'}('${target.name}'), which is not one of its outgoing flows (declared in connectTask('${task.name}', ...)).`,
        { taskName: task.name, target: target.name },
      )
    }
    return condition
  })
  step.journal.record(workflow._id, { kind: 'route', task: task.name, generation: task.generation, targets: conditions })
  return { conditions }
}

function isRouteTarget(value: unknown): value is RouteTarget {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value
}

/**
 * A task whose policy chose `'fail'`: its unfinished work items are canceled,
 * it fails, `onFailed` runs, and the failure goes up to its workflow.
 */
export async function failTask(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  await leaveTask(step, workflow, task, 'fail')
  await failWorkflow(step, workflow)
}

/** Teardown of an active task from above: no policy is asked; `onCanceled` runs. */
export async function cancelTask(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  await leaveTask(step, workflow, task, 'cancel')
}

/**
 * Cancels (teardown) the generation's work items — for a composite task, its child workflows — that
 * are not final. The counts say whether any exist.
 */
async function cancelUnfinishedWorkItems(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  if (task.stats.initialized + task.stats.started === 0) return
  if (taskDefinition(step, workflow, task.name).kind === 'composite') return cancelRunningChildren(step, workflow, task)
  for (const workItem of await step.store.workItemsOfGeneration(task, ['initialized', 'started'])) {
    await teardownWorkItem(step, workflow, task, workItem)
  }
}
