import { workflowApi } from '../../src'
import { swallowingWorkflow } from '../../src/workflows/swallowing'

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
  getChildWorkflows,
} = workflowApi(swallowingWorkflow)
