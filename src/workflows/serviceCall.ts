import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'

/** How long `call` waits for the provider before its timeout job fails it. */
export const SERVICE_TIMEOUT_MS = 10_000

/**
 * A service call with a timeout, in one step: `call`'s work item schedules the
 * provider call at once (0 ms, an action that reads and then completes the work
 * item) and a timeout after `SERVICE_TIMEOUT_MS` that fails it. Both jobs are
 * registered to the work item, so whichever finishes it first cancels the
 * other. On a real deployment the provider answers long before the timeout;
 * tests/testing/scheduled.test.ts shows that running scheduled functions in
 * time order reproduces that, and running every timer at once does not.
 */
const callWorkItem = Builder.workItem('call')
  .withActions(
    Builder.workItemActions().initialize(z.never(), async ({ mutationCtx, workItem, parent, registerScheduled }): Promise<void> => {
      const workItemId = await workItem.initialize()
      await registerScheduled(
        mutationCtx.scheduler.runAfter(0, internal.examples.serviceCall.callProvider, { workflowId: parent.workflow.id, workItemId }),
      )
      await registerScheduled(
        mutationCtx.scheduler.runAfter(SERVICE_TIMEOUT_MS, internal.examples.serviceCall.internalFailWorkItem, {
          workItemId,
          args: { name: 'call' },
        }),
      )
    }),
  )
  .withActivities({
    onInitialized: ({ workItem }) => {
      workItem.start()
    },
  })

export const serviceCallWorkflow = Builder.workflow('serviceCall')
  .startCondition('start')
  .task(
    'call',
    Builder.task(callWorkItem).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('call'))
  .connectTask('call', (to) => to.condition('end'))
