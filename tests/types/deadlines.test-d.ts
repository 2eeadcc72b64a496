import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { Builder, type TaskState, type WorkItemId, type WorkflowState, type WorkItemState } from '../../src'

/** What `.deadline(...)` and `Builder.timerTask` accept and refuse (docs/api.md#deadlines-and-timers). */

const review = Builder.workItem('review').withActions(
  Builder.workItemActions().initialize(z.object({ assignee: z.string() }), async ({ workItem }) => {
    await workItem.initialize()
  }),
)

describe('work item deadlines', () => {
  it('a computed time sees the initialize payload; the expiry callback can finish the work item and offer another', () => {
    review.deadline({
      after: ({ payload }) => {
        expectTypeOf(payload).toEqualTypeOf<{ assignee: string }>()
        return payload.assignee === 'manager' ? undefined : 1_000
      },
      onExpiry: async ({ workItem, task }) => {
        expectTypeOf(workItem.id).toEqualTypeOf<WorkItemId>()
        expectTypeOf(workItem.state).toEqualTypeOf<WorkItemState>()
        expectTypeOf(task.initializeWorkItem).parameters.toEqualTypeOf<[payload: { assignee: string }]>()
        await task.initializeWorkItem({ assignee: 'manager' })
        await workItem.cancel()
      },
    })
  })

  it('takes exactly one of after and at, and only the work item expiry actions', () => {
    review.deadline({ at: async () => Date.now() + 5, onExpiry: 'complete' })
    // @ts-expect-error 'after' and 'at' exclude each other
    review.deadline({ after: 5, at: () => 5, onExpiry: 'fail' })
    // @ts-expect-error onExpiry is 'fail', 'cancel', 'complete' or a callback
    review.deadline({ after: 5, onExpiry: 'escalate' })
    // @ts-expect-error the escalation payload is checked by the initialize schema
    review.deadline({ after: 5, onExpiry: ({ task }) => task.initializeWorkItem({ who: 'manager' }) })
  })
})

describe('task deadlines', () => {
  it("complete or fail; the callback can end the task or offer a work item typed by the task's work item", () => {
    Builder.task(review).deadline({ after: 5, onExpiry: 'complete' })
    Builder.task(review).deadline({
      at: ({ task }) => (task.generation > 1 ? Date.now() : undefined),
      onExpiry: async ({ task, workItem }) => {
        expectTypeOf(task.state).toEqualTypeOf<TaskState>()
        await workItem.initialize({ assignee: 'manager' })
      },
    })
    // @ts-expect-error canceling a task alone would strand its tokens: not an expiry action of a task
    Builder.task(review).deadline({ after: 5, onExpiry: 'cancel' })
  })
})

describe('composite task deadlines', () => {
  it("the callback gets the child initializer instead of a work item's", () => {
    const child = Builder.workflow('child')
    Builder.compositeTask(child).deadline({
      after: 5,
      onExpiry: async ({ task, workflow }) => {
        await workflow.initialize()
        await task.fail()
      },
    })
    // @ts-expect-error a composite task has no work items to offer
    Builder.compositeTask(child).deadline({ after: 5, onExpiry: ({ workItem }) => workItem.initialize() })
  })
})

describe('workflow deadlines', () => {
  const quote = Builder.workflow('quote').withActions(
    Builder.workflowActions().initialize(z.object({ validDays: z.number() }), async ({ workflow }) => {
      await workflow.initialize()
    }),
  )

  it('a computed time sees the initialize payload; the callback sees the workflow and can cancel it', () => {
    quote.deadline({
      after: ({ payload }) => payload.validDays * 86_400_000,
      onExpiry: async ({ workflow }) => {
        expectTypeOf(workflow.state).toEqualTypeOf<WorkflowState>()
        await workflow.cancel()
      },
    })
  })

  it("'cancel' is a workflow's only expiry action", () => {
    quote.deadline({ after: 5, onExpiry: 'cancel' })
    // @ts-expect-error a workflow fails only through a task's failure
    quote.deadline({ after: 5, onExpiry: 'fail' })
    // @ts-expect-error a workflow completes only when its end condition is marked
    quote.deadline({ after: 5, onExpiry: 'complete' })
  })
})

describe('elements without deadlines', () => {
  it('a dummy task, which completes as soon as it is enabled, takes no deadline', () => {
    // @ts-expect-error a dummy task has no work to time
    Builder.dummyTask().deadline
  })
})

describe('Builder.timerTask', () => {
  it("is an atomic task with a 'timer' work item, after a delay or at an instant, but no onExpiry of its own", () => {
    expectTypeOf(Builder.timerTask({ after: 1_000 }).workItemType.name).toEqualTypeOf<'timer'>()
    Builder.timerTask({ at: ({ parent }) => (parent.workflow.name === 'x' ? 0 : undefined) })
    // @ts-expect-error a timer completes: its expiry action is fixed
    Builder.timerTask({ after: 1_000, onExpiry: 'fail' })
  })
})
