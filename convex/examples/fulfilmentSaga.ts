import { sagaApi } from '../../src'
import { fulfilmentSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The fulfilment saga of src/workflows/sagas.ts, with its child sagas: their steps run through this module too. */
export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getChildWorkflows,
  getMarking,
  getEvents,
  sagaStep,
  getSagaResult,
  cancelSaga,
} = sagaApi(fulfilmentSaga, { self: (): unknown => internal.examples.fulfilmentSaga })
