import { sagaApi } from '../../src'
import { dynamicSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The dynamic saga of src/workflows/sagas.ts: steps with conditions. */
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
} = sagaApi(dynamicSaga, { self: (): unknown => internal.examples.dynamicSaga })
