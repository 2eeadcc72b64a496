import type { WorkflowId } from './store'

/**
 * The tasks of each workflow whose enabling a step may have changed, waiting to be settled
 * (`settle.ts`). The enabling invariant (docs/semantics.md#enabling) can only break where something
 * changed, so a step re-decides only these, never the whole net:
 * - the tasks after a condition that gained its first token or lost its last (`inputs`);
 * - a task that left `enabled` or `started` (`left`): tokens still in its inputs enable it again;
 * - in a net with OR-joins, every OR-join after any change of the marking or of the started tasks
 *   (`elsewhere`): a branch routed away anywhere can be what one of them waited for.
 */
export type Reason = 'inputs' | 'left' | 'elsewhere'

export class Agenda {
  private readonly pending = new Map<WorkflowId, Map<string, Reason>>()
  private readonly changed = new Set<WorkflowId>()
  private readonly settling = new Set<WorkflowId>()

  /** `task` of `workflowId` must be settled; a stronger reason than `elsewhere` is kept. */
  add(workflowId: WorkflowId, task: string, reason: Reason): void {
    let tasks = this.pending.get(workflowId)
    if (!tasks) this.pending.set(workflowId, (tasks = new Map()))
    if (reason !== 'elsewhere' || !tasks.has(task)) tasks.set(task, reason)
  }

  /** Something in the workflow changed: its OR-joins are decided again before the step ends. */
  noteChange(workflowId: WorkflowId): void {
    this.changed.add(workflowId)
  }

  /** Whether a change was noted since the last call, clearing it. */
  takeChange(workflowId: WorkflowId): boolean {
    return this.changed.delete(workflowId)
  }

  pendingOf(workflowId: WorkflowId): ReadonlyMap<string, Reason> {
    return this.pending.get(workflowId) ?? new Map()
  }

  remove(workflowId: WorkflowId, task: string): void {
    this.pending.get(workflowId)?.delete(task)
  }

  /**
   * Runs `settle` unless the workflow is being settled already: a change made while settling (a
   * child workflow that ends inside an activity and completes its composite task) only joins the
   * agenda, and the settling in progress picks it up.
   */
  async settleOnce(workflowId: WorkflowId, settle: () => Promise<void>): Promise<void> {
    if (this.settling.has(workflowId)) return
    this.settling.add(workflowId)
    try {
      await settle()
    } finally {
      this.settling.delete(workflowId)
    }
  }
}
