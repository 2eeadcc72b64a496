import { sagaApi } from '../../src'
import { orchestrationSaga } from '../../src/workflows/sagas'
import { internal } from '../_generated/api'

/** The orchestration saga of src/workflows/sagas.ts, with its child sagas: their steps run through this module too. */
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
} = sagaApi(orchestrationSaga, { self: (): unknown => internal.examples.orchestrationSaga })
