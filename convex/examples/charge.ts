import { Workpool } from '@convex-dev/workpool'
import { serviceWorkItems, workflowApi } from '../../src'
import { chargeWorkflow } from '../../src/workflows/charge'
import { components, internal } from '../_generated/api'

/**
 * The charge workflow (src/workflows/charge.ts): its service work item runs in the `services` work pool
 * of convex/convex.config.ts, at most 3 attempts at a time. `self` names this module, where the
 * attempts (`serviceRun`), their completions (`serviceComplete`) and timeouts (`serviceTimeout`) are found.
 */
// logLevel 'ERROR': the pool's periodic reports would fill the test output.
export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  internalResetWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  serviceRun,
  serviceComplete,
  serviceTimeout,
  getServiceCall,
} = workflowApi(chargeWorkflow, {
  self: () => internal.examples.charge,
  services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 3, logLevel: 'ERROR' }) }),
})
