import { workflowApi } from '../../src'
import { offerWorkflow } from '../../src/workflows/deadlines'
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
} = workflowApi(offerWorkflow, { self: (): unknown => internal.examples.offer })
