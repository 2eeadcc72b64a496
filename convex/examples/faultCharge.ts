import { Workpool } from '@convex-dev/workpool'
import { serviceWorkItems, workflowApi } from '../../src'
import { withFaultSites } from '../../src/workflows/faultSites'
import { chargeWorkflow } from '../../src/workflows/charge'
import { components, internal } from '../_generated/api'

/**
 * The charge workflow (src/workflows/charge.ts) with a fault site on every callback
 * (src/workflows/faultSites.ts), for the tests of outcomes whose work item refuses them
 * (tests/integration/services-unapplied.test.ts): an armed `chargeItem.complete` throws in the complete action.
 */
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
} = workflowApi(withFaultSites(chargeWorkflow.build()), {
  self: (): unknown => internal.examples.faultCharge,
  services: serviceWorkItems({ pool: new Workpool(components.services, { maxParallelism: 3, logLevel: 'ERROR' }) }),
})
