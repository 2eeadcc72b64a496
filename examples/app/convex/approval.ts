import { v } from 'convex/values'
import { getWorkItems as readWorkItems, vWorkflowId, vWorkItemId, workflowApi } from 'tasknet'
import { approvalWorkflow } from '../src/workflows/approval.js'
import { query } from './_generated/server.js'

// The engine's functions for this workflow: public mutations run the custom actions (the review's
// start and complete check the caller), internal twins serve tests and scheduled functions, and the
// internal queries read state (tasknet/testing's workflowDriver uses the internal ones).
export const {
  initializeRootWorkflow,
  startWorkItem,
  completeWorkItem,
  internalInitializeRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  internalResetWorkItem,
  internalCancelRootWorkflow,
  getWorkflow,
  getWorkItems,
  getWorkflowTaskStates,
  getMarking,
} = workflowApi(approvalWorkflow)

/**
 * The signed-in reviewer's open reviews, with the work item ids a client passes to
 * `api.approval.startWorkItem` / `completeWorkItem`. The generated reads are internal; this query
 * authorizes the caller and reads through the exported helper instead.
 */
export const myOpenReviews = query({
  args: {},
  returns: v.array(
    v.object({
      workItemId: vWorkItemId,
      workflowId: vWorkflowId,
      title: v.string(),
      state: v.union(v.literal('initialized'), v.literal('started')),
    }),
  ),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) return []
    const assignments = await ctx.db
      .query('assignments')
      .withIndex('by_reviewer', (q) => q.eq('reviewer', identity.subject))
      .collect()
    const open = []
    for (const assignment of assignments) {
      const items = await readWorkItems(ctx.db, approvalWorkflow, assignment.workflowId, 'review')
      const item = items.find((w) => w._id === assignment.workItemId)
      if (!item || (item.state !== 'initialized' && item.state !== 'started')) continue
      const request = await ctx.db
        .query('requests')
        .withIndex('by_workflowId', (q) => q.eq('workflowId', assignment.workflowId))
        .unique()
      open.push({ workItemId: item._id, workflowId: assignment.workflowId, title: request?.title ?? '', state: item.state })
    }
    return open
  },
})
