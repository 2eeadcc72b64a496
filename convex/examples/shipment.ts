import { workflowApi } from '../../src'
import { shipmentWorkflow } from '../../src/workflows/outbox'
import { outbox } from './outbox'

/** The shipment workflow, its events delivered by the outbox of convex/examples/outbox.ts. */
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
} = workflowApi(shipmentWorkflow, { outbox })
