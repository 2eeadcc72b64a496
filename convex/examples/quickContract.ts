import { workflowApi } from '../../src'
import { quickContractWorkflow } from '../../src/workflows/deadlines'
import { internal } from '../_generated/api'

export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalInitializeWorkItem,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  internalResetWorkItem,
  internalDeadlineReached,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getChildWorkflows,
  getEvents,
} = workflowApi(quickContractWorkflow, { self: (): unknown => internal.examples.quickContract })
