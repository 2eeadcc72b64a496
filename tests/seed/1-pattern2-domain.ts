// The seed's TypeScript, block 1 ("Domain schema" of shared/seeds/002_d0e501a9af4a3a32.txt), kept verbatim
// below the marker except for the change api.md allows: `v.id('tasquencerWorkflows')` becomes `vWorkflowId`,
// and `Id<'tasquencerWorkflows'>` becomes `Id<'tasknet_workflows'>` (the engine's own table name).
// Its object-literal methods call `this.getByWorkflowId`, which the snippet leaves to the rest of the app;
// under `noImplicitThis` TypeScript would type `this` as the literal itself, so this one file is checked by
// tests/seed/tsconfig.this.json, the project's settings with only `noImplicitThis` off.
/* eslint-disable */
import { defineTable } from 'convex/server'
import { v } from 'convex/values'
import { vWorkflowId } from '../../src'
import type { Id } from '../../convex/_generated/dataModel'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'

// ---- seed block below ----
// Domain schema
const orders = defineTable({
  customerId: v.string(),
  status: v.string(), // 'processing' | 'completed' | 'compensating' | 'compensated' | 'failed'
  workflowId: vWorkflowId,
})

// Domain functions
export const OrderDomain = {
  async markAsCompensating(
    ctx: { db: DatabaseWriter },
    workflowId: Id<'tasknet_workflows'>,
  ) {
    const order = await this.getByWorkflowId(ctx, workflowId)
    await ctx.db.patch(order._id, { status: 'compensating' })
  },

  async markAsCompensated(
    ctx: { db: DatabaseWriter },
    workflowId: Id<'tasknet_workflows'>,
  ) {
    const order = await this.getByWorkflowId(ctx, workflowId)
    await ctx.db.patch(order._id, { status: 'compensated' })
  },

  async needsCompensation(
    ctx: { db: DatabaseReader },
    workflowId: Id<'tasknet_workflows'>,
  ): Promise<boolean> {
    const order = await this.getByWorkflowId(ctx, workflowId)
    return ['processing', 'completed'].includes(order.status)
  },
}

export {}
