import { Workpool } from '@convex-dev/workpool'
import { serviceWorkItems, workflowApi } from '../../src'
import { faultOrderWorkflow } from '../../src/workflows/faults'
import { components, internal } from '../_generated/api'

/**
 * The order workflow (convex/orders.ts) with a fault site on every callback, for the fault matrix
 * (tests/integration/faults.test.ts). Its domain functions (restock, orderState) and its payment provider
 * are convex/orders.ts's and convex/payments.ts's; its service work items run in the same `services` pool.
 */
export const {
  initializeRootWorkflow,
  cancelRootWorkflow,
  initializeWorkItem,
  startWorkItem,
  completeWorkItem,
  failWorkItem,
  cancelWorkItem,
  resetWorkItem,
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalInitializeWorkItem,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  internalResetWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  serviceRun,
  serviceComplete,
  serviceTimeout,
  getServiceCall,
} = workflowApi(faultOrderWorkflow, {
  self: (): unknown => internal.examples.faultOrder,
  services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 3, logLevel: 'ERROR' }) }),
})
