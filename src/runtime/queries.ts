import type { GenericDatabaseReader } from 'convex/server'
import type { EngineDataModel } from './dataModel'
import type { GenericId } from 'convex/values'
import type { WorkflowDefinition } from '../builder/definition'
import type { Names, WorkflowBuilder } from '../builder/workflow'
import type { ChildWorkflowNames, Markings, TaskNames, TaskStates, WorkflowNames, WorkItemNames } from './apiTypes'
import { tasknetError } from '../errors'
import type { TaskState, WorkflowState, WorkItemState } from '../net/lifecycle'
import type { WorkflowId } from './store'
import { definitionsOf } from './step'
import { own, requireIdOf } from './lookup'

/**
 * Reads of a workflow's state as plain functions over `ctx.db`, so an
 * application can write its own authorized queries. The generated internal
 * queries are these same functions.
 *
 * Each takes the root workflow as its Builder or as a built definition and is
 * typed by its names, like the generated functions: task names, work item and
 * workflow names in results, records keyed by task or condition names. A
 * definition whose names are not tracked (a net generated in a loop) gives
 * plain strings, checked at run time.
 */

/** Any app's reader: its data model contains the engine's tables (it spreads `tasknetTables`). */
export type Db = GenericDatabaseReader<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The app's reader viewed through the engine's own tables (see `dataModel.ts`). */
export const engine = (db: Db) => db as GenericDatabaseReader<EngineDataModel>

/** The root workflow a read helper is given: its Builder, or the definition built from it (or made otherwise). */
export type RootWorkflow<N extends Names> = WorkflowBuilder<N> | WorkflowDefinition<N>

export type WorkflowSummary<N extends Names = Names> = {
  _id: WorkflowId
  name: WorkflowNames<N>
  state: WorkflowState
  /** A child workflow's composite task. */
  parent?: { workflowId: WorkflowId; taskName: TaskNames<N>; taskGeneration: number }
}
export type ChildWorkflowSummary<N extends Names = Names> = { _id: WorkflowId; name: ChildWorkflowNames<N>; state: WorkflowState; generation: number }
export type WorkItemSummary<N extends Names = Names> = {
  _id: GenericId<'tasknet_workItems'>
  name: WorkItemNames<N>
  taskName: TaskNames<N>
  generation: number
  state: WorkItemState
}

/** Builders are immutable: each is built once, so its definition (and `definitionsOf`'s registry) is reused. */
const built = new WeakMap<WorkflowBuilder<Names>, WorkflowDefinition>()
export function definitionOf(workflow: RootWorkflow<Names>): WorkflowDefinition {
  if (!('build' in workflow)) return workflow
  let definition = built.get(workflow)
  if (!definition) built.set(workflow, (definition = workflow.build()))
  return definition
}

/**
 * The workflow and the definition it runs: `definition` is a root's, and the workflow may be that
 * root or a child of one of its composite tasks (at any depth).
 */
export async function requireWorkflow(db: Db, workflow: RootWorkflow<Names>, workflowId: WorkflowId) {
  const root = definitionOf(workflow)
  const doc = await engine(db).get(requireIdOf(db, 'tasknet_workflows', workflowId))
  if (!doc) throw tasknetError('NOT_FOUND', `No workflow with id ${workflowId}.`, { workflowId })
  const definition = definitionsOf(root).get(doc.name)
  if (!definition) {
    throw tasknetError('NOT_FOUND', `Workflow ${workflowId} is a '${doc.name}' workflow, not '${root.name}' or one of its children.`, { workflowId })
  }
  return Object.assign(doc, { definition })
}

export async function getWorkflow<N extends Names>(db: Db, workflow: RootWorkflow<N>, workflowId: WorkflowId): Promise<WorkflowSummary<N>> {
  const doc = await requireWorkflow(db, workflow, workflowId)
  const summary: WorkflowSummary = { _id: doc._id, name: doc.name, state: doc.state, ...(doc.parent ? { parent: doc.parent } : {}) }
  return summary as unknown as WorkflowSummary<N>
}

/** The child workflows of a composite task, every generation, in creation order. */
export async function getChildWorkflows<N extends Names>(
  db: Db,
  workflow: RootWorkflow<N>,
  workflowId: WorkflowId,
  taskName: TaskNames<N>,
): Promise<ChildWorkflowSummary<N>[]> {
  const doc = await requireWorkflow(db, workflow, workflowId)
  if (!own(doc.definition.tasks, taskName)?.childWorkflows) {
    throw tasknetError('NOT_FOUND', `Workflow '${doc.name}' has no composite task '${taskName}'.`, { workflowId, taskName })
  }
  const children = await engine(db)
    .query('tasknet_workflows')
    .withIndex('by_parent', (q) => q.eq('parent.workflowId', workflowId).eq('parent.taskName', taskName))
    .collect()
  const summaries: ChildWorkflowSummary[] = children
    .sort((a, b) => a._creationTime - b._creationTime)
    .map((c) => ({ _id: c._id, name: c.name, state: c.state, generation: c.parent!.taskGeneration }))
  return summaries as unknown as ChildWorkflowSummary<N>[]
}

/**
 * Every task of the workflow with its state; a task never enabled is `'disabled'`. Keyed by the root's
 * task names, or by a child's for a child's id: a union of one record per workflow of the hierarchy.
 */
export async function getWorkflowTaskStates<N extends Names>(db: Db, workflow: RootWorkflow<N>, workflowId: WorkflowId): Promise<TaskStates<N>> {
  const { definition: resolved } = await requireWorkflow(db, workflow, workflowId)
  const states: Record<string, TaskState> = Object.fromEntries(Object.keys(resolved.net.tasks).map((t) => [t, 'disabled' as TaskState]))
  const tasks = await engine(db)
    .query('tasknet_tasks')
    .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId))
    .collect()
  for (const task of tasks) states[task.name] = task.state
  return states as TaskStates<N>
}

/**
 * Work items of the workflow, or of one task, in creation order; `generation` says which enabling they belong to.
 * With `currentGeneration`, only those of each task's current (most recent) generation: what a task list shows,
 * without the work items of earlier passes through a loop.
 */
export async function getWorkItems<N extends Names>(
  db: Db,
  workflow: RootWorkflow<N>,
  workflowId: WorkflowId,
  taskName?: TaskNames<N>,
  options: { currentGeneration?: boolean } = {},
): Promise<WorkItemSummary<N>[]> {
  const { definition: resolved } = await requireWorkflow(db, workflow, workflowId)
  if (taskName !== undefined && !own(resolved.net.tasks, taskName)) {
    throw tasknetError('NOT_FOUND', `Workflow '${resolved.name}' has no task '${taskName}'.`, { workflowId, taskName })
  }
  const generations = options.currentGeneration ? await currentGenerations(db, workflowId, taskName) : undefined
  const docs = await engine(db)
    .query('tasknet_workItems')
    .withIndex('by_workflowId_and_taskName_and_taskGeneration_and_state', (q) => {
      const scoped = q.eq('workflowId', workflowId)
      if (taskName === undefined) return scoped
      const task = scoped.eq('taskName', taskName)
      // One task's current generation is one index range; for the whole workflow, filter below.
      return generations ? task.eq('taskGeneration', generations.get(taskName) ?? 0) : task
    })
    .collect()
  const summaries: WorkItemSummary[] = docs
    .filter((d) => !generations || d.taskGeneration === generations.get(d.taskName))
    .sort((a, b) => a._creationTime - b._creationTime)
    .map((d) => ({ _id: d._id, name: d.name, taskName: d.taskName, generation: d.taskGeneration, state: d.state }))
  return summaries as unknown as WorkItemSummary<N>[]
}

/** Each task's current generation (0 for a task never enabled, which has no work items). */
async function currentGenerations(db: Db, workflowId: WorkflowId, taskName?: string): Promise<Map<string, number>> {
  const tasks = await engine(db)
    .query('tasknet_tasks')
    .withIndex('by_workflowId_and_name', (q) => (taskName === undefined ? q.eq('workflowId', workflowId) : q.eq('workflowId', workflowId).eq('name', taskName)))
    .collect()
  return new Map(tasks.map((t) => [t.name, t.generation]))
}

/**
 * The marking: tokens per condition, explicit and implicit (`a__to__b`), 0 when empty. Keyed by the
 * root's condition names, or by a child's for a child's id (a union of one record per workflow, as above).
 */
export async function getMarking<N extends Names>(db: Db, workflow: RootWorkflow<N>, workflowId: WorkflowId): Promise<Markings<N>> {
  const { definition: resolved } = await requireWorkflow(db, workflow, workflowId)
  const marking: Record<string, number> = Object.fromEntries(Object.keys(resolved.net.conditions).map((c) => [c, 0]))
  const conditions = await engine(db)
    .query('tasknet_conditions')
    .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId))
    .collect()
  for (const condition of conditions) marking[condition.name] = condition.marking
  return marking as Markings<N>
}
