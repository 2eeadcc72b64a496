import { workflowApi } from '../../src'
import { dummyReleasesOrJoinWorkflow } from '../../src/workflows/enabling'

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
} = workflowApi(dummyReleasesOrJoinWorkflow)
