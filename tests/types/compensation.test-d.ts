import { defineTable, type FunctionArgs, type GenericMutationCtx } from 'convex/server'
import { v, type Infer } from 'convex/values'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { Builder, vWorkflowId, type PolicyResult, type TaskStats, type WorkflowId, type WorkItemId, type WorkItemState } from '../../src'

/**
 * Compatibility, the static half: the types of the API shapes that
 * docs/compensation.md teaches (tests/compat/compensation.test.ts runs them).
 * Each `it` fails to typecheck when the shape it names changes: a context
 * loses a field or gets a looser type, a payload is no longer inferred from
 * its schema, a route accepts a target that is not connected.
 */

describe('domain tables refer to the engine', () => {
  it('vWorkflowId validates the engine table\'s ids, in a table with an index on it', () => {
    const bookings = defineTable({ customer: v.string(), workflowId: vWorkflowId }).index('by_workflow', ['workflowId'])
    expectTypeOf<Infer<typeof vWorkflowId>>().toEqualTypeOf<Id<'tasknet_workflows'>>()
    expectTypeOf<WorkflowId>().toEqualTypeOf<Id<'tasknet_workflows'>>()
    expectTypeOf<WorkItemId>().toEqualTypeOf<Id<'tasknet_workItems'>>()
    expectTypeOf(bookings.validator.fields.workflowId).toEqualTypeOf(vWorkflowId)
  })
})

describe('work item actions', () => {
  it('a custom initialize gets its payload typed by the schema, and workItem.initialize() returns the new id', () => {
    Builder.workItem('hold').withActions(
      Builder.workItemActions()
        .initialize(z.object({ item: z.string(), units: z.number() }), async ({ mutationCtx, workItem, parent, registerScheduled }, payload) => {
          expectTypeOf(payload).toEqualTypeOf<{ item: string; units: number }>()
          expectTypeOf(await workItem.initialize()).toEqualTypeOf<WorkItemId>()
          expectTypeOf(parent.workflow.id).toEqualTypeOf<WorkflowId>()
          expectTypeOf(mutationCtx).toExtend<GenericMutationCtx<any>>()
          // registerScheduled takes what the scheduler returns and gives it back.
          const jobId = await registerScheduled(mutationCtx.scheduler.runAfter(0, internal.activityLog.append, { entry: 'x' }))
          expectTypeOf(jobId).toEqualTypeOf<Id<'_scheduled_functions'>>()
        })
        .complete(z.object({ receipt: z.string() }), async ({ workItem }, payload) => {
          expectTypeOf(payload).toEqualTypeOf<{ receipt: string }>()
          expectTypeOf(workItem.id).toEqualTypeOf<WorkItemId>()
          expectTypeOf(workItem.complete).returns.resolves.toBeVoid()
        }),
    )
  })

  it('activities after actions trigger the item\'s own start and completion, typed by the action schemas', () => {
    const item = Builder.workItem('returnIt')
      .withActions(Builder.workItemActions().start(z.object({ desk: z.string() }), async ({ workItem }) => workItem.start()))
      .withActivities({
        onInitialized: ({ workItem }) => {
          workItem.start({ desk: 'north' })
          // @ts-expect-error the start payload must match the start action's schema
          workItem.start({ counter: 3 })
        },
        onStarted: ({ workItem }) => {
          workItem.complete({})
        },
        onFailed: async ({ mutationCtx, workItem }) => {
          // Teardown activities schedule with mutationCtx.scheduler directly, with the item's id.
          await mutationCtx.scheduler.runAfter(0, internal.activityLog.append, { entry: `alert:${workItem.id}` })
        },
      })
    // @ts-expect-error actions are declared before activities
    item.withActions(Builder.workItemActions())
  })
})

describe('task activities and policies', () => {
  const task = Builder.task(Builder.workItem('deposit'))

  it('onWorkItemStateChanged sees the work item\'s id and states, the task and the parent workflow', () => {
    task.withActivities({
      onEnabled: async ({ workItem }) => {
        expectTypeOf(await workItem.initialize()).toEqualTypeOf<WorkItemId>()
      },
      onWorkItemStateChanged: ({ workItem, task, parent }) => {
        expectTypeOf(workItem.id).toEqualTypeOf<WorkItemId>()
        expectTypeOf(workItem.nextState).toEqualTypeOf<WorkItemState>()
        expectTypeOf(workItem.prevState).toEqualTypeOf<WorkItemState>()
        expectTypeOf(task.name).toBeString()
        expectTypeOf(task.generation).toBeNumber()
        expectTypeOf(parent.workflow.id).toEqualTypeOf<WorkflowId>()
      },
      onFailed: ({ parent }) => {
        expectTypeOf(parent.workflow.id).toEqualTypeOf<WorkflowId>()
      },
      onCanceled: ({ workItem }) => {
        expectTypeOf(workItem.id).toEqualTypeOf<WorkItemId>()
      },
    })
  })

  it('a policy gets the transition, the generation\'s stats and the parent; it may return a decision or nothing', () => {
    task.withPolicy(async ({ transition, task, parent, workItem }) => {
      expectTypeOf(transition.nextState).toEqualTypeOf<WorkItemState>()
      expectTypeOf(await task.getStats()).toEqualTypeOf<TaskStats>()
      expectTypeOf<TaskStats['completed'] | TaskStats['failed'] | TaskStats['canceled'] | TaskStats['total']>().toBeNumber()
      expectTypeOf(parent.workflow.id).toEqualTypeOf<WorkflowId>()
      expectTypeOf(workItem.id).toEqualTypeOf<WorkItemId>()
      if (transition.nextState === 'failed') return 'complete'
    })
    // @ts-expect-error a policy decides only 'continue', 'complete' or 'fail'
    task.withPolicy(() => 'retry')
    expectTypeOf<PolicyResult>().toEqualTypeOf<'continue' | 'complete' | 'fail'>()
  })
})

describe('workflow actions and routes', () => {
  it('a workflow initialize action gets its typed payload and the new workflow id', () => {
    Builder.workflowActions().initialize(z.object({ customer: z.string() }), async ({ workflow }, payload) => {
      expectTypeOf(payload).toEqualTypeOf<{ customer: string }>()
      expectTypeOf(await workflow.initialize()).toEqualTypeOf<WorkflowId>()
    })
  })

  it('an XOR route names only the targets of its own flow, and reads the domain through mutationCtx and parent', () => {
    const step = () => Builder.task(Builder.workItem('step'))
    Builder.workflow('w')
      .startCondition('start')
      .task('decide', step().withSplitType('xor'))
      .task('refund', step())
      .task('other', step())
      .endCondition('end')
      .connectTask('decide', (to) =>
        to
          .task('refund')
          .condition('end')
          .route(async ({ mutationCtx, route, parent }) => {
            expectTypeOf(parent.workflow.id).toEqualTypeOf<WorkflowId>()
            expectTypeOf(mutationCtx.db).not.toBeAny()
            // @ts-expect-error 'other' is not a target of this flow
            route.toTask('other')
            return route.toTask('refund')
          }),
      )
  })
})

describe('calling the engine back from a function of the app (a scheduled function, a webhook)', () => {
  it('internalCompleteWorkItem takes the work item id and the action\'s name and payload', () => {
    type Args = FunctionArgs<typeof internal.orders.internalCompleteWorkItem>
    expectTypeOf<Args['workItemId']>().toEqualTypeOf<WorkItemId>()
    expectTypeOf<{ name: 'refundPayment'; payload: { refundId: string } }>().toExtend<Args['args']>()
    // @ts-expect-error the refund's complete action requires its payload
    const missing: Args['args'] = { name: 'refundPayment' }
    expectTypeOf(missing).not.toBeNever()
  })
})
