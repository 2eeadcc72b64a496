import { createMachine, transition } from 'xstate'
import { tasknetError } from '../errors'

/**
 * The lifecycles of docs/semantics.md#lifecycles as XState machines. They are used only
 * through XState's pure `transition()`: the runtime keeps the state in the
 * database and asks the machine whether an event is legal and where it leads.
 */

export const workflowLifecycle = createMachine({
  id: 'workflow',
  initial: 'initialized',
  states: {
    initialized: { on: { start: 'started', cancel: 'canceled' } },
    started: { on: { complete: 'completed', fail: 'failed', cancel: 'canceled' } },
    completed: { type: 'final' },
    failed: { type: 'final' },
    canceled: { type: 'final' },
  },
})

export const taskLifecycle = createMachine({
  id: 'task',
  initial: 'disabled',
  states: {
    disabled: { on: { enable: 'enabled' } },
    enabled: { on: { disable: 'disabled', start: 'started', cancel: 'canceled' } },
    started: { on: { complete: 'completed', fail: 'failed', cancel: 'canceled' } },
    // A finished task can be enabled again: that begins a new generation.
    completed: { on: { enable: 'enabled' } },
    failed: { on: { enable: 'enabled' } },
    canceled: { on: { enable: 'enabled' } },
  },
})

export const workItemLifecycle = createMachine({
  id: 'workItem',
  initial: 'initialized',
  states: {
    initialized: { on: { start: 'started', cancel: 'canceled' } },
    started: { on: { complete: 'completed', fail: 'failed', cancel: 'canceled', reset: 'initialized' } },
    completed: { type: 'final' },
    failed: { type: 'final' },
    canceled: { type: 'final' },
  },
})

export type WorkflowState = 'initialized' | 'started' | 'completed' | 'failed' | 'canceled'
export type WorkflowEvent = 'start' | 'complete' | 'fail' | 'cancel'
export type TaskState = 'disabled' | 'enabled' | 'started' | 'completed' | 'failed' | 'canceled'
export type TaskEvent = 'enable' | 'disable' | 'start' | 'complete' | 'fail' | 'cancel'
export type WorkItemState = 'initialized' | 'started' | 'completed' | 'failed' | 'canceled'
export type WorkItemEvent = 'start' | 'complete' | 'fail' | 'cancel' | 'reset'

export const workItemStates = ['initialized', 'started', 'completed', 'failed', 'canceled'] as const
export const finalWorkItemStates: readonly WorkItemState[] = ['completed', 'failed', 'canceled']
export const activeTaskStates: readonly TaskState[] = ['enabled', 'started']

type Lifecycle = typeof workflowLifecycle | typeof taskLifecycle | typeof workItemLifecycle

function next(machine: Lifecycle, state: string, event: string): string | undefined {
  const snapshot = machine.resolveState({ value: state, context: {} })
  if (!snapshot.can({ type: event })) return undefined
  const [nextSnapshot] = transition(machine, snapshot, { type: event })
  return String(nextSnapshot.value)
}

/** The element a transition is asked of, for the error message. */
export type ElementRef = { kind: 'workflow' | 'task' | 'work item'; name: string; id: string }

function refuse(element: ElementRef, state: string, event: string): never {
  throw tasknetError(
    'INVALID_TRANSITION',
    `Cannot ${event} ${element.kind} '${element.name}' (${element.id}): it is '${state}', and '${event}' is not a legal transition from '${state}'.`,
    { element: element.kind, elementName: element.name, elementId: element.id, state, transition: event },
  )
}

export function nextWorkflowState(element: ElementRef, state: WorkflowState, event: WorkflowEvent): WorkflowState {
  return (next(workflowLifecycle, state, event) as WorkflowState | undefined) ?? refuse(element, state, event)
}

export function nextTaskState(element: ElementRef, state: TaskState, event: TaskEvent): TaskState {
  return (next(taskLifecycle, state, event) as TaskState | undefined) ?? refuse(element, state, event)
}

export function nextWorkItemState(element: ElementRef, state: WorkItemState, event: WorkItemEvent): WorkItemState {
  return (next(workItemLifecycle, state, event) as WorkItemState | undefined) ?? refuse(element, state, event)
}
