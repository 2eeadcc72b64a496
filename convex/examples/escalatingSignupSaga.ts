import { sagaApi } from '../../src'
import { escalatingSignupSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The signup saga of src/workflows/sagas.ts whose failed compensations are escalated to a person. */
export const {
  internalInitializeRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  sagaStep,
  getSagaResult,
  cancelSaga,
} = sagaApi(escalatingSignupSaga, { self: (): unknown => internal.examples.escalatingSignupSaga })
