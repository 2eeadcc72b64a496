import { sagaApi } from '../../src'
import { purchaseSaga } from '../../src/workflows/sagas000'
import { internal } from '../_generated/api'

/** The purchase saga of src/workflows/sagas000.ts (`000_…`'s compensation builders, from JSON). */
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
} = sagaApi(purchaseSaga, { self: (): unknown => internal.examples.purchaseSaga })
