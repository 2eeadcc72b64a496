import { sagaApi } from '../../src'
import { haltingSignupSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The haltingSignup saga of src/workflows/sagas.ts (`001_…`'s user signup). */
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
} = sagaApi(haltingSignupSaga, { self: (): unknown => internal.examples.haltingSignupSaga })
