import { Workpool } from '@convex-dev/workpool'
import { serviceWorkItems, workflowApi } from '../../src'
import { serviceOrderWorkflow } from '../../src/workflows/serviceOrder'
import { components, internal } from '../_generated/api'

/**
 * The service order (src/workflows/serviceOrder.ts): its payment and refund run in the `services`
 * work pool of convex/convex.config.ts. `self` names this module, where the attempts (`serviceRun`),
 * their completions (`serviceComplete`) and timeouts (`serviceTimeout`) are found.
 */
// logLevel 'ERROR': the pool's periodic reports would fill the output.
export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  getWorkflow,
  getWorkflowTaskStates,
  getWorkItems,
  getMarking,
  getEvents,
  serviceRun,
  serviceComplete,
  serviceTimeout,
  getServiceCall,
} = workflowApi(serviceOrderWorkflow, {
  self: () => internal.examples.serviceOrder,
  services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 3, logLevel: 'ERROR' }) }),
})
