import type { GenericId } from 'convex/values'
import type { TaskState, WorkflowState, WorkItemState } from '../net/lifecycle'
import type { TaskStatsDoc } from './schema'
import type { EngineDb, EngineDataModel } from './dataModel'
import type { DocumentByName } from 'convex/server'
import type { Journal } from './journal'

type Doc<T extends 'tasknet_tasks' | 'tasknet_workItems'> = DocumentByName<EngineDataModel, T> & { _id: GenericId<T> }

/**
 * The unit of work of one engine step. Every engine document a step touches
 * is read at most once, changed in memory, and written at most once when the
 * step ends (`flush`). On Convex a patch also reads the document, so writing
 * the same document twice in a step would cost twice: buffering keeps a step's
 * cost at the number of distinct documents it needs.
 *
 * Work items and workflows are inserted at once, because callers need their
 * ids inside the step; tasks and conditions are inserted at the flush.
 * Queries overlay the step's own changes so they never see stale states.
 */

export type WorkflowId = GenericId<'tasknet_workflows'>
export type WorkItemId = GenericId<'tasknet_workItems'>

/** A child workflow's composite task: where it reports when it starts and ends. */
export type ParentLink = { workflowId: WorkflowId; taskName: string; taskGeneration: number }
export type WorkflowRecord = {
  _id: WorkflowId
  name: string
  state: WorkflowState
  parent?: ParentLink
  /**
   * The sequence of the workflow's latest journal event (0: none yet), or `undefined` when the record
   * was read from its document (a child found by `by_parent`): the flush then reads it if it needs it.
   */
  sequence?: number
}
export type TaskRecord = {
  _id: GenericId<'tasknet_tasks'> | undefined
  workflowId: WorkflowId
  name: string
  state: TaskState
  generation: number
  stats: TaskStatsDoc
  lastWorkItemId: WorkItemId | undefined
  /** Distinct input conditions holding a token (see `tasknet_tasks.markedInputs`). */
  markedInputs: number
  /** OR-joins: the empty input that made the last decision wait. */
  pendingInput: string | undefined
  /** When the current generation started (see `tasknet_tasks.startedAt`). */
  startedAt: number | undefined
}
export type ConditionRecord = {
  _id: GenericId<'tasknet_conditions'> | undefined
  workflowId: WorkflowId
  name: string
  marking: number
}
export type WorkItemRecord = {
  _id: WorkItemId
  workflowId: WorkflowId
  taskName: string
  taskGeneration: number
  name: string
  state: WorkItemState
}

type Kind = 'workflow' | 'task' | 'condition' | 'workItem'
type Entry<R> = { record: R; dirty: boolean; kind: Kind }

const key = (workflowId: string, name: string) => `${workflowId}/${name}`

export class Store {
  private readonly workflows = new Map<string, Entry<WorkflowRecord> | null>()
  private readonly tasks = new Map<string, Entry<TaskRecord> | null>()
  private readonly conditions = new Map<string, Entry<ConditionRecord> | null>()
  private readonly workItems = new Map<string, Entry<WorkItemRecord> | null>()
  private readonly entries = new Map<object, Entry<object>>()
  /**
   * Workflows whose task and condition documents are all loaded: one this step inserted (it has
   * none yet) or one `loadAll` read. A task or condition of theirs that is not loaded does not
   * exist, so looking it up reads nothing.
   */
  private readonly fullyLoaded = new Set<string>()

  constructor(
    private readonly db: EngineDb,
    /** Where every transition and marking change is recorded, in order, as it is made. */
    readonly journal: Journal,
  ) {}

  private track<R extends object>(map: Map<string, Entry<R> | null>, k: string, record: R | null, dirty = false) {
    const kind: Kind = map === (this.workflows as unknown) ? 'workflow' : map === (this.tasks as unknown) ? 'task' : map === (this.conditions as unknown) ? 'condition' : 'workItem'
    const entry = record ? { record, dirty, kind } : null
    map.set(k, entry)
    if (entry) this.entries.set(record!, entry as Entry<object>)
    return record
  }

  /**
   * A workflow's record, read from its latest journal event, which holds the workflow's name, state
   * and parent after the step that wrote it and its sequence: one read gives both what the step needs
   * to know about the workflow and the number its own event will take (docs/architecture.md#the-journal).
   * A workflow without events (created before the journal, or whose events retention deleted) is
   * read from its document.
   */
  async workflow(id: WorkflowId): Promise<WorkflowRecord | null> {
    if (this.workflows.has(id)) return this.workflows.get(id)?.record ?? null
    const head = await latestEvent(this.db, id)
    if (head) {
      const { name, state, parent } = head.workflow
      return this.track(this.workflows, id, { _id: id, name, state, ...(parent ? { parent } : {}), sequence: head.sequence })
    }
    const doc = await this.db.get(id)
    return this.track(this.workflows, id, doc ? { ...toWorkflow(doc), sequence: 0 } : null)
  }

  async insertWorkflow(fields: Omit<WorkflowRecord, '_id' | 'sequence'>): Promise<WorkflowRecord> {
    const _id = await this.db.insert('tasknet_workflows', fields)
    this.fullyLoaded.add(_id)
    const record = this.track(this.workflows, _id, { _id, ...fields, sequence: 0 })!
    this.journal.record(_id, { kind: 'workflow', from: null, to: fields.state })
    const { parent } = fields
    if (parent) {
      this.journal.record(parent.workflowId, { kind: 'childWorkflow', task: parent.taskName, generation: parent.taskGeneration, workflowId: _id, name: fields.name })
    }
    return record
  }

  /**
   * Reads every task and condition document of a workflow, in two index ranges, so that the lookups
   * that follow read nothing: for a step that touches many of them (a wide split), where a lookup
   * each would cost two index ranges per output. A workflow has one document per task and per
   * condition of its net, whatever its history, so this reads at most the size of the net.
   */
  async loadAll(workflowId: WorkflowId): Promise<void> {
    if (this.fullyLoaded.has(workflowId)) return
    const tasks = await this.db
      .query('tasknet_tasks')
      .withIndex('by_workflowId_and_state', (q) => q.eq('workflowId', workflowId))
      .collect()
    for (const doc of tasks) {
      const k = key(workflowId, doc.name)
      if (!this.tasks.get(k)) this.track(this.tasks, k, toTask(doc))
    }
    const conditions = await this.db
      .query('tasknet_conditions')
      .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId))
      .collect()
    for (const doc of conditions) {
      const k = key(workflowId, doc.name)
      if (!this.conditions.get(k)) this.track(this.conditions, k, { _id: doc._id, workflowId, name: doc.name, marking: doc.marking })
    }
    this.fullyLoaded.add(workflowId)
  }

  async task(workflowId: WorkflowId, name: string): Promise<TaskRecord | null> {
    const k = key(workflowId, name)
    if (this.tasks.has(k)) return this.tasks.get(k)?.record ?? null
    if (this.fullyLoaded.has(workflowId)) return this.track(this.tasks, k, null)
    const doc = await this.db
      .query('tasknet_tasks')
      .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId).eq('name', name))
      .unique()
    return this.track(this.tasks, k, doc ? toTask(doc) : null)
  }

  /** A task record for a task never enabled before; inserted at the flush. */
  newTask(workflowId: WorkflowId, name: string): TaskRecord {
    const record: TaskRecord = {
      _id: undefined,
      workflowId,
      name,
      state: 'disabled',
      generation: 0,
      stats: emptyStats(),
      lastWorkItemId: undefined,
      markedInputs: 0,
      pendingInput: undefined,
      startedAt: undefined,
    }
    return this.track(this.tasks, key(workflowId, name), record, true)!
  }

  async condition(workflowId: WorkflowId, name: string): Promise<ConditionRecord> {
    const k = key(workflowId, name)
    if (!this.conditions.has(k) && !this.fullyLoaded.has(workflowId)) {
      const doc = await this.db
        .query('tasknet_conditions')
        .withIndex('by_workflowId_and_name', (q) => q.eq('workflowId', workflowId).eq('name', name))
        .unique()
      this.track(this.conditions, k, doc ? { _id: doc._id, workflowId, name, marking: doc.marking } : null)
    }
    const entry = this.conditions.get(k)
    if (entry) return entry.record
    // Never marked before: a record is created, and inserted only if it ends the step holding tokens.
    return this.track(this.conditions, k, { _id: undefined, workflowId, name, marking: 0 }, false)!
  }

  async workItem(id: WorkItemId): Promise<WorkItemRecord | null> {
    if (this.workItems.has(id)) return this.workItems.get(id)?.record ?? null
    const doc = await this.db.get(id)
    return this.track(this.workItems, id, doc ? toWorkItem(doc) : null)
  }

  async insertWorkItem(fields: Omit<WorkItemRecord, '_id'>): Promise<WorkItemRecord> {
    const _id = await this.db.insert('tasknet_workItems', fields)
    const { workflowId, name, taskName, taskGeneration, state } = fields
    this.journal.record(workflowId, { kind: 'workItem', workItemId: _id, name, task: taskName, generation: taskGeneration, from: null, to: state })
    return this.track(this.workItems, _id, { _id, ...fields })!
  }

  /**
   * The marking of a condition this step has already loaded, without reading anything; `undefined`
   * when it has not loaded it. The end condition is empty while a workflow runs, so a step that did
   * not load it has not marked it.
   */
  loadedMarking(workflowId: WorkflowId, name: string): number | undefined {
    return this.conditions.get(key(workflowId, name))?.record.marking
  }

  /** Changes a loaded record; it is written once, at the flush. A transition or marking change is journaled as it is made. */
  update<R extends object>(record: R, patch: Partial<R>): R {
    const entry = this.entries.get(record)
    if (!entry) throw new Error('Store.update: the record was not loaded through this store.')
    const before = { ...record }
    Object.assign(record, patch)
    entry.dirty = true
    this.journalUpdate(entry.kind, before, record)
    return record
  }

  private journalUpdate(kind: Kind, before: object, after: object): void {
    switch (kind) {
      case 'workflow': {
        const [b, a] = [before as WorkflowRecord, after as WorkflowRecord]
        if (b.state !== a.state) this.journal.record(a._id, { kind: 'workflow', from: b.state, to: a.state })
        return
      }
      case 'task': {
        const [b, a] = [before as TaskRecord, after as TaskRecord]
        if (b.state !== a.state) this.journal.record(a.workflowId, { kind: 'task', task: a.name, generation: a.generation, from: b.state, to: a.state })
        // The run that ends here started at `b.startedAt`, which a later start in this step overwrites.
        if (b.state === 'started' && a.state !== 'started' && b.startedAt !== undefined) this.journal.noteRunStart(a.workflowId, a.name, a.generation, b.startedAt)
        return
      }
      case 'condition': {
        const [b, a] = [before as ConditionRecord, after as ConditionRecord]
        if (b.marking !== a.marking) this.journal.record(a.workflowId, { kind: 'marking', condition: a.name, delta: a.marking - b.marking, marking: a.marking })
        return
      }
      case 'workItem': {
        const [b, a] = [before as WorkItemRecord, after as WorkItemRecord]
        if (b.state !== a.state) {
          this.journal.record(a.workflowId, { kind: 'workItem', workItemId: a._id, name: a.name, task: a.taskName, generation: a.taskGeneration, from: b.state, to: a.state })
        }
        return
      }
    }
  }

  /** The child workflows of one composite task generation in the given states, the step's own changes included. */
  async childWorkflows(task: TaskRecord, states: readonly WorkflowState[]): Promise<WorkflowRecord[]> {
    const found: WorkflowRecord[] = []
    for (const state of states) {
      const docs = await this.db
        .query('tasknet_workflows')
        .withIndex('by_parent', (q) =>
          q.eq('parent.workflowId', task.workflowId).eq('parent.taskName', task.name).eq('parent.taskGeneration', task.generation).eq('state', state),
        )
        .collect()
      for (const doc of docs) {
        if (!this.workflows.get(doc._id)) this.track(this.workflows, doc._id, toWorkflow(doc))
        found.push(this.workflows.get(doc._id)!.record)
      }
    }
    return this.withOwnChanges(
      found,
      this.workflows,
      (w) => w.parent?.workflowId === task.workflowId && w.parent.taskName === task.name && w.parent.taskGeneration === task.generation,
      (w) => states.includes(w.state),
    )
  }

  /** The work items of one task generation in the given states, the step's own changes included. */
  async workItemsOfGeneration(task: TaskRecord, states: readonly WorkItemState[]): Promise<WorkItemRecord[]> {
    const found: WorkItemRecord[] = []
    for (const state of states) {
      const docs = await this.db
        .query('tasknet_workItems')
        .withIndex('by_workflowId_and_taskName_and_taskGeneration_and_state', (q) =>
          q.eq('workflowId', task.workflowId).eq('taskName', task.name).eq('taskGeneration', task.generation).eq('state', state),
        )
        .collect()
      found.push(...docs.map((d) => this.overlayWorkItem(d)))
    }
    return this.withOwnChanges(
      found,
      this.workItems,
      (w) => w.workflowId === task.workflowId && w.taskName === task.name && w.taskGeneration === task.generation,
      (w) => states.includes(w.state),
    )
  }

  /** The workflow's tasks in the given states, the step's own changes included. */
  async tasksInStates(workflowId: WorkflowId, states: readonly TaskState[]): Promise<TaskRecord[]> {
    const found: TaskRecord[] = []
    for (const state of states) {
      const docs = await this.db
        .query('tasknet_tasks')
        .withIndex('by_workflowId_and_state', (q) => q.eq('workflowId', workflowId).eq('state', state))
        .collect()
      for (const doc of docs) {
        const k = key(workflowId, doc.name)
        if (!this.tasks.has(k)) this.track(this.tasks, k, toTask(doc))
        found.push(this.tasks.get(k)!.record)
      }
    }
    return this.withOwnChanges(found, this.tasks, (t) => t.workflowId === workflowId, (t) => states.includes(t.state))
  }

  /**
   * The workflow's conditions that hold tokens, the step's own changes included:
   * the marking the OR-join decision starts from. Every condition read here is
   * also cached for later reads by name.
   */
  async markedConditions(workflowId: WorkflowId): Promise<ConditionRecord[]> {
    const docs = await this.db
      .query('tasknet_conditions')
      .withIndex('by_workflowId_and_marking', (q) => q.eq('workflowId', workflowId).gt('marking', 0))
      .collect()
    const found: ConditionRecord[] = []
    for (const doc of docs) {
      const k = key(workflowId, doc.name)
      if (!this.conditions.get(k)) this.track(this.conditions, k, { _id: doc._id, workflowId, name: doc.name, marking: doc.marking })
      found.push(this.conditions.get(k)!.record)
    }
    return this.withOwnChanges(found, this.conditions, (c) => c.workflowId === workflowId, (c) => c.marking > 0)
  }

  private overlayWorkItem(doc: Doc<'tasknet_workItems'>): WorkItemRecord {
    const id = doc._id
    if (!this.workItems.has(id)) this.track(this.workItems, id, toWorkItem(doc))
    return this.workItems.get(id)!.record
  }

  /** Filters by current (in-memory) state and adds records of the scope changed in this step. */
  private withOwnChanges<R extends object>(
    found: R[],
    map: Map<string, Entry<R> | null>,
    inScope: (r: R) => boolean,
    matches: (r: R) => boolean,
  ): R[] {
    const result = new Set(found.filter(matches))
    for (const entry of map.values()) {
      if (entry?.dirty && inScope(entry.record) && matches(entry.record)) result.add(entry.record)
    }
    return [...result]
  }

  /** Writes every changed record once. */
  async flush(): Promise<void> {
    for (const entry of this.workflows.values()) {
      if (entry?.dirty) await this.db.patch(entry.record._id, { state: entry.record.state })
    }
    for (const entry of this.tasks.values()) {
      if (!entry?.dirty) continue
      const { _id, ...fields } = entry.record
      if (_id) {
        const { state, generation, stats, lastWorkItemId, markedInputs, pendingInput, startedAt } = fields
        await this.db.patch(_id, { state, generation, stats, lastWorkItemId, markedInputs, pendingInput, startedAt })
      } else entry.record._id = await this.db.insert('tasknet_tasks', fields)
      entry.dirty = false
    }
    for (const entry of this.conditions.values()) {
      if (!entry?.dirty) continue
      const { _id, ...fields } = entry.record
      if (_id) await this.db.patch(_id, { marking: fields.marking })
      else if (fields.marking > 0) entry.record._id = await this.db.insert('tasknet_conditions', fields)
      entry.dirty = false
    }
    for (const entry of this.workItems.values()) {
      if (entry?.dirty) await this.db.patch(entry.record._id, { state: entry.record.state })
    }
    await this.writeJournal()
  }

  /**
   * One event per workflow the step changed, numbered after the workflow's latest. A workflow whose
   * record came from its document (a child reached through `by_parent`) reads its latest event first.
   */
  private async writeJournal(): Promise<void> {
    for (const workflowId of this.journal.workflowsChanged()) {
      const workflow = (await this.workflow(workflowId))!
      const previous = workflow.sequence ?? (await latestEvent(this.db, workflowId))?.sequence ?? 0
      const sequence = previous + 1
      await this.journal.write(this.db, workflow, sequence)
      workflow.sequence = sequence
    }
  }
}

/** The newest journal event of a workflow: one index range, one document. */
async function latestEvent(db: EngineDb, workflowId: WorkflowId) {
  return db
    .query('tasknet_events')
    .withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', workflowId))
    .order('desc')
    .first()
}

function toWorkflow(doc: DocumentByName<EngineDataModel, 'tasknet_workflows'> & { _id: WorkflowId }): WorkflowRecord {
  return { _id: doc._id, name: doc.name, state: doc.state, ...(doc.parent ? { parent: doc.parent } : {}) }
}

export function emptyStats(): TaskStatsDoc {
  return { initialized: 0, started: 0, completed: 0, failed: 0, canceled: 0, total: 0 }
}

function toTask({ _id, workflowId, name, state, generation, stats, lastWorkItemId, markedInputs, pendingInput, startedAt }: Doc<'tasknet_tasks'>): TaskRecord {
  return { _id, workflowId, name, state, generation, stats, lastWorkItemId, markedInputs, pendingInput, startedAt }
}

function toWorkItem({ _id, workflowId, taskName, taskGeneration, name, state }: Doc<'tasknet_workItems'>): WorkItemRecord {
  return { _id, workflowId, taskName, taskGeneration, name, state }
}
