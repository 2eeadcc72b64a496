import { workflowApi } from '../../src'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { outbox } from './outbox'

/** The sequence workflow (register → review → archive), given the same outbox as the shipment workflow. */
export const {
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
  getEvents,
} = workflowApi(sequenceWorkflow, { outbox })
