/**
 * An equipment rental, written for the compatibility tests: a small app that
 * uses the API shapes the compensation guide (docs/compensation.md) teaches,
 * each once, and writes what every callback saw into the activity log so a
 * test can tell that the shape still carries what it promises.
 *
 *   start → holdEquipment → takeDeposit → decide ─XOR─→ end
 *                                           └→ refundDeposit → returnEquipment → end
 *
 * It is not a module of convex/: tests/compat/compensation.test.ts hands
 * `rentalModule` to convex-test as `convex/compatRental.ts` (see
 * `RENTAL_MODULE`), so the committed convex/_generated stays as it is. Its
 * function references are made by name for the same reason.
 */
import { makeFunctionReference } from 'convex/server'
import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { internalMutation } from '../../convex/_generated/server'
import { Builder, vWorkItemId, workflowApi, type WorkflowId, type WorkItemId } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import type { driver } from '../support/harness'

/** The module path convex-test serves this file under, and the prefix of its function names. */
export const RENTAL_MODULE = 'compatRental'

const settleRefundRef = makeFunctionReference<'mutation', { workItemId: WorkItemId }>(`${RENTAL_MODULE}:settleRefund`)
const completeRef = makeFunctionReference<'mutation', { workItemId: WorkItemId; args: { name: 'refundDeposit'; payload: { receipt: string } } }>(
  `${RENTAL_MODULE}:internalCompleteWorkItem`,
)

type Ctx = Parameters<typeof ActivityLog.append>[0]

/** The rental's domain state lives in the activity log: a deposit is owed back once `deposit-kept:<workflow>` is logged. */
const Deposits = {
  async depositWasTaken(ctx: Ctx, workflowId: WorkflowId): Promise<boolean> {
    return (await ActivityLog.entries(ctx)).includes(`deposit-kept:${workflowId}`)
  },
  async isCompensating(ctx: Ctx, workflowId: WorkflowId): Promise<boolean> {
    return (await ActivityLog.entries(ctx)).includes(`compensating:${workflowId}`)
  },
}

/** Task activities that offer one work item (with no initialize payload) each time the task is enabled. */
const offerOnEnable = {
  onEnabled: async ({ workItem }: { workItem: { initialize(): Promise<WorkItemId> } }) => {
    await workItem.initialize()
  },
}

/** Work item activities whose triggers start the item as soon as it is offered and complete it once started. */
const runsItself = {
  onInitialized: ({ workItem }: { workItem: { start(payload: Record<string, never>): void } }) => {
    workItem.start({})
  },
  onStarted: ({ workItem }: { workItem: { complete(payload: Record<string, never>): void } }) => {
    workItem.complete({})
  },
}

/** Custom initialize with a payload; complete with no payload; the task releases what a canceled or failed item held. */
const holdWorkItem = Builder.workItem('holdEquipment').withActions(
  Builder.workItemActions()
    .initialize(z.object({ item: z.string(), units: z.number() }), async ({ mutationCtx, workItem }, payload) => {
      const workItemId = await workItem.initialize()
      await ActivityLog.append(mutationCtx, `hold:${payload.item}x${payload.units}:${workItemId}`)
    })
    .complete(z.never(), async ({ mutationCtx, workItem }) => {
      await ActivityLog.append(mutationCtx, `hold-confirmed:${workItem.id}`)
      await workItem.complete()
    }),
)
const holdTask = Builder.task(holdWorkItem).withActivities({
  onEnabled: async ({ workItem }) => {
    await workItem.initialize({ item: 'kayak', units: 2 })
  },
  onWorkItemStateChanged: async ({ mutationCtx, workItem }) => {
    if (workItem.nextState === 'canceled' || workItem.nextState === 'failed') {
      await ActivityLog.append(mutationCtx, `hold-released:${workItem.nextState}:${workItem.id}`)
    }
  },
})

/**
 * The deposit: a failure is scheduled an alert straight from the work item's
 * `onFailed` (it must outlive the item), the task marks the rental for
 * compensation, and its policy turns the failure into a completion when a
 * deposit was taken, or lets it through.
 */
const depositWorkItem = Builder.workItem('takeDeposit').withActivities({
  onFailed: async ({ mutationCtx, workItem }) => {
    await mutationCtx.scheduler.runAfter(0, internal.activityLog.append, { entry: `alert:${workItem.id}` })
  },
})
const depositTask = Builder.task(depositWorkItem).withActivities({
  ...offerOnEnable,
  onWorkItemStateChanged: async ({ mutationCtx, workItem, task, parent }) => {
    if (workItem.nextState === 'failed') {
      await ActivityLog.append(mutationCtx, `compensating:${parent.workflow.id}`)
      await ActivityLog.append(mutationCtx, `failed-in:${task.name}#${task.generation}`)
    }
  },
  onFailed: async ({ mutationCtx, parent }) => {
    await ActivityLog.append(mutationCtx, `deposit-task-failed:${parent.workflow.id}`)
  },
})

/** Starts and completes itself, then the XOR-split reads the domain to route. */
const decideTask = Builder.task(Builder.workItem('decide').withActivities(runsItself))
  .withSplitType('xor')
  .withActivities({
    onEnabled: async ({ workItem }) => {
      await workItem.initialize({})
    },
  })

/**
 * The refund is settled by a scheduled job tied to the work item, which
 * completes it through the internal mutation; the item starts itself so the
 * job finds it started.
 */
const refundWorkItem = Builder.workItem('refundDeposit')
  .withActions(
  Builder.workItemActions()
    .initialize(z.never(), async ({ mutationCtx, workItem, parent, registerScheduled }) => {
      const workItemId = await workItem.initialize()
      await ActivityLog.append(mutationCtx, `refund-requested:${parent.workflow.id}:${workItemId}`)
      await registerScheduled(mutationCtx.scheduler.runAfter(0, settleRefundRef, { workItemId }))
    })
    .complete(z.object({ receipt: z.string() }), async ({ mutationCtx, workItem }, payload) => {
      await ActivityLog.append(mutationCtx, `refunded:${payload.receipt}:${workItem.id}`)
      await workItem.complete()
    }),
  )
  .withActivities({
    onInitialized: ({ workItem }) => {
      workItem.start()
    },
  })
const refundTask = Builder.task(refundWorkItem).withActivities(offerOnEnable)

/** Actions first, then activities that trigger the item's own start and completion. */
const returnWorkItem = Builder.workItem('returnEquipment')
  .withActions(
    Builder.workItemActions().initialize(z.never(), async ({ mutationCtx, workItem, parent }) => {
      await workItem.initialize()
      await ActivityLog.append(mutationCtx, `returned:${parent.workflow.id}`)
    }),
  )
  .withActivities(runsItself)
const returnTask = Builder.task(returnWorkItem).withActivities(offerOnEnable)

export const rentalWorkflow = Builder.workflow('rental')
  .withActions(
    Builder.workflowActions().initialize(
      z.object({ customer: z.string(), deposit: z.number() }),
      async ({ mutationCtx, workflow }, payload) => {
        const workflowId = await workflow.initialize()
        await ActivityLog.append(mutationCtx, `opened:${payload.customer}:${workflowId}`)
        if (payload.deposit > 0) await ActivityLog.append(mutationCtx, `deposit-kept:${workflowId}`)
      },
    ),
  )
  .startCondition('start')
  // A task builder extended where the workflow declares it: a task-level teardown activity reading workItem.id.
  .task(
    'holdEquipment',
    holdTask.withActivities({
      onCanceled: async ({ mutationCtx, workItem }) => {
        await ActivityLog.append(mutationCtx, `hold-task-canceled:${workItem.id}`)
      },
    }),
  )
  // A policy added where the workflow declares the task; it returns nothing on the normal path (the default decides).
  .task(
    'takeDeposit',
    depositTask.withPolicy(async ({ transition, task, mutationCtx, parent }) => {
      if (transition.nextState === 'failed') {
        return (await Deposits.depositWasTaken(mutationCtx, parent.workflow.id)) ? 'complete' : 'fail'
      }
      const stats = await task.getStats()
      await ActivityLog.append(mutationCtx, `deposit-stats:${stats.completed}/${stats.total}`)
    }),
  )
  .task('decide', decideTask)
  .task('refundDeposit', refundTask)
  .task('returnEquipment', returnTask)
  .endCondition('end')
  .connectCondition('start', (to) => to.task('holdEquipment'))
  .connectTask('holdEquipment', (to) => to.task('takeDeposit'))
  .connectTask('takeDeposit', (to) => to.task('decide'))
  .connectTask('decide', (to) =>
    to
      .task('refundDeposit')
      .condition('end')
      .route(async ({ mutationCtx, route, parent }) =>
        (await Deposits.isCompensating(mutationCtx, parent.workflow.id)) ? route.toTask('refundDeposit') : route.toCondition('end'),
      ),
  )
  .connectTask('refundDeposit', (to) => to.task('returnEquipment'))
  .connectTask('returnEquipment', (to) => to.condition('end'))

/** The payment provider settles a refund and calls the engine back, as a scheduled function. */
export const settleRefund = internalMutation({
  args: { workItemId: vWorkItemId },
  handler: async (ctx, { workItemId }): Promise<null> => {
    await ctx.runMutation(completeRef, { workItemId, args: { name: 'refundDeposit', payload: { receipt: 'rcpt-1' } } })
    return null
  },
})

/** The module convex-test serves as `convex/${RENTAL_MODULE}.ts`: the generated functions and the refund job. */
export const rentalModule = { ...workflowApi(rentalWorkflow), settleRefund }

/** The references a test drives this module with (see tests/support/harness.ts `driver`), made by name. */
export const rentalFunctions = Object.fromEntries(
  Object.keys(rentalModule).map((name) => [name, makeFunctionReference<any, any, any>(`${RENTAL_MODULE}:${name}`)]),
) as unknown as Parameters<typeof driver>[1]
