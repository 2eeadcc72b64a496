import { sagaApi } from '../../src'
import { signupSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The signup saga of src/workflows/sagas.ts (`001_…`'s user signup). */
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
} = sagaApi(signupSaga, { self: (): unknown => internal.examples.signupSaga })
