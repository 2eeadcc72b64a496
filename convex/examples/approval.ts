import { workflowApi } from '../../src'
import { approvalWorkflow } from '../../src/workflows/deadlines'
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
  getEvents,
} = workflowApi(approvalWorkflow, { self: (): unknown => internal.examples.approval })
