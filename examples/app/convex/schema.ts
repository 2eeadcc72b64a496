import { defineSchema, defineTable } from 'convex/server'
import { v } from 'convex/values'
import { tasknetTables, vWorkflowId, vWorkItemId } from 'tasknet/schema'

export default defineSchema({
  ...tasknetTables,
  requests: defineTable({ workflowId: vWorkflowId, title: v.string(), reviewer: v.string() }).index('by_workflowId', ['workflowId']),
  assignments: defineTable({ workItemId: vWorkItemId, workflowId: vWorkflowId, reviewer: v.string() })
    .index('by_workItemId', ['workItemId'])
    .index('by_reviewer', ['reviewer']),
  reviews: defineTable({ workflowId: vWorkflowId, approved: v.boolean() }).index('by_workflowId', ['workflowId']),
})
