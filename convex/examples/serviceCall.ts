import { vWorkflowId, vWorkItemId, workflowApi } from '../../src'
import { serviceCallWorkflow } from '../../src/workflows/serviceCall'
import { internal } from '../_generated/api'
import { internalAction } from '../_generated/server'

export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
} = workflowApi(serviceCallWorkflow)

/** The provider: looks the request up (one round trip), then reports success by completing the work item. */
export const callProvider = internalAction({
  args: { workflowId: vWorkflowId, workItemId: vWorkItemId },
  handler: async (ctx, { workflowId, workItemId }): Promise<null> => {
    await ctx.runQuery(internal.examples.serviceCall.getWorkflow, { workflowId })
    await ctx.runMutation(internal.examples.serviceCall.internalCompleteWorkItem, { workItemId, args: { name: 'call' } })
    return null
  },
})
