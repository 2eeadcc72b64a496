import { Workpool } from '@convex-dev/workpool'
import { sagaApi, serviceWorkItems } from '../../src'
import { orderSaga } from '../../src/workflows/sagas'
import { components, internal } from '../_generated/api'

/** `003_…`'s order saga (src/workflows/sagas.ts): its payment runs in the `services` work pool. */
export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalDeadlineReached,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  serviceRun,
  serviceComplete,
  serviceTimeout,
  getServiceCall,
  sagaStep,
  getSagaResult,
  cancelSaga,
} = sagaApi(orderSaga, {
  self: (): unknown => internal.examples.orderSaga,
  services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 3, logLevel: 'ERROR' }) }),
})
