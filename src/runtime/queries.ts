import type { GenericDatabaseReader } from 'convex/server'
import type { EngineDataModel } from './dataModel'
import type { GenericId } from 'convex/values'
import type { WorkflowDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import type { TaskState, WorkflowState, WorkItemState } from '../net/lifecycle'
import type { WorkflowId } from './store'

/**
 * Reads of a workflow's state as plain functions over `ctx.db`, so an
 * application can write its own authorized queries. The generated internal
 * queries are these same functions.
 */

/** Any app's reader: its data model contains the engine's tables (it spreads `tasknetTables`). */
type Db = GenericDatabaseReader<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The app's reader viewed through the engine's own tables (see `dataModel.ts`). */
const engine = (db: Db) => db as GenericDatabaseReader<EngineDataModel>

export type WorkflowSummary = { _id: WorkflowId; name: string; state: WorkflowState }
export type WorkItemSummary = {
  _id: GenericId<'tasknet_workItems'>
  name: string
  taskName: string
  generation: number
  state: WorkItemState
}

async function requireWorkflow(db: Db, definition: WorkflowDefinition, workflowId: WorkflowId) {
  const doc = await engine(db).get(workflowId)
  if (!doc) throw tasknetError('NOT_FOUND', `No workflow with id ${workflowId}.`, { workflowId })
  if (doc.name !== definition.name) {
    throw tasknetError('NOT_FOUND', `Workflow ${workflowId} is a '${doc.name}' workflow, not '${definition.name}'.`, { workflowId })
  }
  return doc
}

export async function getWorkflow(db: Db, definition: WorkflowDefinition, workflowId: WorkflowId): Promise<WorkflowSummary> {
  const doc = await requireWorkflow(db, definition, workflowId)
  return { _id: doc._id, name: doc.name, state: doc.state }
}

/** Every task of the definition with its state; a task never enabled is `'disabled'`. */
export async function getWorkflowTaskStates(db: Db, definition: WorkflowDefinition, workflowId: WorkflowId): Promise<Record<string, TaskState>> {
  await requireWorkflow(db, definition, workflowId)
  const states: Record<string, TaskState> = Object.fromEntries(Object.keys(definition.net.tasks).map((t) => [t, 'disabled' as TaskState]))
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
  await requireWorkflow(db, definition, workflowId)
  if (taskName !== undefined && !definition.net.tasks[taskName]) {
    throw tasknetError('NOT_FOUND', `Workflow '${definition.name}' has no task '${taskName}'.`, { workflowId, taskName })
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
  await requireWorkflow(db, definition, workflowId)
  const marking: Record<string, number> = Object.fromEntries(Object.keys(definition.net.conditions).map((c) => [c, 0]))
  const conditions = await engine(db)
    .query('tasknet_conditions')
    .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId))
    .collect()
  for (const condition of conditions) marking[condition.name] = condition.marking
  return marking
}
