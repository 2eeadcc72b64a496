import { sagaApi } from '../../src'
import { haltingPurchaseSaga } from '../../src/workflows/sagas000'
import { internal } from '../_generated/api'

/** The purchase saga of src/workflows/sagas000.ts with `onCompensationFailure: 'halt'`. */
export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  sagaStep,
  getSagaResult,
  cancelSaga,
} = sagaApi(haltingPurchaseSaga, { self: (): unknown => internal.examples.haltingPurchaseSaga })
