import { sagaApi } from '../../src'
import { orderPlacementSaga } from '../../src/workflows/sagas004'
import { internal } from '../_generated/api'
import { placementOutbox } from './placementOutbox'

/** `004_…`'s OrderPlacementSaga (src/workflows/sagas004.ts, a class with decorators), with its outbox. */
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
} = sagaApi(orderPlacementSaga, { self: (): unknown => internal.examples.placementSaga, outbox: placementOutbox })
