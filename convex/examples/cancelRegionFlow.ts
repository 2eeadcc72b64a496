import { workflowApi } from '../../src'
import { cancelRegionFlowWorkflow } from '../../src/workflows/scenarios'

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
} = workflowApi(cancelRegionFlowWorkflow)
