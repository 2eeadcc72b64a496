import { z } from 'zod'
import { Builder } from '../builder'
import type { MutationCtx, ParentWorkflow, Policy, TaskActivities, WorkItemSchemas } from '../builder/contexts'
import { instancePolicy } from '../builder/instancePolicies'
import { ActivityLog } from '../domain/activityLog'
import { Decisions } from '../domain/choices'
import { offeredTask } from './basics'
import { recordedTaskActivities, recordedWorkItemActivities } from './propagation'

/**
 * Small nets for the multiple-instance patterns of the workflow patterns
 * catalogue (Russell et al., BPM-06-22, 2006): WCP-12, 13, 14, 15, 26, 27, 34,
 * 35 and 36. A multiple-instance task is an atomic task with several work items
 * in one generation — its instances — and a policy from `instancePolicy`
 * (src/builder/instancePolicies.ts) that says when it completes. Each net is
 * exposed by a module in convex/patterns/ and driven by
 * tests/patterns/wcp-NN-*.test.ts.
 *
 * The multiple-instance task logs its activities and every policy call with
 * its decision (src/domain/activityLog.ts), so a test can show that a
 * teardown asks no policy; the tasks around it are plain `offeredTask`s.
 */

/** Asks `policy` and logs the call as `<task>.policy(prev→next): decision`. */
function loggedPolicy(taskName: string, policy: Policy): Policy {
  return async (ctx) => {
    const decision = await policy(ctx)
    await ActivityLog.append(ctx.mutationCtx, `${taskName}.policy(${ctx.transition.prevState}→${ctx.transition.nextState}): ${decision ?? 'default'}`)
    return decision
  }
}

/** The logging activities of `recordedTaskActivities`, with `onEnabled` offering `instances` work items. */
function instanceActivities<S extends WorkItemSchemas>(taskName: string, instances: (ctx: { mutationCtx: MutationCtx; parent: ParentWorkflow }) => Promise<number> | number): TaskActivities<S> {
  return {
    ...recordedTaskActivities<S>(taskName, 0),
    onEnabled: async (ctx) => {
      await ActivityLog.append(ctx.mutationCtx, `${taskName}.onEnabled`)
      const count = await instances(ctx)
      for (let i = 0; i < count; i++) await (ctx.workItem.initialize as () => Promise<unknown>)()
    },
  }
}

/** A multiple-instance task: `instances` work items offered on enabling, activities and policy calls logged. */
function multipleInstanceTask<Name extends string>(name: Name, instances: number, policy: Policy) {
  return Builder.task(Builder.workItem(name).withActivities(recordedWorkItemActivities(name)))
    .withActivities(instanceActivities(name, () => instances))
    .withPolicy(loggedPolicy(name, policy))
}

/**
 * WCP-12 multiple instances without synchronization: the workflow is
 * initialized with a number of instances (`{ count }`), recorded as case data
 * (the decision `instances.count`). `spawn` AND-splits into two branches. On
 * one, `instances` reads the count when it is enabled and offers one work item
 * per instance; they run independently, and `instancePolicy.all()` (the
 * default policy, spelled out) completes the task once every one is final,
 * which marks `instancesDone`. On the other, `carryOn` — the thread of control
 * that created the instances — goes on at once and marks `carriedOn`. Nothing
 * waits for the instances but the end: a workflow completes only through its
 * end condition (tasknet has no implicit termination, WCP-11), so `finish`
 * AND-joins both branches and leads to `end`. At least one instance: a task
 * with no work item would never start.
 */
export const multipleInstancesWithoutSynchronizationWorkflow = Builder.workflow('multipleInstancesWithoutSynchronization')
  .withActions(
    Builder.workflowActions().initialize(z.object({ count: z.number().int().min(1) }), async ({ mutationCtx, workflow }, payload) => {
      const workflowId = await workflow.initialize()
      await Decisions.record(mutationCtx, workflowId, 'instances.count', String(payload.count))
    }),
  )
  .startCondition('start')
  .task('spawn', offeredTask('spawn'))
  .task(
    'instances',
    Builder.task(Builder.workItem('instances').withActivities(recordedWorkItemActivities('instances')))
      .withActivities(
        instanceActivities('instances', async ({ mutationCtx, parent }) => Number(await Decisions.get(mutationCtx, parent.workflow.id, 'instances.count'))),
      )
      .withPolicy(loggedPolicy('instances', instancePolicy.all())),
  )
  .task('carryOn', offeredTask('carryOn'))
  .condition('instancesDone')
  .condition('carriedOn')
  .task('finish', offeredTask('finish').withJoinType('and'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('spawn'))
  .connectTask('spawn', (to) => to.task('instances').task('carryOn'))
  .connectTask('instances', (to) => to.condition('instancesDone'))
  .connectTask('carryOn', (to) => to.condition('carriedOn'))
  .connectCondition('instancesDone', (to) => to.task('finish'))
  .connectCondition('carriedOn', (to) => to.task('finish'))
  .connectTask('finish', (to) => to.condition('end'))

/** WCP-13: how many signatures a contract needs, fixed in the model. */
export const SIGNATURES = 3

/**
 * WCP-13 multiple instances with a priori design-time knowledge: `sign` offers
 * `SIGNATURES` work items when it is enabled, and `instancePolicy.all()` (the
 * default policy, spelled out) completes it once every one has completed;
 * then `archive`.
 */
export const multipleInstancesDesignTimeWorkflow = Builder.workflow('multipleInstancesDesignTime')
  .startCondition('start')
  .task('sign', multipleInstanceTask('sign', SIGNATURES, instancePolicy.all()))
  .task('archive', offeredTask('archive'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('sign'))
  .connectTask('sign', (to) => to.task('archive'))
  .connectTask('archive', (to) => to.condition('end'))

/**
 * WCP-14 multiple instances with a priori run-time knowledge: the workflow is
 * initialized with the number of order lines (`{ lines }`), recorded as case
 * data (the decision `lines`). `pick` reads it when it is enabled and offers
 * one work item per line; `instancePolicy.all()` completes it once all are
 * done; then `ship`. At least one line: a task with no work item would never
 * start.
 */
export const multipleInstancesRunTimeWorkflow = Builder.workflow('multipleInstancesRunTime')
  .withActions(
    Builder.workflowActions().initialize(z.object({ lines: z.number().int().min(1) }), async ({ mutationCtx, workflow }, payload) => {
      const workflowId = await workflow.initialize()
      await Decisions.record(mutationCtx, workflowId, 'lines', String(payload.lines))
    }),
  )
  .startCondition('start')
  .task(
    'pick',
    Builder.task(Builder.workItem('pick').withActivities(recordedWorkItemActivities('pick')))
      .withActivities(instanceActivities('pick', async ({ mutationCtx, parent }) => Number(await Decisions.get(mutationCtx, parent.workflow.id, 'lines'))))
      .withPolicy(loggedPolicy('pick', instancePolicy.all())),
  )
  .task('ship', offeredTask('ship'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('pick'))
  .connectTask('pick', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))

const quoteSchemas = { complete: z.object({ referral: z.boolean() }) }

/**
 * WCP-15 multiple instances without a priori run-time knowledge: `quote` asks
 * one supplier for a quote when it is enabled. More instances come while it
 * runs: from outside (`initializeWorkItem`, another supplier to ask), and from
 * the instances themselves — a quote completed with `{ referral: true }`
 * names another supplier, and `onWorkItemStateChanged` offers one more work
 * item before the policy is asked. `instancePolicy.all()` completes the task
 * once every instance is final and none was added; then `choose`.
 */
export const multipleInstancesDynamicWorkflow = Builder.workflow('multipleInstancesDynamic')
  .startCondition('start')
  .task(
    'quote',
    Builder.task(
      Builder.workItem('quote')
        .withActions(
          Builder.workItemActions().complete(quoteSchemas.complete, async ({ mutationCtx, parent, workItem }, payload) => {
            await Decisions.record(mutationCtx, parent.workflow.id, 'quote.referral', payload.referral ? 'yes' : 'no')
            await workItem.complete()
          }),
        )
        .withActivities(recordedWorkItemActivities('quote')),
    )
      .withActivities({
        ...instanceActivities<typeof quoteSchemas>('quote', () => 1),
        onWorkItemStateChanged: async ({ mutationCtx, parent, workItem }) => {
          await ActivityLog.append(mutationCtx, `quote.onWorkItemStateChanged(${workItem.prevState}→${workItem.nextState})`)
          if (workItem.nextState !== 'completed') return
          if ((await Decisions.get(mutationCtx, parent.workflow.id, 'quote.referral')) === 'yes') await workItem.initialize()
        },
      })
      .withPolicy(loggedPolicy('quote', instancePolicy.all())),
  )
  .task('choose', offeredTask('choose'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('quote'))
  .connectTask('quote', (to) => to.task('choose'))
  .connectTask('choose', (to) => to.condition('end'))

/**
 * WCP-26 cancel multiple instance activity: `split` opens `review` (three
 * instances) and `withdraw` side by side, and each one's cancellation region
 * holds the other and the flow into it, so whichever completes first
 * withdraws the other: `withdraw` completing cancels `review` with every open
 * instance (teardown). Both lead to the XOR-join `close`. Canceling the
 * workflow (`cancelRootWorkflow`) tears `review` down as well.
 */
export const cancelMultipleInstancesWorkflow = Builder.workflow('cancelMultipleInstances')
  .startCondition('start')
  .dummyTask('split', Builder.dummyTask())
  .task('review', multipleInstanceTask('review', 3, instancePolicy.all()))
  .task('withdraw', offeredTask('withdraw'))
  .task('close', offeredTask('close').withJoinType('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('review').task('withdraw'))
  .connectTask('review', (to) => to.task('close'))
  .connectTask('withdraw', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))
  .withCancellationRegion('withdraw', (r) => r.task('review').flow('split', 'review'))
  .withCancellationRegion('review', (r) => r.task('withdraw').flow('split', 'withdraw'))

const ballotSchemas = { cancel: z.object({ forceComplete: z.boolean() }) }

/**
 * WCP-27 complete multiple instance activity: `vote` offers three ballots.
 * Normally it completes once all are final (`instancePolicy.all()`). A
 * supervisor forces it to complete by canceling an open ballot with
 * `{ forceComplete: true }`: the cancel action records the decision
 * `vote.force`, and the policy, asked about that cancellation, reads it and
 * completes the task — its other open ballots are withdrawn by the exit
 * (teardown), the completed ones stay. Then `count`.
 */
export const completeMultipleInstancesWorkflow = Builder.workflow('completeMultipleInstances')
  .startCondition('start')
  .task(
    'vote',
    Builder.task(
      Builder.workItem('vote')
        .withActions(
          Builder.workItemActions().cancel(ballotSchemas.cancel, async ({ mutationCtx, parent, workItem }, payload) => {
            if (payload.forceComplete) await Decisions.record(mutationCtx, parent.workflow.id, 'vote.force', 'yes')
            await workItem.cancel()
          }),
        )
        .withActivities(recordedWorkItemActivities('vote')),
    )
      .withActivities(instanceActivities<typeof ballotSchemas>('vote', () => 3))
      .withPolicy(
        loggedPolicy('vote', async (ctx) =>
          (await Decisions.find(ctx.mutationCtx, ctx.parent.workflow.id, 'vote.force')) ? 'complete' : instancePolicy.all()(ctx),
        ),
      ),
  )
  .task('count', offeredTask('count'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('vote'))
  .connectTask('vote', (to) => to.task('count'))
  .connectTask('count', (to) => to.condition('end'))

/**
 * WCP-34 static partial join for multiple instances: `review` offers four
 * instances, and `instancePolicy.threshold(2)` passes control to `decide` when
 * the second completes. The two still open are canceled by the exit
 * (teardown), not left to run: see docs/patterns.md.
 */
export const staticPartialJoinWorkflow = Builder.workflow('staticPartialJoin')
  .startCondition('start')
  .task('review', multipleInstanceTask('review', 4, instancePolicy.threshold(2)))
  .task('decide', offeredTask('decide'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('review'))
  .connectTask('review', (to) => to.task('decide'))
  .connectTask('decide', (to) => to.condition('end'))

/**
 * WCP-35 cancelling partial join for multiple instances: `review` offers three
 * instances; `instancePolicy.threshold(2, { maxFailures: 1 })` completes it on
 * the second completion, and the exit cancels the third (teardown, no policy
 * asked). One failed review is tolerated; a second fails the task. Then `decide`.
 */
export const cancellingPartialJoinWorkflow = Builder.workflow('cancellingPartialJoin')
  .startCondition('start')
  .task('review', multipleInstanceTask('review', 3, instancePolicy.threshold(2, { maxFailures: 1 })))
  .task('decide', offeredTask('decide'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('review'))
  .connectTask('review', (to) => to.task('decide'))
  .connectTask('decide', (to) => to.condition('end'))

/**
 * WCP-36 dynamic partial join for multiple instances: `approve` offers one
 * instance when it is enabled; approvers are added while it runs
 * (`initializeWorkItem`). `instancePolicy.threshold(2)` passes control to
 * `proceed` on the second approval, whichever instances gave it; the open
 * ones are withdrawn and no instance can be added any more.
 */
export const dynamicPartialJoinWorkflow = Builder.workflow('dynamicPartialJoin')
  .startCondition('start')
  .task('approve', multipleInstanceTask('approve', 1, instancePolicy.threshold(2)))
  .task('proceed', offeredTask('proceed'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('approve'))
  .connectTask('approve', (to) => to.task('proceed'))
  .connectTask('proceed', (to) => to.condition('end'))
