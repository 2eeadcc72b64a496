import { defineTable } from 'convex/server'
import { v, type Infer } from 'convex/values'
import { vWorkflowId } from '../runtime/schema'
import type { WorkflowId } from '../builder/contexts'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'
import type { Doc } from '../../convex/_generated/dataModel'

/**
 * Orders of the order-processing example (src/workflows/order.ts, the
 * worked example of docs/compensation.md). An order is created `draft` when its
 * workflow is initialized, becomes `processing` once validated, and ends
 * `completed`, or goes `compensating` → `compensated` when its payment is
 * declined. Canceling its workflow leaves it `canceled`.
 */
export const vOrderStatus = v.union(
  v.literal('draft'),
  v.literal('processing'),
  v.literal('completed'),
  v.literal('compensating'),
  v.literal('compensated'),
  v.literal('canceled'),
)
export type OrderStatus = Infer<typeof vOrderStatus>

export const vOrderItem = v.object({ productId: v.string(), quantity: v.number() })
export type OrderItem = Infer<typeof vOrderItem>

export const orderTables = {
  orders: defineTable({
    customerId: v.string(),
    status: vOrderStatus,
    items: v.array(vOrderItem),
    /** The card the customer pays with; the payment domain decides whether it is charged. */
    card: v.string(),
    totalAmount: v.number(),
    workflowId: vWorkflowId,
  }).index('by_workflow', ['workflowId']),
}

export type Order = Doc<'orders'>

/** The legal moves of an order's status. */
const NEXT: Record<OrderStatus, OrderStatus[]> = {
  draft: ['processing', 'canceled'],
  processing: ['completed', 'compensating', 'canceled'],
  compensating: ['compensated', 'canceled'],
  completed: [],
  compensated: [],
  canceled: [],
}

export const Orders = {
  async create(
    ctx: { db: DatabaseWriter },
    order: { customerId: string; items: OrderItem[]; card: string; totalAmount: number; workflowId: WorkflowId },
  ): Promise<Order> {
    const id = await ctx.db.insert('orders', { ...order, status: 'draft' })
    return (await ctx.db.get(id))!
  },

  async findByWorkflowId(ctx: { db: DatabaseReader }, workflowId: WorkflowId): Promise<Order | null> {
    return await ctx.db
      .query('orders')
      .withIndex('by_workflow', (q) => q.eq('workflowId', workflowId))
      .unique()
  },

  async getByWorkflowId(ctx: { db: DatabaseReader }, workflowId: WorkflowId): Promise<Order> {
    const order = await Orders.findByWorkflowId(ctx, workflowId)
    if (!order) throw new Error(`No order belongs to workflow ${workflowId}.`)
    return order
  },

  async setStatus(ctx: { db: DatabaseWriter }, workflowId: WorkflowId, status: OrderStatus): Promise<Order> {
    const order = await Orders.getByWorkflowId(ctx, workflowId)
    if (!NEXT[order.status].includes(status)) throw new Error(`Order ${order._id} cannot go from '${order.status}' to '${status}'.`)
    await ctx.db.patch(order._id, { status })
    return { ...order, status }
  },

  markProcessing: (ctx: { db: DatabaseWriter }, workflowId: WorkflowId) => Orders.setStatus(ctx, workflowId, 'processing'),
  markAsCompensating: (ctx: { db: DatabaseWriter }, workflowId: WorkflowId) => Orders.setStatus(ctx, workflowId, 'compensating'),
  markAsCompensated: (ctx: { db: DatabaseWriter }, workflowId: WorkflowId) => Orders.setStatus(ctx, workflowId, 'compensated'),
  markCompleted: (ctx: { db: DatabaseWriter }, workflowId: WorkflowId) => Orders.setStatus(ctx, workflowId, 'completed'),
  markCanceled: (ctx: { db: DatabaseWriter }, workflowId: WorkflowId) => Orders.setStatus(ctx, workflowId, 'canceled'),

  /** Whether a failure of this order still has work to undo (the routed pattern of docs/compensation.md asks this). */
  async needsCompensation(ctx: { db: DatabaseReader }, workflowId: WorkflowId): Promise<boolean> {
    const order = await Orders.getByWorkflowId(ctx, workflowId)
    return ['processing', 'completed'].includes(order.status)
  },
}
