import { sagaApi } from 'tasknet'
import { bookingSaga } from '../src/workflows/booking.js'
import { internal } from './_generated/api.js'

// The booking saga's functions: those of its net, plus the saga's own. `self` names this module: the engine runs
// each local step and compensation through its `sagaStep`, started by its `internalStartWorkItem`.
export const {
  internalInitializeRootWorkflow,
  internalStartWorkItem,
  internalCancelRootWorkflow,
  getWorkflow,
  getWorkItems,
  getWorkflowTaskStates,
  getMarking,
  sagaStep,
  getSagaResult,
  cancelSaga,
} = sagaApi(bookingSaga, { self: (): unknown => internal.booking })
