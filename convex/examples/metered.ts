import { workflowApi, workflowMetrics } from '../../src'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { components } from '../_generated/api'

/**
 * The sequence workflow with logs and metrics on: one JSON line per step in the function log, and
 * outcomes and durations per workflow and task in the sharded counter installed in convex.config.ts.
 * Four shards keep the tests' reads small.
 */
export const {
  initializeRootWorkflow,
  cancelRootWorkflow,
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  internalResetWorkItem,
  internalInitializeWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  getMetrics,
} = workflowApi(sequenceWorkflow, { log: true, metrics: workflowMetrics({ shardedCounter: components.shardedCounter, shards: 4 }) })
