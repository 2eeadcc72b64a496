import { sagaApi } from '../../src'
import { tripSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The trip saga of src/workflows/sagas.ts: a human step, a deadline, `cancelSaga`. */
export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalDeadlineReached,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  sagaStep,
  getSagaResult,
  cancelSaga,
} = sagaApi(tripSaga, { self: (): unknown => internal.examples.tripSaga })
