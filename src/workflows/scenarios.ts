import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'
import { Decisions } from '../domain/choices'
import { ActivityLog } from '../domain/activityLog'
import { decisionTask, offeredTask } from './basics'

/**
 * Small workflows that set up the scenarios of docs/semantics.md#scenarios and the
 * engine's edge cases, for the integration tests. Each is exposed by a module
 * in convex/examples/.
 */

/**
 * Scenario 1: an XOR-join (`merge`) that receives a token from both parallel
 * branches. Each token fires it once: two generations of `merge`, one token
 * consumed each time (WCP-8 multi-merge).
 */
export const xorJoinTwiceWorkflow = Builder.workflow('xorJoinTwice')
  .startCondition('start')
  .dummyTask('split', Builder.dummyTask())
  .task('left', offeredTask('left'))
  .task('right', offeredTask('right'))
  .task('merge', offeredTask('merge').withJoinType('xor'))
  .task('review', offeredTask('review'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('left').task('right'))
  .connectTask('left', (to) => to.task('merge'))
  .connectTask('right', (to) => to.task('merge'))
  .connectTask('merge', (to) => to.task('review'))
  .connectTask('review', (to) => to.condition('end'))

/**
 * `sort` routes 'keep' to `archive`; its route throws on 'shred', standing in
 * for a route function with a bug. The test shows that the whole completion
 * rolls back: the decision the complete action recorded, the work item's and
 * the task's transitions, the tokens.
 */
export const faultyRouteWorkflow = Builder.workflow('faultyRoute')
  .startCondition('start')
  .task('sort', decisionTask('sort', ['keep', 'shred']))
  .task('archive', offeredTask('archive'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('sort'))
  .connectTask('sort', (to) =>
    to
      .task('archive')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) => {
        const choice = await Decisions.get(mutationCtx, parent.workflow.id, 'sort')
        if (choice === 'shred') throw new Error(`The route of 'sort' cannot handle '${choice}'.`)
        return route.toTask('archive')
      }),
  )
  .connectTask('archive', (to) => to.condition('end'))

/** How long the `wait` work item of `timeoutWorkflow` waits before its scheduled job completes it. */
export const WAIT_TIMEOUT_MS = 60_000

/**
 * `wait` offers one work item that starts at once and completes itself after
 * `WAIT_TIMEOUT_MS`: its initialize action schedules the completion with
 * `registerScheduled`, so the job is tied to the work item and is canceled if
 * the work item finishes (or is reset) first.
 */
const waitWorkItem = Builder.workItem('wait')
  .withActions(
    Builder.workItemActions().initialize(z.never(), async ({ mutationCtx, workItem, registerScheduled }): Promise<void> => {
      const workItemId = await workItem.initialize()
      await registerScheduled(
        mutationCtx.scheduler.runAfter(WAIT_TIMEOUT_MS, internal.examples.timeout.internalCompleteWorkItem, {
          workItemId,
          args: { name: 'wait' },
        }),
      )
    }),
  )
  .withActivities({
    onInitialized: ({ workItem }) => {
      workItem.start()
    },
  })

export const timeoutWorkflow = Builder.workflow('timeout')
  .startCondition('start')
  .task(
    'wait',
    Builder.task(waitWorkItem).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('wait'))
  .connectTask('wait', (to) => to.condition('end'))

/**
 * A deferred choice between a person and a timer (WCP-16 with an escalation):
 * `respond` is offered to a person; `escalate`'s work item schedules its own
 * start after `WAIT_TIMEOUT_MS` and completes as soon as it starts. Whichever
 * starts first takes the token; when `respond` wins, `escalate` is disabled
 * and its job, registered by its work item, is canceled with the work item.
 */
const escalateWorkItem = Builder.workItem('escalate')
  .withActions(
    Builder.workItemActions().initialize(z.never(), async ({ mutationCtx, workItem, registerScheduled }): Promise<void> => {
      const workItemId = await workItem.initialize()
      await registerScheduled(
        mutationCtx.scheduler.runAfter(WAIT_TIMEOUT_MS, internal.examples.escalation.internalStartWorkItem, {
          workItemId,
          args: { name: 'escalate' },
        }),
      )
    }),
  )
  .withActivities({
    onStarted: ({ workItem }) => {
      workItem.complete()
    },
  })

export const escalationWorkflow = Builder.workflow('escalation')
  .startCondition('start')
  .task('respond', offeredTask('respond'))
  .task(
    'escalate',
    Builder.task(escalateWorkItem).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('respond').task('escalate'))
  .connectTask('respond', (to) => to.condition('end'))
  .connectTask('escalate', (to) => to.condition('end'))

/**
 * `review` offers two work items and completes on the first completion; its
 * `onWorkItemStateChanged` offers a replacement whenever a work item is
 * canceled. When the task completes, the other work item is torn down: the
 * hook runs, but the task is already completed, so the replacement is refused
 * (a finished task never gets a new work item).
 */
export const replacementWorkflow = Builder.workflow('replacement')
  .startCondition('start')
  .task(
    'review',
    Builder.task(Builder.workItem('review'))
      .withActivities({
        onEnabled: async ({ workItem }) => {
          await workItem.initialize()
          await workItem.initialize()
        },
        onWorkItemStateChanged: async ({ workItem }) => {
          if (workItem.nextState === 'canceled') await workItem.initialize()
        },
      })
      .withPolicy(({ transition }) => (transition.nextState === 'completed' ? 'complete' : 'continue')),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('review'))
  .connectTask('review', (to) => to.condition('end'))

/**
 * Inline compensation at the task level (docs/compensation.md, pattern 1, with a task's `onCanceled`):
 * `hold`'s `onCanceled` reads `workItem.id`, the work item whose hold it releases. `idle` never
 * offers a work item, yet its `onCanceled` reads `workItem.id` too: that read is refused.
 */
export const taskTeardownWorkflow = Builder.workflow('taskTeardown')
  .startCondition('start')
  .task(
    'hold',
    offeredTask('hold').withActivities({
      onCanceled: async ({ mutationCtx, workItem }) => {
        await ActivityLog.append(mutationCtx, `hold.onCanceled releases ${workItem.id}`)
      },
    }),
  )
  .task(
    'idle',
    Builder.task(Builder.workItem('idle')).withActivities({
      onCanceled: async ({ mutationCtx, workItem }) => {
        await ActivityLog.append(mutationCtx, `idle.onCanceled releases ${workItem.id}`)
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('hold').task('idle'))
  .connectTask('hold', (to) => to.condition('end'))
  .connectTask('idle', (to) => to.condition('end'))

/**
 * WCP-25 cancel region (and WCP-19 cancel task): `split` opens four branches.
 * When `decide` completes, its region cancels `pack` and `label` (whichever is
 * enabled or started), leaves `pick` alone if it has completed, empties `picked`
 * and `toLabel`; `ship`, enabled only by `picked`, loses its enabling and is
 * disabled. Then `decide` routes to `wrapUp`. The teardown activities log.
 */
const logged = <Name extends string>(name: Name) =>
  offeredTask(name).withActivities({
    onCanceled: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, `${name}.onCanceled`),
    onDisabled: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, `${name}.onDisabled`),
    onCompleted: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, `${name}.onCompleted`),
  })

export const cancelRegionWorkflow = Builder.workflow('cancelRegion')
  .startCondition('start')
  .dummyTask('split', Builder.dummyTask())
  .task('decide', logged('decide'))
  .task('pick', logged('pick'))
  .task('pack', logged('pack'))
  .task('label', logged('label'))
  .task('ship', logged('ship'))
  .task('wrapUp', logged('wrapUp'))
  .condition('picked')
  .condition('toLabel')
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('decide').task('pick').task('pack').condition('toLabel'))
  .connectCondition('toLabel', (to) => to.task('label'))
  .connectTask('pick', (to) => to.condition('picked'))
  .connectCondition('picked', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))
  .connectTask('pack', (to) => to.condition('end'))
  .connectTask('label', (to) => to.condition('end'))
  .connectTask('decide', (to) => to.task('wrapUp'))
  .connectTask('wrapUp', (to) => to.condition('end'))
  .withCancellationRegion('decide', (r) =>
    r.task('decide').task('pick').task('pack').task('label').condition('picked').condition('toLabel'),
  )

/**
 * A race between finishing and stopping, with regions that name task-to-task
 * flows: `stop` cancels `prep` and `use` and, through `.flow(...)`, empties
 * the implicit conditions in front of them, so canceling an enabled task leaves
 * no token behind; `use`, if it finishes first, withdraws `stop` and `wrapUp`
 * the same way. Whichever wins, the workflow ends with nothing left over.
 */
export const cancelRegionFlowWorkflow = Builder.workflow('cancelRegionFlow')
  .startCondition('start')
  .dummyTask('split', Builder.dummyTask())
  .task('prep', offeredTask('prep'))
  .task('use', offeredTask('use'))
  .task('stop', offeredTask('stop'))
  .task('wrapUp', offeredTask('wrapUp'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('prep').task('stop'))
  .connectTask('prep', (to) => to.task('use'))
  .connectTask('use', (to) => to.condition('end'))
  .connectTask('stop', (to) => to.task('wrapUp'))
  .connectTask('wrapUp', (to) => to.condition('end'))
  .withCancellationRegion('stop', (r) => r.task('prep').task('use').flow('split', 'prep').flow('prep', 'use'))
  .withCancellationRegion('use', (r) => r.task('stop').task('wrapUp').flow('split', 'stop').flow('stop', 'wrapUp'))

/**
 * Scenario 7: `notify` is an OR-split whose route reads the recorded decision
 * and returns the channels it names — none, one, both, or (by mistake) a task
 * that is not one of its outgoing flows. `email` and `sms` merge at the
 * XOR-join `close`.
 */
export const orSplitRouteWorkflow = Builder.workflow('orSplitRoute')
  .startCondition('start')
  .task('notify', decisionTask('notify', ['none', 'email', 'both', 'unconnected']).withSplitType('or'))
  .task('email', offeredTask('email'))
  .task('sms', offeredTask('sms'))
  .task('close', offeredTask('close').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('notify'))
  .connectTask('notify', (to) =>
    to
      .task('email')
      .task('sms')
      .route(async ({ mutationCtx, parent, route }) => {
        const choice = await Decisions.get(mutationCtx, parent.workflow.id, 'notify')
        if (choice === 'none') return []
        if (choice === 'email') return [route.toTask('email')]
        if (choice === 'both') return [route.toTask('email'), route.toTask('sms')]
        // A target that is not an outgoing flow, as a route with a bug could return at run time.
        return [{ kind: 'task', name: 'close' } as unknown as ReturnType<typeof route.toTask>]
      }),
  )
  .connectTask('email', (to) => to.task('close'))
  .connectTask('sms', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))
