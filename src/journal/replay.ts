import type { NetDefinition } from '../net/definition'
import type { TaskState, WorkflowState, WorkItemState } from '../net/lifecycle'
import type { JournalChange } from './changes'

/**
 * A workflow's state as the live reads show it (`getWorkflow`'s state, `getWorkflowTaskStates`,
 * `getMarking`, `getWorkItems`), rebuilt from its journal. Pure: the same events give the same
 * snapshot, on the server (`getWorkflowAt`) or in a page that has the events (the demo's step slider).
 */
export type WorkflowSnapshot = {
  workflow: { state: WorkflowState }
  /** Every task of the net; one never enabled is `'disabled'`. */
  tasks: Record<string, TaskState>
  /** Every condition of the net, explicit and implicit; 0 when empty. */
  marking: Record<string, number>
  /** In creation order, as `getWorkItems` returns them. */
  workItems: Array<{ _id: string; name: string; taskName: string; generation: number; state: WorkItemState }>
}

/** The state before the workflow's first event: nothing marked, nothing enabled. */
export function initialSnapshot(net: NetDefinition): WorkflowSnapshot {
  return {
    workflow: { state: 'initialized' },
    tasks: Object.fromEntries(Object.keys(net.tasks).map((t) => [t, 'disabled' as TaskState])),
    marking: Object.fromEntries(Object.keys(net.conditions).map((c) => [c, 0])),
    workItems: [],
  }
}

/** The snapshot after `changes`, without touching `snapshot`. */
export function applyChanges(snapshot: WorkflowSnapshot, changes: readonly JournalChange[]): WorkflowSnapshot {
  const next: WorkflowSnapshot = {
    workflow: { ...snapshot.workflow },
    tasks: { ...snapshot.tasks },
    marking: { ...snapshot.marking },
    workItems: snapshot.workItems.map((w) => ({ ...w })),
  }
  const index = new Map(next.workItems.map((w, i) => [w._id, i]))
  for (const change of changes) {
    switch (change.kind) {
      case 'workflow':
        next.workflow.state = change.to
        break
      case 'task':
        next.tasks[change.task] = change.to
        break
      case 'marking':
        next.marking[change.condition] = change.marking
        break
      case 'workItem': {
        const at = index.get(change.workItemId)
        if (at === undefined) {
          index.set(change.workItemId, next.workItems.length)
          next.workItems.push({ _id: change.workItemId, name: change.name, taskName: change.task, generation: change.generation, state: change.to })
        } else next.workItems[at]!.state = change.to
        break
      }
      // Decisions and jobs explain the transitions; they change no state of their own.
      case 'route':
      case 'policy':
      case 'jobRegistered':
      case 'jobForgotten':
      case 'childWorkflow':
      case 'service':
        break
    }
  }
  return next
}

/** The snapshot after every event of `events`, in order (each one's `changes`). */
export function replay(net: NetDefinition, events: Iterable<{ changes: readonly JournalChange[] }>): WorkflowSnapshot {
  let snapshot = initialSnapshot(net)
  for (const event of events) snapshot = applyChanges(snapshot, event.changes)
  return snapshot
}

/** Every snapshot of a run: `[i]` is the state right after `events[i]`. Linear in the changes, for a step slider. */
export function snapshots(net: NetDefinition, events: ReadonlyArray<{ changes: readonly JournalChange[] }>): WorkflowSnapshot[] {
  const all: WorkflowSnapshot[] = []
  let snapshot = initialSnapshot(net)
  for (const event of events) all.push((snapshot = applyChanges(snapshot, event.changes)))
  return all
}
