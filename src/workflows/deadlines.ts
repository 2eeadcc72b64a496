import { z } from 'zod'
import { Builder } from '../builder'
import { ActivityLog } from '../domain/activityLog'
import { offeredTask } from './basics'

/**
 * Workflows with deadlines and timers (docs/api.md#deadlines-and-timers), for
 * tests/integration/deadlines.test.ts. Each is exposed by a module in convex/examples/.
 */

const HOUR = 60 * 60 * 1000

/** How long a `quote` workflow stays open before its deadline cancels it. */
export const QUOTE_VALIDITY_MS = 7 * 24 * HOUR

/** A quote the customer accepts (`accept`) within its validity, or it is canceled with everything in it. */
export const quoteWorkflow = Builder.workflow('quote')
  .startCondition('start')
  .task('accept', offeredTask('accept'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('accept'))
  .connectTask('accept', (to) => to.condition('end'))
  .deadline({ after: QUOTE_VALIDITY_MS, onExpiry: 'cancel' })

const DAY = 24 * HOUR

/**
 * An offer valid for as many days as its payload says, computed when the workflow is initialized: `after`
 * reads the initialize payload (no `validDays`: no deadline, the offer stays open until accepted).
 */
export const offerWorkflow = Builder.workflow('offer')
  .withActions(
    Builder.workflowActions().initialize(z.object({ validDays: z.number().positive().optional() }), async ({ workflow }) => {
      await workflow.initialize()
    }),
  )
  .startCondition('start')
  .task('accept', offeredTask('accept'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('accept'))
  .connectTask('accept', (to) => to.condition('end'))
  .deadline({ after: ({ payload }) => (payload.validDays === undefined ? undefined : payload.validDays * DAY), onExpiry: 'cancel' })

/** How long the first reviewer has before the review is escalated to `MANAGER`. */
export const REVIEW_DEADLINE_MS = 24 * HOUR
export const MANAGER = 'manager'

/**
 * The YAWL deadline-escalation pattern: `review` is offered to a clerk; if its deadline passes first,
 * the task offers a second `review` work item to the manager, whose own has no deadline. With
 * `withdraw`, the clerk's work item is canceled (handed over); without, it stays, and whoever
 * completes first completes the task (its policy), the other work item then canceled by teardown.
 */
function reviewWorkflow<Name extends string>(name: Name, withdraw: boolean) {
  const review = Builder.workItem('review')
    .withActions(
      Builder.workItemActions().initialize(z.object({ assignee: z.string() }), async ({ mutationCtx, workItem }, { assignee }) => {
        await workItem.initialize()
        await ActivityLog.append(mutationCtx, `review offered to ${assignee}`)
      }),
    )
    .deadline({
      after: ({ payload }) => (payload.assignee === MANAGER ? undefined : REVIEW_DEADLINE_MS),
      onExpiry: async ({ mutationCtx, workItem, task }) => {
        await ActivityLog.append(mutationCtx, `review ${workItem.state} past its deadline: escalated`)
        await task.initializeWorkItem({ assignee: MANAGER })
        if (withdraw) await workItem.cancel()
      },
    })
  return Builder.workflow(name)
    .startCondition('start')
    .task(
      'review',
      Builder.task(review)
        .withActivities({
          onEnabled: async ({ workItem }) => {
            await workItem.initialize({ assignee: 'clerk' })
          },
        })
        .withPolicy(({ transition }) => (transition.nextState === 'completed' ? 'complete' : undefined)),
    )
    .endCondition('end')
    .connectCondition('start', (to) => to.task('review'))
    .connectTask('review', (to) => to.condition('end'))
}

export const escalatedReviewWorkflow = reviewWorkflow('escalatedReview', false)
export const handedOverReviewWorkflow = reviewWorkflow('handedOverReview', true)

/** How long `approve` may take before its deadline fails it. */
export const APPROVAL_DEADLINE_MS = 2 * HOUR

/** `approve` fails when its deadline passes; the task's policy logs what it was asked and leaves the default (fail). */
export const approvalWorkflow = Builder.workflow('approval')
  .startCondition('start')
  .task(
    'approve',
    Builder.task(Builder.workItem('approve').deadline({ after: APPROVAL_DEADLINE_MS, onExpiry: 'fail' }))
      .withActivities({
        onEnabled: async ({ workItem }) => {
          await workItem.initialize()
        },
      })
      .withPolicy(async ({ mutationCtx, transition }) => {
        await ActivityLog.append(mutationCtx, `policy asked: ${transition.prevState} -> ${transition.nextState}`)
      }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('approve'))
  .connectTask('approve', (to) => to.condition('end'))

/** How long each `attempt` of `retrying` may take before its deadline completes it. */
export const ATTEMPT_DEADLINE_MS = 60_000

/** A loop: `attempt` runs twice (its route reads the generation), each generation's work item with its own deadline. */
export const retryingWorkflow = Builder.workflow('retrying')
  .startCondition('start')
  .condition('again')
  .task(
    'attempt',
    Builder.task(Builder.workItem('attempt').deadline({ after: ATTEMPT_DEADLINE_MS, onExpiry: 'complete' }))
      .withJoinType('xor')
      .withSplitType('xor')
      .withActivities({
        onEnabled: async ({ workItem }) => {
          await workItem.initialize()
        },
      }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('attempt'))
  .connectCondition('again', (to) => to.task('attempt'))
  .connectTask('attempt', (to) =>
    to
      .condition('again')
      .condition('end')
      .route(({ task, route }) => (task.generation < 2 ? route.toCondition('again') : route.toCondition('end'))),
  )

/** How long `coolOff` waits. */
export const COOL_OFF_MS = 30_000

/**
 * Two timers in a row: `coolOff` completes `COOL_OFF_MS` after it is enabled, `remind` at the instant
 * the workflow's initialize payload put into the app's data (`remind at <ms>` in the activity log).
 */
export const timersWorkflow = Builder.workflow('timers')
  .withActions(
    Builder.workflowActions().initialize(z.object({ remindAt: z.number() }), async ({ mutationCtx, workflow }, { remindAt }) => {
      await workflow.initialize()
      await ActivityLog.append(mutationCtx, `remind at ${remindAt}`)
    }),
  )
  .startCondition('start')
  .task('coolOff', Builder.timerTask({ after: COOL_OFF_MS }))
  .task('remind', Builder.timerTask({ at: async ({ mutationCtx }) => remindAt(await ActivityLog.entries(mutationCtx)) }))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('coolOff'))
  .connectTask('coolOff', (to) => to.task('remind'))
  .connectTask('remind', (to) => to.condition('end'))

function remindAt(entries: string[]): number | undefined {
  const entry = entries.findLast((e) => e.startsWith('remind at '))
  return entry === undefined ? undefined : Number(entry.slice('remind at '.length))
}

/** How long `collect` gathers quotes. */
export const TENDER_DEADLINE_MS = 2 * 24 * HOUR

/**
 * A task deadline: `collect` offers three `quote` work items when enabled and, by the default policy,
 * waits for all three; its deadline ends it after `TENDER_DEADLINE_MS` with what is in by then
 * (`complete`: the others are canceled and the workflow goes on), or `fail`s it.
 */
function tenderWorkflow<Name extends string>(name: Name, onExpiry: 'complete' | 'fail') {
  return Builder.workflow(name)
    .startCondition('start')
    .task(
      'collect',
      Builder.task(Builder.workItem('quote'))
        .withActivities({
          onEnabled: async ({ workItem }) => {
            for (let i = 0; i < 3; i++) await workItem.initialize()
          },
        })
        .deadline({ after: TENDER_DEADLINE_MS, onExpiry }),
    )
    .endCondition('end')
    .connectCondition('start', (to) => to.task('collect'))
    .connectTask('collect', (to) => to.condition('end'))
}

export const tenderWorkflowCompleting = tenderWorkflow('tender', 'complete')
export const tenderWorkflowFailing = tenderWorkflow('strictTender', 'fail')

/** How long a `negotiation` child runs before its deadline's callback cancels it. */
export const NEGOTIATION_DEADLINE_MS = 3 * 24 * HOUR

/** A child workflow with a deadline whose callback logs and cancels it. */
export const negotiationWorkflow = Builder.workflow('negotiation')
  .startCondition('start')
  .task('offer', offeredTask('offer'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('offer'))
  .connectTask('offer', (to) => to.condition('end'))
  .deadline({
    after: NEGOTIATION_DEADLINE_MS,
    onExpiry: async ({ mutationCtx, workflow }) => {
      await ActivityLog.append(mutationCtx, `negotiation ${workflow.state} past its deadline: canceled`)
      await workflow.cancel()
    },
  })

/**
 * `negotiate` (composite: one negotiation child), then `sign`. When the child's deadline cancels it, the
 * composite task hears of it as of a cancel command: the default policy completes `negotiate` (every child
 * is final) and `sign` is offered.
 */
export const contractWorkflow = Builder.workflow('contract')
  .startCondition('start')
  .compositeTask(
    'negotiate',
    Builder.compositeTask(negotiationWorkflow).withActivities({
      onEnabled: async ({ workflow }) => {
        await workflow.initialize()
      },
    }),
  )
  .task('sign', offeredTask('sign'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('negotiate'))
  .connectTask('negotiate', (to) => to.task('sign'))
  .connectTask('sign', (to) => to.condition('end'))

/** How long `negotiate` of `quickContract` waits for its child before going on without it. */
export const QUICK_NEGOTIATION_MS = 24 * HOUR

/**
 * A composite task's deadline, earlier than its child's own: `complete` cancels the running negotiation
 * top-down (its own deadline job with it) and `sign` is offered.
 */
export const quickContractWorkflow = Builder.workflow('quickContract')
  .startCondition('start')
  .compositeTask(
    'negotiate',
    Builder.compositeTask(negotiationWorkflow)
      .withActivities({
        onEnabled: async ({ workflow }) => {
          await workflow.initialize()
        },
      })
      .deadline({ after: QUICK_NEGOTIATION_MS, onExpiry: 'complete' }),
  )
  .task('sign', offeredTask('sign'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('negotiate'))
  .connectTask('negotiate', (to) => to.task('sign'))
  .connectTask('sign', (to) => to.condition('end'))
