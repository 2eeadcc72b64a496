import { Builder } from '../builder'
import { Faults } from '../domain/faults'
import { offeredTask } from './basics'

/**
 * The workflow of the outbox tests (tests/integration/outbox*.test.ts): a shipment that is packed,
 * then shipped, then delivered, each an offered work item. Shipping's `onCompleted` is a fault site
 * (`ship.onCompleted`, src/domain/faults.ts): armed, it makes the step that completes `ship` throw,
 * so that step commits nothing, not even its journal event.
 */
export const shipmentWorkflow = Builder.workflow('shipment')
  .startCondition('start')
  .task('pack', offeredTask('pack'))
  .task(
    'ship',
    offeredTask('ship').withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
      onCompleted: async ({ mutationCtx }) => {
        await Faults.at(mutationCtx, 'ship.onCompleted')
      },
    }),
  )
  .task('deliver', offeredTask('deliver'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.task('deliver'))
  .connectTask('deliver', (to) => to.condition('end'))
