import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'
import { Decisions } from '../domain/choices'
import { decisionTask, offeredTask } from './basics'

/**
 * Composite tasks (docs/semantics.md#composite-tasks): a fulfilment whose packing is a child
 * workflow, and a warehouse run whose fulfilments are child workflows in turn
 * (so packing is a grandchild there). Each root is exposed by a module in
 * convex/examples/; the child work items are driven through the root's
 * functions.
 */

/** The child: pick, then box. */
export const packingWorkflow = Builder.workflow('packing')
  .startCondition('start')
  .task('pick', offeredTask('pick'))
  .task('box', offeredTask('box'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pick'))
  .connectTask('pick', (to) => to.task('box'))
  .connectTask('box', (to) => to.condition('end'))

/** The activities of a composite task that starts one child (with the default initialize) when it is enabled. */
const startsOneChild = {
  onEnabled: async ({ workflow }: { workflow: { initialize(): Promise<unknown> } }) => {
    await workflow.initialize()
  },
}

/** A composite task that starts one packing child when it is enabled. */
const packTask = Builder.compositeTask(packingWorkflow).withActivities(startsOneChild)

/** `pack` (composite: one packing child), then `ship`. Default policy: a failed child fails `pack`. */
export const fulfilmentWorkflow = Builder.workflow('fulfilment')
  .startCondition('start')
  .compositeTask('pack', packTask)
  .task('ship', offeredTask('ship'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))

/**
 * The same, with a policy that stops a child's failure at `pack`: the
 * packing is given up and the order ships what it has (a compensation
 * decision would live in `onWorkflowStateChanged`).
 */
export const tolerantFulfilmentWorkflow = Builder.workflow('tolerantFulfilment')
  .startCondition('start')
  .compositeTask(
    'pack',
    packTask.withPolicy(({ transition }) => (transition.nextState === 'failed' ? 'complete' : undefined)),
  )
  .task('ship', offeredTask('ship'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))

/** Depth two: `run` starts a fulfilment child, whose `pack` starts a packing grandchild. */
export const warehouseWorkflow = Builder.workflow('warehouse')
  .startCondition('start')
  .compositeTask(
    'run',
    Builder.compositeTask(fulfilmentWorkflow).withActivities(startsOneChild),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('run'))
  .connectTask('run', (to) => to.condition('end'))

/**
 * A composite task in a loop: `pack` (one packing child per generation, XOR-join of `start` and
 * `again`) then `check`, which routes back to `again` or to the end. Each pass is a new generation
 * of `pack`; a request for a child of an older one is refused (`STALE_GENERATION`).
 */
export const repackingWorkflow = Builder.workflow('repacking')
  .startCondition('start')
  .condition('again')
  .compositeTask('pack', packTask.withJoinType('xor'))
  .task('check', decisionTask('check', ['again', 'done']))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pack'))
  .connectCondition('again', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.task('check'))
  .connectTask('check', (to) =>
    to
      .condition('again')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'check')) === 'again' ? route.toCondition('again') : route.toCondition('end'),
      ),
  )

/** How long the reminder of `reminderWorkflow` waits before its scheduled job runs. */
export const REMINDER_DELAY_MS = 60_000

/**
 * The grandchild of `supervisionWorkflow`: its `remind` work item schedules an activity-log entry
 * with `registerScheduled`, so the job belongs to the work item and dies with it.
 */
export const reminderWorkflow = Builder.workflow('reminder')
  .startCondition('start')
  .task(
    'remind',
    Builder.task(
      Builder.workItem('remind').withActions(
        Builder.workItemActions().initialize(z.never(), async ({ mutationCtx, workItem, registerScheduled }): Promise<void> => {
          await workItem.initialize()
          await registerScheduled(mutationCtx.scheduler.runAfter(REMINDER_DELAY_MS, internal.activityLog.append, { entry: 'reminder ran' }))
        }),
      ),
    ).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('remind'))
  .connectTask('remind', (to) => to.condition('end'))

/** The child of `supervisionWorkflow`: `remindAll` starts one reminder. */
export const teamWorkflow = Builder.workflow('team')
  .startCondition('start')
  .compositeTask('remindAll', Builder.compositeTask(reminderWorkflow).withActivities(startsOneChild))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('remindAll'))
  .connectTask('remindAll', (to) => to.condition('end'))

/**
 * Scheduled jobs die with any ancestor of the element that registered them: `kickoff` splits into
 * `oversee` (a team child, whose reminder grandchild has a pending job) and `close`. Completing
 * `close` reaches the end, which cancels `oversee` and everything below it; so does canceling the root.
 */
export const supervisionWorkflow = Builder.workflow('supervision')
  .startCondition('start')
  .dummyTask('kickoff', Builder.dummyTask())
  .compositeTask('oversee', Builder.compositeTask(teamWorkflow).withActivities(startsOneChild))
  .task('close', offeredTask('close'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('kickoff'))
  .connectTask('kickoff', (to) => to.task('oversee').task('close'))
  .connectTask('oversee', (to) => to.condition('end'))
  .connectTask('close', (to) => to.condition('end'))
