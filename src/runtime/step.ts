import type { GenericDataModel, GenericMutationCtx } from 'convex/server'
import type { WorkflowDefinition } from '../builder/definition'
import { tasknetError } from '../errors'
import type { WorkItemActionName } from '../builder/contexts'
import type { WorkItemState } from '../net/lifecycle'
import { Store, type WorkflowId, type WorkflowRecord, type WorkItemId } from './store'
import { engineDb } from './dataModel'
import { Agenda } from './agenda'
import { requireIdOf } from './lookup'
import { Journal, type StepInfo, type WrittenEvent } from './journal'
import type { ServiceWorkItems } from './services/define'

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
  /** The tasks whose enabling this step may have changed, settled before the step ends. */
  readonly agenda = new Agenda()
  /** The first error thrown by an engine function handed to app code (see `guard`). */
  private failure: { error: unknown } | undefined

  constructor(
    readonly ctx: EngineCtx,
    readonly root: WorkflowDefinition,
    info: StepInfo,
    /** `workflowApi`'s `self`: where the workflow's generated functions are exported (src/runtime/self.ts). */
    readonly self?: () => unknown,
    /** `workflowApi`'s `services`: the work pool of its service work items (src/runtime/services/). */
    readonly services?: ServiceWorkItems,
  ) {
    this.store = new Store(engineDb(ctx), new Journal(info))
  }

  get journal(): Journal {
    return this.store.journal
  }

  /** The definition a workflow instance runs: the root's, or a child's of one of its composite tasks. */
  definitionOf(workflow: WorkflowRecord): WorkflowDefinition {
    const definition = definitionsOf(this.root).get(workflow.name)
    if (!definition) {
      throw tasknetError(
        'NOT_FOUND',
        `Workflow ${workflow._id} is a '${workflow.name}' workflow; these functions drive '${this.root.name}' workflows and their children.`,
        { workflowId: workflow._id, workflowName: workflow.name, expected: this.root.name },
      )
    }
    return definition
  }

  async loadWorkflow(id: WorkflowRecord['_id']): Promise<WorkflowRecord> {
    const workflow = await this.store.workflow(requireIdOf(this.ctx.db, 'tasknet_workflows', id))
    if (!workflow) throw tasknetError('NOT_FOUND', `No workflow with id ${id}.`, { workflowId: id })
    this.definitionOf(workflow)
    return workflow
  }

  /**
   * Wraps an engine function handed to app code (`workItem.complete()`, `workflow.initialize()`,
   * `registerScheduled`, ...): the first error it throws is recorded, so the step fails with it even
   * when the callback catches it. A half-applied transition never commits.
   */
  guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    const record = (error: unknown) => {
      this.failure ??= { error }
      return error
    }
    return (...args) => {
      try {
        const result = fn(...args)
        return (result instanceof Promise ? result.catch((error) => Promise.reject(record(error))) : result) as R
      } catch (error) {
        throw record(error)
      }
    }
  }

  /** Rethrows the error recorded by `guard`, if any: the step fails whatever the app did with it. */
  rethrowFailure(): void {
    if (this.failure) throw this.failure.error
  }
}

const registries = new WeakMap<WorkflowDefinition, ReadonlyMap<string, WorkflowDefinition>>()

/**
 * Every definition of a root's hierarchy by workflow name: the root and, through its composite
 * tasks, each child definition (names are unique in a hierarchy; `build()` checks it).
 */
export function definitionsOf(root: WorkflowDefinition): ReadonlyMap<string, WorkflowDefinition> {
  let found = registries.get(root)
  if (!found) {
    const all = new Map<string, WorkflowDefinition>()
    const visit = (definition: WorkflowDefinition) => {
      // A workflow that is its own descendant (recursion) is visited once.
      if (all.has(definition.name)) return
      all.set(definition.name, definition)
      for (const task of Object.values(definition.tasks)) for (const child of Object.values(task.childWorkflows ?? {})) visit(child)
    }
    visit(root)
    registries.set(root, (found = all))
  }
  return found
}

/**
 * Told of every step that wrote journal events, in the step's own transaction, after its flush:
 * log lines, the outbox and metrics (src/runtime/observers/). What an observer writes commits with
 * the step; what it throws fails the step, so observers never throw for a subscriber's sake.
 */
export type StepObserver = (ctx: EngineCtx, step: ObservedStep) => Promise<void> | void

/** What an observer is told of a step. */
export type ObservedStep = {
  info: StepInfo
  events: readonly WrittenEvent[]
  durationMs: number
  /**
   * When a task run that this step ended (a `task` change from `started`) had started, or `undefined`
   * when it started before the engine recorded start times.
   */
  runStartedAt(workflowId: WorkflowId, task: string, generation: number): number | undefined
}

/** Runs `operation` as one step: then performs queued auto-triggers and writes the unit of work. */
export async function runStep<T>(
  ctx: EngineCtx,
  root: WorkflowDefinition,
  info: StepInfo,
  operation: (step: Step) => Promise<T>,
  performTrigger: (step: Step, trigger: Trigger) => Promise<void>,
  observers: readonly StepObserver[] = [],
  self?: () => unknown,
  services?: ServiceWorkItems,
): Promise<T> {
  const started = Date.now()
  const step = new Step(ctx, root, info, self, services)
  const result = await operation(step)
  step.rethrowFailure()
  // Triggers may queue more triggers (a started work item completing itself): drain in order.
  for (let trigger = step.triggers.shift(); trigger; trigger = step.triggers.shift()) {
    await performTrigger(step, trigger)
    step.rethrowFailure()
  }
  await step.store.flush()
  const events = step.journal.written
  if (events.length > 0) {
    const durationMs = Date.now() - started
    const journal = step.journal
    const observed: ObservedStep = { info, events, durationMs, runStartedAt: (...run) => journal.runStartedAt(...run) }
    for (const observe of observers) await observe(ctx, observed)
  }
  return result
}
