import type { GenericDatabaseReader } from 'convex/server'
import type { EngineDataModel } from './dataModel'
import type { GenericId } from 'convex/values'
import type { WorkflowDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import type { TaskState, WorkflowState, WorkItemState } from '../net/lifecycle'
import type { WorkflowId } from './store'
import { definitionsOf } from './step'
import { own, requireIdOf } from './lookup'

/**
 * Reads of a workflow's state as plain functions over `ctx.db`, so an
 * application can write its own authorized queries. The generated internal
 * queries are these same functions.
 */

/** Any app's reader: its data model contains the engine's tables (it spreads `tasknetTables`). */
type Db = GenericDatabaseReader<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The app's reader viewed through the engine's own tables (see `dataModel.ts`). */
const engine = (db: Db) => db as GenericDatabaseReader<EngineDataModel>

export type WorkflowSummary = {
  _id: WorkflowId
  name: string
  state: WorkflowState
  /** A child workflow's composite task. */
  parent?: { workflowId: WorkflowId; taskName: string; taskGeneration: number }
}
export type ChildWorkflowSummary = { _id: WorkflowId; name: string; state: WorkflowState; generation: number }
export type WorkItemSummary = {
  _id: GenericId<'tasknet_workItems'>
  name: string
  taskName: string
  generation: number
  state: WorkItemState
}

/**
 * The workflow and the definition it runs: `definition` is a root's, and the workflow may be that
 * root or a child of one of its composite tasks (at any depth).
 */
async function requireWorkflow(db: Db, root: WorkflowDefinition, workflowId: WorkflowId) {
  const doc = await engine(db).get(requireIdOf(db, 'tasknet_workflows', workflowId))
  if (!doc) throw tasknetError('NOT_FOUND', `No workflow with id ${workflowId}.`, { workflowId })
  const definition = definitionsOf(root).get(doc.name)
  if (!definition) {
    throw tasknetError('NOT_FOUND', `Workflow ${workflowId} is a '${doc.name}' workflow, not '${root.name}' or one of its children.`, { workflowId })
  }
  return Object.assign(doc, { definition })
}

export async function getWorkflow(db: Db, definition: WorkflowDefinition, workflowId: WorkflowId): Promise<WorkflowSummary> {
  const doc = await requireWorkflow(db, definition, workflowId)
  return { _id: doc._id, name: doc.name, state: doc.state, ...(doc.parent ? { parent: doc.parent } : {}) }
}

/** The child workflows of a composite task, every generation, in creation order. */
export async function getChildWorkflows(db: Db, definition: WorkflowDefinition, workflowId: WorkflowId, taskName: string): Promise<ChildWorkflowSummary[]> {
  const doc = await requireWorkflow(db, definition, workflowId)
  if (!own(doc.definition.tasks, taskName)?.childWorkflows) {
    throw tasknetError('NOT_FOUND', `Workflow '${doc.name}' has no composite task '${taskName}'.`, { workflowId, taskName })
  }
  const children = await engine(db)
    .query('tasknet_workflows')
    .withIndex('by_parent', (q) => q.eq('parent.workflowId', workflowId).eq('parent.taskName', taskName))
    .collect()
  return children
    .sort((a, b) => a._creationTime - b._creationTime)
    .map((c) => ({ _id: c._id, name: c.name, state: c.state, generation: c.parent!.taskGeneration }))
}

/** Every task of the definition with its state; a task never enabled is `'disabled'`. */
export async function getWorkflowTaskStates(db: Db, definition: WorkflowDefinition, workflowId: WorkflowId): Promise<Record<string, TaskState>> {
  const { definition: resolved } = await requireWorkflow(db, definition, workflowId)
  const states: Record<string, TaskState> = Object.fromEntries(Object.keys(resolved.net.tasks).map((t) => [t, 'disabled' as TaskState]))
  const tasks = await engine(db)
    .query('tasknet_tasks')
    .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId))
    .collect()
  for (const task of tasks) states[task.name] = task.state
  return states
}

/**
 * Work items of the workflow, or of one task, in creation order; `generation` says which enabling they belong to.
 * With `currentGeneration`, only those of each task's current (most recent) generation: what a task list shows,
 * without the work items of earlier passes through a loop.
 */
export async function getWorkItems(
  db: Db,
  definition: WorkflowDefinition,
  workflowId: WorkflowId,
  taskName?: string,
  options: { currentGeneration?: boolean } = {},
): Promise<WorkItemSummary[]> {
  const { definition: resolved } = await requireWorkflow(db, definition, workflowId)
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
  return docs
    .filter((d) => !generations || d.taskGeneration === generations.get(d.taskName))
    .sort((a, b) => a._creationTime - b._creationTime)
    .map((d) => ({ _id: d._id, name: d.name, taskName: d.taskName, generation: d.taskGeneration, state: d.state }))
}

/** Each task's current generation (0 for a task never enabled, which has no work items). */
async function currentGenerations(db: Db, workflowId: WorkflowId, taskName?: string): Promise<Map<string, number>> {
  const tasks = await engine(db)
    .query('tasknet_tasks')
    .withIndex('by_workflowId_and_name', (q) => (taskName === undefined ? q.eq('workflowId', workflowId) : q.eq('workflowId', workflowId).eq('name', taskName)))
    .collect()
  return new Map(tasks.map((t) => [t.name, t.generation]))
}

/** The marking: tokens per condition, explicit and implicit (`a__to__b`), 0 when empty. */
export async function getMarking(db: Db, definition: WorkflowDefinition, workflowId: WorkflowId): Promise<Record<string, number>> {
  const { definition: resolved } = await requireWorkflow(db, definition, workflowId)
  const marking: Record<string, number> = Object.fromEntries(Object.keys(resolved.net.conditions).map((c) => [c, 0]))
  const conditions = await engine(db)
    .query('tasknet_conditions')
    .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId))
    .collect()
  for (const condition of conditions) marking[condition.name] = condition.marking
  return marking
}
