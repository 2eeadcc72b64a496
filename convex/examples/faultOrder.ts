import { workflowApi } from '../../src'
import { faultOrderWorkflow } from '../../src/workflows/faults'

/**
 * The order workflow (convex/orders.ts) with a fault site on every callback, for the fault matrix
 * (tests/integration/faults.test.ts). Its domain functions (restock, orderState) are convex/orders.ts's.
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
} = workflowApi(faultOrderWorkflow)
