import { describe, expect, it } from 'vitest'
import { Builder, getChildWorkflows, getMarking, getWorkflowTaskStates, getWorkItems, instancePolicy, workflowHandlers } from '../../src'
import { offeredTask } from '../../src/workflows/basics'
import { packingWorkflow } from '../../src/workflows/composite'
import { backend } from '../support/harness'

/**
 * The multiple-instance policies on a composite task: the instances are child
 * workflows, and `task.getStats()` counts them, so the same helpers apply
 * (api.md, "Multiple instances"). The work-item instances are in the pattern
 * suite (tests/patterns/wcp-13 … wcp-36). The net is built here and driven
 * through `workflowHandlers` in one transaction per step, as the generated
 * functions do.
 */

/** `pack` starts three packing children and completes on the second to complete; then `ship`. */
const packTwoOfThree = Builder.workflow('packTwoOfThree')
  .startCondition('start')
  .compositeTask(
    'pack',
    Builder.compositeTask(packingWorkflow)
      .withActivities({
        onEnabled: async ({ workflow }) => {
          for (let i = 0; i < 3; i++) await workflow.initialize()
        },
      })
      .withPolicy(instancePolicy.threshold(2)),
  )
  .task('ship', offeredTask('ship'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))

const handlers = workflowHandlers(packTwoOfThree)
const root = handlers.definition
const child = packingWorkflow.build()

async function started() {
  const t = backend({ workflows: [root] })
  const rootId = await t.run((ctx) => handlers.internal.initializeRootWorkflow(ctx, {}))
  const read = {
    children: () => t.run((ctx) => getChildWorkflows(ctx.db, root, rootId, 'pack')),
    tasks: () => t.run((ctx) => getWorkflowTaskStates(ctx.db, root, rootId)),
    marking: () => t.run((ctx) => getMarking(ctx.db, root, rootId)),
  }
  const ids = (await read.children()).map((c) => c._id)
  /** Starts, or starts and completes, the newest work item of `task` in child `index`. */
  const act = (action: 'startWorkItem' | 'completeWorkItem', index: number, task: 'pick' | 'box') =>
    t.run(async (ctx) => {
      const item = (await getWorkItems(ctx.db, child, ids[index]!, task)).at(-1)!
      await handlers.internal[action](ctx, { workItemId: item._id, args: { name: item.name } })
    })
  const pack = async (index: number) => {
    for (const task of ['pick', 'box'] as const) {
      await act('startWorkItem', index, task)
      await act('completeWorkItem', index, task)
    }
  }
  return { t, read, act, pack }
}

const states = (children: { state: string }[]) => children.map((c) => c.state)

describe('instancePolicy.threshold(2) on a composite task with three children', () => {
  it('completes when the second child completes, and its exit cancels the third, still running', async () => {
    const { read, act, pack } = await started()
    expect(states(await read.children())).toEqual(['initialized', 'initialized', 'initialized'])

    await act('startWorkItem', 1, 'pick')
    await pack(2)
    expect(states(await read.children())).toEqual(['initialized', 'started', 'completed'])
    expect(await read.tasks()).toEqual({ pack: 'started', ship: 'disabled' })
    expect(await read.marking()).toEqual({ start: 0, pack__to__ship: 0, end: 0 })

    await pack(0)
    expect(states(await read.children())).toEqual(['completed', 'canceled', 'completed'])
    expect(await read.tasks()).toEqual({ pack: 'completed', ship: 'enabled' })
    expect(await read.marking()).toEqual({ start: 0, pack__to__ship: 1, end: 0 })
  })
})
