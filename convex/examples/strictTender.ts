import { workflowApi } from '../../src'
import { tenderWorkflowFailing } from '../../src/workflows/deadlines'
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
} = workflowApi(tenderWorkflowFailing, { self: (): unknown => internal.examples.strictTender })
