import { Builder } from '../builder'
import { offeredTask } from './basics'

/**
 * Composite tasks (semantics.md §6–7): a fulfilment whose packing is a child
 * workflow, and a warehouse run whose fulfilments are child workflows in turn
 * (so packing is a grandchild there). Each root is exposed by a module in
 * convex/examples/; the child work items are driven through the root's
 * functions.
 */

/** The child: pick, then box. */
export const packingWorkflow = Builder.workflow('packing')
  .startCondition('start')
  .task('pick', offeredTask('pick'))
  .task('box', offeredTask('box'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pick'))
  .connectTask('pick', (to) => to.task('box'))
  .connectTask('box', (to) => to.condition('end'))

/** A composite task that starts one packing child when it is enabled. */
const packTask = Builder.compositeTask(packingWorkflow).withActivities({
  onEnabled: async ({ workflow }) => {
    await workflow.initialize()
  },
})

/** `pack` (composite: one packing child), then `ship`. Default policy: a failed child fails `pack`. */
export const fulfilmentWorkflow = Builder.workflow('fulfilment')
  .startCondition('start')
  .compositeTask('pack', packTask)
  .task('ship', offeredTask('ship'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))

/**
 * The same, with a policy that stops a child's failure at `pack`: the
 * packing is given up and the order ships what it has (a compensation
 * decision would live in `onWorkflowStateChanged`).
 */
export const tolerantFulfilmentWorkflow = Builder.workflow('tolerantFulfilment')
  .startCondition('start')
  .compositeTask(
    'pack',
    packTask.withPolicy(({ transition }) => (transition.nextState === 'failed' ? 'complete' : undefined)),
  )
  .task('ship', offeredTask('ship'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))

/** Depth two: `run` starts a fulfilment child, whose `pack` starts a packing grandchild. */
export const warehouseWorkflow = Builder.workflow('warehouse')
  .startCondition('start')
  .compositeTask(
    'run',
    Builder.compositeTask(fulfilmentWorkflow).withActivities({
      onEnabled: async ({ workflow }) => {
        await workflow.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('run'))
  .connectTask('run', (to) => to.condition('end'))
