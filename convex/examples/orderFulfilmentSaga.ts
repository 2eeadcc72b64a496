import { sagaApi } from '../../src'
import { fulfilmentSaga } from '../../src/workflows/sagas004'
import { internal } from '../_generated/api'
import { placementOutbox } from './placementOutbox'

/** The wider order of `004_…` (src/workflows/sagas004.ts): two independent branches, compensated level by level; with its outbox. */
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
} = sagaApi(fulfilmentSaga, { self: (): unknown => internal.examples.orderFulfilmentSaga, outbox: placementOutbox })
