import { tasknetError } from '../errors'

/**
 * The lifecycles of docs/semantics.md#lifecycles as transition tables, written in the shape of a
 * state-machine config (`initial`, and per state the events it accepts and where each leads). The
 * runtime keeps the state in the database and asks the table whether an event is legal and where
 * it leads. They were XState machines used only through XState's pure `transition()`; a table
 * answers the same question without the 40 KB (minified) XState added to every Convex module that
 * imports tasknet (`npm run size`).
 */
type Lifecycle<S extends string, E extends string> = {
  readonly id: string
  readonly initial: S
  readonly states: { readonly [K in S]: { readonly on: { readonly [V in E]?: S } } }
}

export const workflowLifecycle: Lifecycle<WorkflowState, WorkflowEvent> = {
  id: 'workflow',
  initial: 'initialized',
  states: {
    initialized: { on: { start: 'started', cancel: 'canceled' } },
    started: { on: { complete: 'completed', fail: 'failed', cancel: 'canceled' } },
    completed: { on: {} },
    failed: { on: {} },
    canceled: { on: {} },
  },
}

export const taskLifecycle: Lifecycle<TaskState, TaskEvent> = {
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
}

export const workItemLifecycle: Lifecycle<WorkItemState, WorkItemEvent> = {
  id: 'workItem',
  initial: 'initialized',
  states: {
    initialized: { on: { start: 'started', cancel: 'canceled' } },
    started: { on: { complete: 'completed', fail: 'failed', cancel: 'canceled', reset: 'initialized' } },
    completed: { on: {} },
    failed: { on: {} },
    canceled: { on: {} },
  },
}

export type WorkflowState = 'initialized' | 'started' | 'completed' | 'failed' | 'canceled'
export type WorkflowEvent = 'start' | 'complete' | 'fail' | 'cancel'
export type TaskState = 'disabled' | 'enabled' | 'started' | 'completed' | 'failed' | 'canceled'
export type TaskEvent = 'enable' | 'disable' | 'start' | 'complete' | 'fail' | 'cancel'
export type WorkItemState = 'initialized' | 'started' | 'completed' | 'failed' | 'canceled'
export type WorkItemEvent = 'start' | 'complete' | 'fail' | 'cancel' | 'reset'

export const workItemStates = ['initialized', 'started', 'completed', 'failed', 'canceled'] as const
export const finalWorkItemStates: readonly WorkItemState[] = ['completed', 'failed', 'canceled']
export const activeTaskStates: readonly TaskState[] = ['enabled', 'started']

function next<S extends string, E extends string>(machine: Lifecycle<S, E>, state: S, event: E): S | undefined {
  // `Object.hasOwn`: a state or event named like an Object.prototype member is not a transition.
  const node = Object.hasOwn(machine.states, state) ? machine.states[state] : undefined
  return node && Object.hasOwn(node.on, event) ? node.on[event] : undefined
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
  return next(workflowLifecycle, state, event) ?? refuse(element, state, event)
}

export function nextTaskState(element: ElementRef, state: TaskState, event: TaskEvent): TaskState {
  return next(taskLifecycle, state, event) ?? refuse(element, state, event)
}

export function nextWorkItemState(element: ElementRef, state: WorkItemState, event: WorkItemEvent): WorkItemState {
  return next(workItemLifecycle, state, event) ?? refuse(element, state, event)
}
