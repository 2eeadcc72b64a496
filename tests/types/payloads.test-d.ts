import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { Builder, type WorkflowId, type WorkItemId, type WorkItemState } from '../../src'

/**
 * Payload types flow from a work item's action schemas into the activities
 * that trigger those actions (api.md: "a payload passed to
 * `workItem.start(...)` is checked against that work item's start schema").
 * Each `@ts-expect-error` names why the line must not compile.
 */

const startSchema = z.object({ assignee: z.string() })
const completeSchema = z.object({ approved: z.boolean(), note: z.string().optional() })
const initializeSchema = z.object({ sku: z.string(), qty: z.number() })

describe('action callbacks receive the parsed payload', () => {
  it('typed by each schema, the output type when input and output differ', () => {
    Builder.workItemActions()
      .initialize(initializeSchema, async ({ workItem, isInternalMutation }, payload) => {
        expectTypeOf(payload).toEqualTypeOf<{ sku: string; qty: number }>()
        expectTypeOf(isInternalMutation).toBeBoolean()
        expectTypeOf(await workItem.initialize()).toEqualTypeOf<WorkItemId>()
      })
      .start(startSchema, async ({ workItem }, payload) => {
        expectTypeOf(payload).toEqualTypeOf<{ assignee: string }>()
        expectTypeOf(workItem.id).toEqualTypeOf<WorkItemId>()
        await workItem.start()
      })
      .complete(z.string().transform((s) => s.length), async ({ workItem }, payload) => {
        expectTypeOf(payload).toBeNumber()
        await workItem.complete()
      })
  })

  it('a z.never() schema gives the callback no payload', () => {
    Builder.workItemActions().initialize(z.never(), async ({ workItem }, payload) => {
      expectTypeOf(payload).toBeUndefined()
      await workItem.initialize()
    })
  })

  it('a workflow initialize action gets its payload and workflow.initialize() returns the workflow id', () => {
    Builder.workflowActions().initialize(z.object({ customerId: z.string() }), async ({ workflow }, payload) => {
      expectTypeOf(payload).toEqualTypeOf<{ customerId: string }>()
      expectTypeOf(await workflow.initialize()).toEqualTypeOf<WorkflowId>()
    })
  })
})

describe('workItem.start(payload) in onInitialized is checked against the start schema', () => {
  it('a custom start schema', () => {
    Builder.workItem('review')
      .withActions(Builder.workItemActions().start(startSchema, async ({ workItem }) => workItem.start()))
      .withActivities({
        onInitialized: ({ workItem }) => {
          workItem.start({ assignee: 'ann' })
          // @ts-expect-error assignee must be a string
          workItem.start({ assignee: 42 })
          // @ts-expect-error assignee is required by the start schema
          workItem.start({})
          // @ts-expect-error the start schema requires a payload
          workItem.start()
        },
      })
  })

  it('the payload is the schema input, not its output', () => {
    Builder.workItem('count')
      .withActions(
        Builder.workItemActions().start(z.string().transform((s) => s.length), async ({ workItem }) => workItem.start()),
      )
      .withActivities({
        onInitialized: ({ workItem }) => {
          workItem.start('abc')
          // @ts-expect-error the schema takes a string (and outputs its length)
          workItem.start(3)
        },
      })
  })

  it('a default start action (no schema) takes no payload, or an empty one', () => {
    Builder.workItem('plain').withActivities({
      onInitialized: ({ workItem }) => {
        workItem.start()
        workItem.start({})
        // @ts-expect-error a default action takes no payload
        workItem.start({ assignee: 'ann' })
      },
    })
  })

  it('only the start schema matters to start: other actions do not leak in', () => {
    Builder.workItem('review')
      .withActions(Builder.workItemActions().complete(completeSchema, async ({ workItem }) => workItem.complete()))
      .withActivities({
        onInitialized: ({ workItem }) => {
          workItem.start()
          // @ts-expect-error start keeps its default action: the complete schema's payload is not a start payload
          workItem.start({ approved: true })
        },
      })
  })

  it('complete / fail / cancel in onStarted are checked against their schemas', () => {
    Builder.workItem('review')
      .withActions(
        Builder.workItemActions()
          .complete(completeSchema, async ({ workItem }) => workItem.complete())
          .fail(z.object({ reason: z.string() }), async ({ workItem }) => workItem.fail()),
      )
      .withActivities({
        onStarted: ({ workItem }) => {
          workItem.complete({ approved: true })
          workItem.fail({ reason: 'timeout' })
          workItem.cancel()
          // @ts-expect-error approved must be a boolean
          workItem.complete({ approved: 'yes' })
          // @ts-expect-error the fail schema requires a reason
          workItem.fail()
        },
      })
  })
})

describe("workItem.initialize(payload) in a task's activities is checked against the initialize schema", () => {
  const ordered = Builder.workItem('order').withActions(
    Builder.workItemActions().initialize(initializeSchema, async ({ workItem }) => {
      await workItem.initialize()
    }),
  )

  it('onEnabled, onStarted and onWorkItemStateChanged', () => {
    Builder.task(ordered).withActivities({
      onEnabled: async ({ workItem }) => {
        const id = await workItem.initialize({ sku: 'a-1', qty: 2 })
        expectTypeOf(id).toEqualTypeOf<WorkItemId>()
        // @ts-expect-error qty must be a number
        await workItem.initialize({ sku: 'a-1', qty: '2' })
        // @ts-expect-error the initialize schema requires a payload
        await workItem.initialize()
      },
      onStarted: async ({ workItem }) => {
        await workItem.initialize({ sku: 'b', qty: 1 })
        // @ts-expect-error sku is required
        await workItem.initialize({ qty: 1 })
      },
      onWorkItemStateChanged: async ({ workItem }) => {
        expectTypeOf(workItem.nextState).toEqualTypeOf<WorkItemState>()
        expectTypeOf(workItem.prevState).toEqualTypeOf<WorkItemState>()
        if (workItem.nextState === 'failed') await workItem.initialize({ sku: 'retry', qty: 1 })
        // @ts-expect-error the initialize schema requires a payload
        await workItem.initialize()
      },
    })
  })

  it('the schemas survive withSplitType / withJoinType / withPolicy', () => {
    Builder.task(ordered)
      .withSplitType('xor')
      .withJoinType('xor')
      .withPolicy(() => 'continue')
      .withActivities({
        onEnabled: async ({ workItem }) => {
          await workItem.initialize({ sku: 'a', qty: 1 })
          // @ts-expect-error the initialize schema requires a payload
          await workItem.initialize()
        },
      })
  })

  it('a work item whose initialize schema is z.never() is initialized with no argument', () => {
    const never = Builder.workItem('never').withActions(
      Builder.workItemActions().initialize(z.never(), async ({ workItem }) => {
        await workItem.initialize()
      }),
    )
    Builder.task(never).withActivities({
      onEnabled: async ({ workItem }) => {
        const id = await workItem.initialize()
        expectTypeOf(id).toEqualTypeOf<WorkItemId>()
        // @ts-expect-error a z.never() schema takes no payload
        await workItem.initialize({})
      },
    })
  })

  it('a default initialize action takes no payload, or an empty one', () => {
    Builder.task(Builder.workItem('plain')).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
        await workItem.initialize({})
        // @ts-expect-error a default action takes no payload
        await workItem.initialize({ sku: 'a', qty: 1 })
      },
    })
  })
})

describe('other contexts', () => {
  it('a dummy task has no work item to initialize', () => {
    Builder.dummyTask().withActivities({
      // @ts-expect-error dummy tasks do no work: their activities get no workItem
      onEnabled: ({ workItem }) => workItem,
    })
  })

  it('a policy returns continue, complete, fail or nothing', () => {
    Builder.task(Builder.workItem('w')).withPolicy(async ({ transition, task }) => {
      expectTypeOf(transition.nextState).toEqualTypeOf<WorkItemState>()
      const stats = await task.getStats()
      expectTypeOf(stats.total).toBeNumber()
      expectTypeOf(stats.completed).toBeNumber()
      return stats.completed === stats.total ? 'complete' : undefined
    })
    // @ts-expect-error 'done' is not a policy result
    Builder.task(Builder.workItem('w')).withPolicy(() => 'done')
  })
})

describe('actions come before activities', () => {
  it('refuses withActions after withActivities, whose triggers were typed by the earlier schemas', () => {
    const started = Builder.workItem('x').withActivities({ onInitialized: ({ workItem }) => workItem.start() })
    // @ts-expect-error actions must be declared before activities, or the start trigger above would go unchecked
    started.withActions(Builder.workItemActions().start(z.object({ n: z.number() }), async ({ workItem }) => workItem.start()))
    const ordered = Builder.workItem('y')
      .withActions(Builder.workItemActions().start(z.object({ n: z.number() }), async ({ workItem }) => workItem.start()))
      .withActivities({ onInitialized: ({ workItem }) => workItem.start({ n: 1 }) })
    expectTypeOf(ordered).not.toBeNever()
  })
})
