import { sagaApi } from '../../src'
import { bookingSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The booking saga of src/workflows/sagas.ts: a pivot, and a step after it that retries. */
export const {
  internalInitializeRootWorkflow,
  internalStartWorkItem,
  internalDeadlineReached,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  sagaStep,
  getSagaResult,
  cancelSaga,
} = sagaApi(bookingSaga, { self: (): unknown => internal.examples.bookingSaga })
