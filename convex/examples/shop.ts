import { sagaFunctions, workflowApi } from '../../src'
import { packAndShipSaga, shopWorkflow } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** An ordinary workflow hosting a saga (src/workflows/sagas.ts): its workflowApi functions and the saga's. */
const options = { self: (): unknown => internal.examples.shop }
export const {
  internalInitializeRootWorkflow,
  internalStartWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getChildWorkflows,
  getWorkItems,
  getEvents,
} = workflowApi(shopWorkflow, options)
export const { sagaStep, getSagaResult, cancelSaga } = sagaFunctions(shopWorkflow, [packAndShipSaga], options)
