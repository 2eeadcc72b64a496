// The seed's TypeScript, block 0 ("pattern1-inline" of shared/seeds/002_d0e501a9af4a3a32.txt), kept verbatim
// below the marker except for the one change api.md allows: `v.id('tasquencerWorkflows')` becomes
// `vWorkflowId`, and `Id<'tasquencerWorkflows'>` becomes `Id<'tasknet_workflows'>` (the engine's own table name). `npm test` typechecks it, so the seed keeps compiling against tasknet. What the seed
// leaves to the application (its domain functions, other tasks, internal functions) is declared in
// ./app.ts.
/* eslint-disable */
import { z } from 'zod'
import { Builder } from '../../src'
import { InventoryDomain } from './app'

// ---- seed block below ----
const reserveInventoryWorkItem = Builder.workItem(
  'reserveInventory',
).withActions(
  Builder.workItemActions()
    .initialize(
      z.object({ productId: z.string(), quantity: z.number() }),
      async ({ mutationCtx, workItem }, payload) => {
        const workItemId = await workItem.initialize()

        // Reserve inventory
        await InventoryDomain.reserve(mutationCtx, {
          workItemId,
          productId: payload.productId,
          quantity: payload.quantity,
        })
      },
    )
    .complete(z.never(), async ({ mutationCtx, workItem }) => {
      // Confirm reservation
      await InventoryDomain.confirmReservation(mutationCtx, workItem.id)
      await workItem.complete()
    }),
)

const reserveInventoryTask = Builder.task(
  reserveInventoryWorkItem,
).withActivities({
  // Automatic compensation using onWorkItemStateChanged
  onWorkItemStateChanged: async ({ mutationCtx, workItem }) => {
    // Compensation for cancellation
    if (workItem.nextState === 'canceled') {
      await InventoryDomain.releaseReservation(mutationCtx, workItem.id)
      console.log(`Released inventory reservation for work item ${workItem.id}`)
    }

    // Compensation for failure
    if (workItem.nextState === 'failed') {
      await InventoryDomain.releaseReservation(mutationCtx, workItem.id)
      console.log(
        `Released inventory reservation after failure: ${workItem.id}`,
      )
    }
  },
})

export {}
