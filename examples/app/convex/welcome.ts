import { Workpool } from '@convex-dev/workpool'
import { serviceWorkItems, workflowApi } from 'tasknet'
import { welcomeWorkflow } from '../src/workflows/welcome.js'
import { components, internal } from './_generated/api.js'

// The welcome workflow's functions. `self` names this module, where the engine finds the service
// functions it queues; `services` is the work pool of convex/convex.config.ts that runs the attempts.
export const {
  internalInitializeRootWorkflow,
  internalCancelRootWorkflow,
  internalStartWorkItem,
  internalCompleteWorkItem,
  internalFailWorkItem,
  internalCancelWorkItem,
  internalResetWorkItem,
  getWorkflow,
  getWorkItems,
  getWorkflowTaskStates,
  getMarking,
  serviceRun,
  serviceComplete,
  serviceTimeout,
  getServiceCall,
} = workflowApi(welcomeWorkflow, {
  self: (): unknown => internal.welcome,
  services: serviceWorkItems({ pool: new Workpool(components.mailer, { maxParallelism: 5, logLevel: 'ERROR' }) }),
})
