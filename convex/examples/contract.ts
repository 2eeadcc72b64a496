import { workflowApi } from '../../src'
import { contractWorkflow } from '../../src/workflows/deadlines'
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
} = workflowApi(contractWorkflow, { self: (): unknown => internal.examples.contract })
