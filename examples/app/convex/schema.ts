import { defineSchema, defineTable } from 'convex/server'
import { v } from 'convex/values'
import { sagaTables, tasknetTables, vWorkflowId, vWorkItemId } from 'tasknet/schema'

export default defineSchema({
  ...tasknetTables,
  // The records of sagas (convex/booking.ts): an app without sagas leaves them out.
  ...sagaTables,
  requests: defineTable({ workflowId: vWorkflowId, title: v.string(), reviewer: v.string() }).index('by_workflowId', ['workflowId']),
  assignments: defineTable({ workItemId: vWorkItemId, workflowId: vWorkflowId, reviewer: v.string() })
    .index('by_workItemId', ['workItemId'])
    .index('by_reviewer', ['reviewer']),
  reviews: defineTable({ workflowId: vWorkflowId, approved: v.boolean() }).index('by_workflowId', ['workflowId']),
  // The welcome workflow's (src/workflows/welcome.ts): its member, and the requests its mail provider received.
  members: defineTable({ workflowId: vWorkflowId, email: v.string(), welcomeMessageId: v.optional(v.string()) }).index('by_workflowId', ['workflowId']),
  mailRequests: defineTable({ to: v.string(), attempt: v.number(), idempotencyKey: v.string(), at: v.number() }),
  // The booking saga's (src/workflows/booking.ts).
  seats: defineTable({ flight: v.string(), state: v.union(v.literal('held'), v.literal('booked')) }),
})
