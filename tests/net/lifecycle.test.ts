import { describe, expect, it } from 'vitest'
import {
  nextTaskState,
  nextWorkflowState,
  nextWorkItemState,
  taskLifecycle,
  type ElementRef,
  type TaskEvent,
  type TaskState,
  type WorkflowEvent,
  type WorkflowState,
  type WorkItemEvent,
  type WorkItemState,
} from '../../src/net/lifecycle'
import { convexErrorData } from './nets'

/** The only legal transitions, copied from docs/semantics.md#lifecycles as `[from, event, to]`. */
const workflowTransitions: Array<[WorkflowState, WorkflowEvent, WorkflowState]> = [
  ['initialized', 'start', 'started'],
  ['initialized', 'cancel', 'canceled'],
  ['started', 'complete', 'completed'],
  ['started', 'fail', 'failed'],
  ['started', 'cancel', 'canceled'],
]
const taskTransitions: Array<[TaskState, TaskEvent, TaskState]> = [
  ['disabled', 'enable', 'enabled'],
  ['enabled', 'disable', 'disabled'],
  ['enabled', 'start', 'started'],
  ['enabled', 'cancel', 'canceled'],
  ['started', 'complete', 'completed'],
  ['started', 'fail', 'failed'],
  ['started', 'cancel', 'canceled'],
  ['completed', 'enable', 'enabled'],
  ['failed', 'enable', 'enabled'],
  ['canceled', 'enable', 'enabled'],
]
const workItemTransitions: Array<[WorkItemState, WorkItemEvent, WorkItemState]> = [
  ['initialized', 'start', 'started'],
  ['initialized', 'cancel', 'canceled'],
  ['started', 'complete', 'completed'],
  ['started', 'fail', 'failed'],
  ['started', 'cancel', 'canceled'],
  ['started', 'reset', 'initialized'],
]

const workflowStates: WorkflowState[] = ['initialized', 'started', 'completed', 'failed', 'canceled']
const workflowEvents: WorkflowEvent[] = ['start', 'complete', 'fail', 'cancel']
const taskStates: TaskState[] = ['disabled', 'enabled', 'started', 'completed', 'failed', 'canceled']
const taskEvents: TaskEvent[] = ['enable', 'disable', 'start', 'complete', 'fail', 'cancel']
const workItemStates: WorkItemState[] = ['initialized', 'started', 'completed', 'failed', 'canceled']
const workItemEvents: WorkItemEvent[] = ['start', 'complete', 'fail', 'cancel', 'reset']

/** Every (state, event) pair that the table above does not list. */
function illegal<S extends string, E extends string>(states: S[], events: E[], legal: Array<[S, E, S]>): Array<[S, E]> {
  return states.flatMap((s) => events.filter((e) => !legal.some(([f, ev]) => f === s && ev === e)).map((e): [S, E] => [s, e]))
}

const workflowRef: ElementRef = { kind: 'workflow', name: 'orders', id: 'wf_123' }
const taskRef: ElementRef = { kind: 'task', name: 'approve', id: 'task_456' }
const workItemRef: ElementRef = { kind: 'work item', name: 'approveItem', id: 'wi_789' }

function expectRefusal(ref: ElementRef, state: string, event: string, call: () => unknown) {
  const data = convexErrorData(call)
  expect(data).toMatchObject({
    code: 'INVALID_TRANSITION',
    element: ref.kind,
    elementName: ref.name,
    elementId: ref.id,
    state,
    transition: event,
  })
  for (const part of [ref.kind, `'${ref.name}'`, ref.id, `'${state}'`, `'${event}'`]) expect(data.message).toContain(part)
}

describe('lifecycles (docs/semantics.md#lifecycles)', () => {
  describe('workflow', () => {
    it.each(workflowTransitions)('%s --%s--> %s', (from, event, to) => {
      expect(nextWorkflowState(workflowRef, from, event)).toBe(to)
    })
    it.each(illegal(workflowStates, workflowEvents, workflowTransitions))('refuses %s --%s-->', (from, event) => {
      expectRefusal(workflowRef, from, event, () => nextWorkflowState(workflowRef, from, event))
    })
  })

  describe('task', () => {
    it.each(taskTransitions)('%s --%s--> %s', (from, event, to) => {
      expect(nextTaskState(taskRef, from, event)).toBe(to)
    })
    it.each(illegal(taskStates, taskEvents, taskTransitions))('refuses %s --%s-->', (from, event) => {
      expectRefusal(taskRef, from, event, () => nextTaskState(taskRef, from, event))
    })
    it('a task that has never been enabled is disabled', () => {
      expect(taskLifecycle.initial).toBe('disabled')
    })
  })

  describe('work item', () => {
    it.each(workItemTransitions)('%s --%s--> %s', (from, event, to) => {
      expect(nextWorkItemState(workItemRef, from, event)).toBe(to)
    })
    it.each(illegal(workItemStates, workItemEvents, workItemTransitions))('refuses %s --%s-->', (from, event) => {
      expectRefusal(workItemRef, from, event, () => nextWorkItemState(workItemRef, from, event))
    })
  })

  it('the tables cover every state and event (the illegal lists are not vacuous)', () => {
    expect(illegal(workflowStates, workflowEvents, workflowTransitions)).toHaveLength(5 * 4 - 5)
    expect(illegal(taskStates, taskEvents, taskTransitions)).toHaveLength(6 * 6 - 10)
    expect(illegal(workItemStates, workItemEvents, workItemTransitions)).toHaveLength(5 * 5 - 6)
  })
})
