import type { GenericDataModel, GenericMutationCtx } from 'convex/server'
import type { WorkflowDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import type { WorkItemActionName } from '../builder/contexts'
import type { WorkItemState } from '../net/lifecycle'
import { Store, type WorkflowRecord, type WorkItemId } from './store'
import { engineDb } from './dataModel'

export type EngineCtx = GenericMutationCtx<GenericDataModel>

/** A wish recorded by an auto-trigger, performed after the activity that made it returns. */
export type Trigger = {
  workItemId: WorkItemId
  action: Extract<WorkItemActionName, 'start' | 'complete' | 'fail' | 'cancel'>
  payload: unknown
  /** The work item's state when the wish was made. */
  recordedState: WorkItemState
}

/**
 * One engine step: one Convex mutation. It owns the unit of work and the
 * queue of auto-triggers; everything it does commits together or not at all.
 */
export class Step {
  readonly store: Store
  readonly triggers: Trigger[] = []

  constructor(
    readonly ctx: EngineCtx,
    readonly root: WorkflowDefinition,
  ) {
    this.store = new Store(engineDb(ctx))
  }

  /** The definition a workflow instance runs (the root's; child workflows arrive with composite tasks). */
  definitionOf(workflow: WorkflowRecord): WorkflowDefinition {
    if (workflow.name !== this.root.name) {
      throw tasknetError(
        'NOT_FOUND',
        `Workflow ${workflow._id} is a '${workflow.name}' workflow; these functions drive '${this.root.name}' workflows.`,
        { workflowId: workflow._id, workflowName: workflow.name, expected: this.root.name },
      )
    }
    return this.root
  }

  async loadWorkflow(id: WorkflowRecord['_id']): Promise<WorkflowRecord> {
    const workflow = await this.store.workflow(id)
    if (!workflow) throw tasknetError('NOT_FOUND', `No workflow with id ${id}.`, { workflowId: id })
    this.definitionOf(workflow)
    return workflow
  }
}

/** Runs `operation` as one step: then performs queued auto-triggers and writes the unit of work. */
export async function runStep<T>(
  ctx: EngineCtx,
  root: WorkflowDefinition,
  operation: (step: Step) => Promise<T>,
  performTrigger: (step: Step, trigger: Trigger) => Promise<void>,
): Promise<T> {
  const step = new Step(ctx, root)
  const result = await operation(step)
  // Triggers may queue more triggers (a started work item completing itself): drain in order.
  for (let trigger = step.triggers.shift(); trigger; trigger = step.triggers.shift()) {
    await performTrigger(step, trigger)
  }
  await step.store.flush()
  return result
}
