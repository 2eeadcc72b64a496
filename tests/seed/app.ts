/**
 * What the seed's snippets take from the application around them: its domain
 * modules, the tasks the snippets mention without defining, and its internal
 * functions. Declarations only — the seed blocks beside this file are checked
 * by the typechecker, not run (the order example in src/workflows/order.ts is
 * the running version).
 */
import type { FunctionReference } from 'convex/server'
import type { Id } from '../../convex/_generated/dataModel'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'
import { Builder, type WorkItemId } from '../../src'

type Writer = { db: DatabaseWriter }
type Reader = { db: DatabaseReader }
type Order = { _id: string; status: string; customerId: string }

export declare const OrderDomain: {
  getByWorkflowId(ctx: Reader, workflowId: Id<'tasknet_workflows'>): Promise<Order>
  markAsCompensating(ctx: Writer, workflowId: Id<'tasknet_workflows'>): Promise<void>
  markAsCompensated(ctx: Writer, workflowId: Id<'tasknet_workflows'>): Promise<void>
  needsCompensation(ctx: Reader, workflowId: Id<'tasknet_workflows'>): Promise<boolean>
  create(ctx: Writer, order: { customerId: string; workflowId: Id<'tasknet_workflows'> }): Promise<void>
  releaseLocks(ctx: Writer, workItemId: WorkItemId): Promise<void>
  cleanupWorkItemTempData(ctx: Writer, workItemId: WorkItemId): Promise<void>
}
export declare const InventoryDomain: {
  reserve(ctx: Writer, args: { workItemId: WorkItemId; productId: string; quantity: number }): Promise<void>
  confirmReservation(ctx: Writer, workItemId: WorkItemId): Promise<void>
  releaseReservation(ctx: Writer, workItemId: WorkItemId): Promise<void>
  releaseOrderInventory(ctx: Writer, orderId: string): Promise<void>
}
export declare const PaymentDomain: {
  getByOrderId(ctx: Reader, orderId: string): Promise<{ _id: string }>
  createRefund(ctx: Writer, refund: { paymentId: string; workItemId: WorkItemId; status: string }): Promise<void>
  updateRefund(ctx: Writer, workItemId: WorkItemId, patch: { status: string; refundId: string }): Promise<void>
}

type Internal = FunctionReference<'mutation', 'internal'>
export declare const internal: {
  payments: { processRefund: Internal }
  alerts: { notifyPaymentFailure: Internal; sendOrderFailureAlert: Internal }
}

const offered = <N extends string>(name: N) =>
  Builder.task(Builder.workItem(name)).withActivities({ onEnabled: async ({ workItem }) => { await workItem.initialize() } })

export declare const paymentWorkItem: ReturnType<typeof Builder.workItem<'processPayment'>>
export const validateTask = offered('validateOrder')
export const validateOrderTask = offered('validateOrder')
export const reserveTask = offered('reserveInventory')
export const reserveInventoryTask = offered('reserveInventory')
export const paymentTask = offered('chargePayment')
export const refundTask = offered('refundPayment')
export const releaseTask = offered('releaseInventory')
export const notifyTask = offered('notifyFailure')
export const refundPaymentTask = offered('refundPayment')
export const releaseInventoryTask = offered('releaseInventory')
export const notifyCustomerTask = offered('notifyCustomer')
