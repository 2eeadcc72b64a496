// The seed's TypeScript, block 5 ("pattern3-hybrid" of shared/seeds/002_d0e501a9af4a3a32.txt), kept verbatim
// below the marker except for the one change api.md allows: `v.id('tasquencerWorkflows')` becomes
// `vWorkflowId`, and `Id<'tasquencerWorkflows'>` becomes `Id<'tasknet_workflows'>` (the engine's own table name). `npm test` typechecks it, so the seed keeps compiling against tasknet. What the seed
// leaves to the application (its domain functions, other tasks, internal functions) is declared in
// ./app.ts.
/* eslint-disable */
import { Builder } from '../../src'
import { OrderDomain, internal } from './app'

// ---- seed block below ----
const processOrderWorkItem = Builder.workItem('processOrder').withActivities({
  onFailed: async ({ mutationCtx, workItem }) => {
    // ✅ Use scheduler directly - failure notification outlives work item
    await mutationCtx.scheduler.runAfter(
      0,
      internal.alerts.sendOrderFailureAlert,
      { workItemId: workItem.id },
    )

    // Inline cleanup
    await OrderDomain.cleanupWorkItemTempData(mutationCtx, workItem.id)
  },
})

const processOrderTask = Builder.task(processOrderWorkItem)
  .withActivities({
    // Simple automatic compensation using onWorkItemStateChanged
    onWorkItemStateChanged: async ({
      mutationCtx,
      workItem,
      task,
      parent,
    }) => {
      if (workItem.nextState === 'canceled') {
        // Release locks for this specific work item
        await OrderDomain.releaseLocks(mutationCtx, workItem.id)
      }

      if (workItem.nextState === 'failed') {
        // Mark for complex compensation (domain-level state)
        await OrderDomain.markAsCompensating(mutationCtx, parent.workflow.id)
      }
    },
  })
  .withPolicy(async ({ transition, mutationCtx, parent }) => {
    if (transition.nextState === 'failed') {
      const needsCompensation = await OrderDomain.needsCompensation(
        mutationCtx,
        parent.workflow.id,
      )

      // Route to compensation workflow section for complex rollback
      if (needsCompensation) {
        return 'complete'
      }

      return 'fail'
    }

    // ... normal policy
  })

export {}
