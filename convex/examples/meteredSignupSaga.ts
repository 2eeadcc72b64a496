import { sagaApi, workflowMetrics } from '../../src'
import { meteredSignupSaga } from '../../src/workflows/sagas'
import { components, internal } from '../_generated/api'

/** The signup saga of src/workflows/sagas.ts with metrics (the engine's per task, and the saga's own: getSagaMetrics) and log lines. */
export const {
  internalInitializeRootWorkflow,
  internalStartWorkItem,
  getWorkflow,
  getWorkItems,
  getEvents,
  sagaStep,
  getSagaResult,
  getSagaMetrics,
  getMetrics,
  cancelSaga,
} = sagaApi(meteredSignupSaga, {
  self: (): unknown => internal.examples.meteredSignupSaga,
  log: true,
  metrics: workflowMetrics({ shardedCounter: components.shardedCounter, shards: 4 }),
})
