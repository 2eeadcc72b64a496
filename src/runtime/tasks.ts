import type { RouteTarget } from '../builder/contexts'
import type { TaskDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import { implicitConditionName } from '../net/definition'
import { nextTaskState, type TaskEvent, type TaskState } from '../net/lifecycle'
import { cancellationEffects, cancellationFootprint, hasCancellationRegion } from '../net/cancellation'
import {
  consumedBy,
  exit,
  exitFootprint,
  fire,
  fireFootprint,
  isJoinSatisfied,
  splitTargets,
} from '../net/semantics'
import { cancelRunningChildren, childInitializer } from './childWorkflows'
import { evaluate } from './netView'
import { loadActiveState, OrJoinAnalysis, orJoinsOf } from './orJoins'
import { cancelScheduledFor, elementKey, registerScheduledFor } from './scheduling'
import type { Step } from './step'
import { emptyStats, type TaskRecord, type WorkflowRecord } from './store'
import { initializeWorkItemInternally, teardownWorkItem } from './workItems'
import { completeWorkflow, failWorkflow, startWorkflowIfInitialized } from './workflows'

const ref = (task: TaskRecord) => ({ kind: 'task' as const, name: task.name, id: `${task.workflowId}/${task.name}` })

function transition(step: Step, task: TaskRecord, event: TaskEvent): void {
  step.store.update(task, { state: nextTaskState(ref(task), task.state, event) })
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
 * item (the seed's inline compensation releases what that work item reserved). Reading it when the
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
 * and completes at once.
 */
export async function enableTask(step: Step, workflow: WorkflowRecord, name: string): Promise<void> {
  const task = (await step.store.task(workflow._id, name)) ?? step.store.newTask(workflow._id, name)
  transition(step, task, 'enable')
  step.store.update(task, { generation: task.generation + 1, stats: emptyStats(), lastWorkItemId: undefined })
  const definition = taskDefinition(step, workflow, name)
  if (definition.kind === 'dummy') {
    await definition.activities.onEnabled?.(activityCtx(step, workflow, task))
    await fireTask(step, workflow, task)
    await exitTask(step, workflow, task)
    return
  }
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
 * Fires an enabled task (semantics.md §4): its join consumes tokens, competing
 * tasks that lose their enabling are disabled, the task starts, and so does
 * the workflow if this is its first task to start.
 */
export async function fireTask(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  const net = step.definitionOf(workflow).net
  // A competitor that is an OR-join is re-decided on the state after this firing; so are the
  // OR-joins waiting elsewhere, since the tokens taken here may have been their pending branch.
  // (Loaded before the footprint, whose marked conditions it then already holds.)
  const analysis = orJoinsOf(net).length > 0 ? await analysisAfterFiring(step, workflow, task.name) : undefined
  const firing = await evaluate(step, workflow, fireFootprint(net, task.name), (view) => fire(net, view, task.name, analysis?.decide))
  for (const { condition, tokens } of firing.consumed) {
    const record = await step.store.condition(workflow._id, condition)
    step.store.update(record, { marking: record.marking - tokens })
  }
  transition(step, task, 'start')
  for (const name of firing.disabled) await disableTask(step, workflow, (await step.store.task(workflow._id, name))!)
  await startWorkflowIfInitialized(step, workflow)
  const definition = taskDefinition(step, workflow, task.name)
  const ctx = definition.kind === 'dummy' ? activityCtx(step, workflow, task) : activeActivityCtx(step, workflow, task)
  const decidedAt = step.store.netVersion
  await definition.activities.onStarted?.(ctx)
  if (analysis) await enableInOrder(step, workflow, released(analysis, []), analysis, decidedAt)
}

/** The active state once `task` has taken its tokens and started, as the OR-join analysis sees it. */
async function analysisAfterFiring(step: Step, workflow: WorkflowRecord, taskName: string) {
  const net = step.definitionOf(workflow).net
  const active = await loadActiveState(step, workflow)
  const tokens = (c: string) => active.marking[c] ?? 0
  for (const c of consumedBy(net, { tokens }, taskName)) active.marking[c] = tokens(c) - 1
  active.started.add(taskName)
  return new OrJoinAnalysis(net, active)
}

/** OR-joins with a marked input that are not already among `enabling`: candidates the analysis may release. */
function released(analysis: OrJoinAnalysis, enabling: readonly string[]): string[] {
  return analysis
    .withMarkedInput()
    .map((t) => t.name)
    .filter((name) => !enabling.includes(name))
}

/**
 * Enables, in order, the tasks of `names` that may be enabled: not active, and
 * with a satisfied join (`analysis` decides OR-joins). The list was decided on
 * the state at `decidedAt`; an enabling that changes the net meanwhile (a dummy
 * task fires and exits at once) makes every later name be checked again on the
 * new state, so nothing is enabled twice or on a stale decision.
 */
export async function enableInOrder(
  step: Step,
  workflow: WorkflowRecord,
  names: readonly string[],
  analysis: OrJoinAnalysis | undefined,
  decidedAt: number,
): Promise<void> {
  const net = step.definitionOf(workflow).net
  for (const name of names) {
    // An earlier enabling may have completed the workflow (a dummy task reaching the end).
    if (workflow.state !== 'initialized' && workflow.state !== 'started') return
    const state = (await step.store.task(workflow._id, name))?.state ?? 'disabled'
    if (!enableableStates.has(state)) continue
    const node = net.tasks[name]!
    if (step.store.netVersion !== decidedAt) {
      if (node.joinType === 'or') {
        analysis = new OrJoinAnalysis(net, await loadActiveState(step, workflow))
        decidedAt = step.store.netVersion
      }
      const decide = analysis?.decide
      if (!(await evaluate(step, workflow, { conditions: [...node.inputs], tasks: [] }, (view) => isJoinSatisfied(net, name, view, decide)))) continue
    } else if (node.joinType === 'or' && !analysis!.decide(node)) {
      continue
    }
    await enableTask(step, workflow, name)
  }
}

/** States from which a task may be enabled (again). */
const enableableStates: ReadonlySet<TaskState> = new Set(['disabled', 'completed', 'failed', 'canceled'])

/**
 * Completes a started task, in the order of semantics.md §5: unfinished work
 * items are canceled, `onCompleted` runs, its cancellation region (if any) is
 * applied, the split routes and produces
 * tokens, the tasks they enable are enabled (this one too, if tokens remain in
 * its inputs), and the workflow completes if the end condition is marked.
 */
export async function exitTask(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<void> {
  const definition = taskDefinition(step, workflow, task.name)
  const net = step.definitionOf(workflow).net
  await leaveTask(step, workflow, task, 'complete')
  const regionOrJoins = hasCancellationRegion(net, task.name) ? await applyCancellationRegion(step, workflow, task) : []

  const targets = splitTargets(net, task.name, await route(step, workflow, task, definition))
  // OR-joins are decided on the state after this exit: region applied, task completed, tokens produced.
  const analysis = orJoinsOf(net).length > 0 ? await analysisAfterExit(step, workflow, targets) : undefined
  const result = await evaluate(step, workflow, exitFootprint(net, task.name, targets), (view) =>
    exit(net, view, task.name, targets, analysis?.decide),
  )
  for (const condition of result.produced) {
    const record = await step.store.condition(workflow._id, condition)
    step.store.update(record, { marking: record.marking + 1 })
  }
  if (result.completesWorkflow) {
    await completeWorkflow(step, workflow)
    return
  }
  const decidedAt = step.store.netVersion
  for (const name of regionOrJoins) {
    const orJoin = (await step.store.task(workflow._id, name))!
    if (orJoin.state === 'enabled' && !analysis!.decide(net.tasks[name]!)) await disableTask(step, workflow, orJoin)
  }
  // Successors of the marked conditions (and this task again), then OR-joins anywhere that this
  // exit released: a branch routed away or a region emptied can be what they were waiting for.
  const enabling = analysis ? [...result.enabled, ...released(analysis, result.enabled)] : result.enabled
  await enableInOrder(step, workflow, enabling, analysis, decidedAt)
}

/** The active state once the exit has produced into `targets` (the task is already completed). */
async function analysisAfterExit(step: Step, workflow: WorkflowRecord, targets: readonly string[]) {
  const active = await loadActiveState(step, workflow)
  for (const c of targets) active.marking[c] = (active.marking[c] ?? 0) + 1
  return new OrJoinAnalysis(step.definitionOf(workflow).net, active)
}

/**
 * semantics.md §5 step 3: the completing task's cancellation region. Region
 * tasks that are enabled or started are canceled (teardown: work items
 * canceled, jobs canceled, `onCanceled`, no policy), region conditions are
 * emptied, and tasks outside the region that lost their enabling are disabled
 * (`onDisabled`). The effects are computed once, from the state after
 * `onCompleted`, and applied in that order. Returns the OR-joins whose inputs
 * the region emptied but that kept a marked input: `exitTask` re-decides them.
 */
async function applyCancellationRegion(step: Step, workflow: WorkflowRecord, task: TaskRecord): Promise<string[]> {
  const net = step.definitionOf(workflow).net
  // An enabled OR-join that keeps a marked input is not decided here: whether it stays enabled
  // depends on where the split is about to route, so `exitTask` re-decides it after producing.
  const effects = await evaluate(step, workflow, cancellationFootprint(net, task.name), (view) =>
    cancellationEffects(net, view, task.name, () => true),
  )
  for (const name of effects.canceled) await cancelTask(step, workflow, (await step.store.task(workflow._id, name))!)
  for (const { condition } of effects.emptied) {
    const record = await step.store.condition(workflow._id, condition)
    step.store.update(record, { marking: 0 })
  }
  for (const name of effects.disabled) await disableTask(step, workflow, (await step.store.task(workflow._id, name))!)
  const emptied = effects.emptied.map(({ condition }) => condition)
  return orJoinsOf(net)
    .filter((t) => !effects.disabled.includes(t.name) && t.inputs.some((c) => emptied.includes(c)))
    .map((t) => t.name)
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
