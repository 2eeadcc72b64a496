import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'
import type { MutationCtx, Policy, PolicyResult, TaskActivities, WorkItemActivities, WorkItemSchemas } from '../builder/contexts'
import { ActivityLog } from '../domain/activityLog'
import { Decisions } from '../domain/choices'

/**
 * Test workflows for policies (docs/semantics.md#policies), failure and cancellation
 * (§7) and scheduling tied to elements (§8). Every activity, action and
 * policy they run appends one entry to the activity log
 * (src/domain/activityLog.ts), so a test compares the whole order with one
 * `toEqual`. Each is exposed by a module in convex/examples/.
 *
 * A task's policy reads its behaviour from the decisions table (task
 * `<task>.policy`), which a test sets before the step it checks:
 * `default` (return nothing), `complete`, `continue`, `fail`,
 * `firstCompletion` (complete on the first completed work item), or `throw`
 * (the policy must not be asked at all).
 */

const log = (ctx: { mutationCtx: MutationCtx }, entry: string) => ActivityLog.append(ctx.mutationCtx, entry)

export type PolicyMode = 'default' | 'complete' | 'continue' | 'fail' | 'firstCompletion' | 'throw'

/** Sets the policy of `taskName` in workflow `workflowId` (see above). */
export async function setPolicyMode(ctx: MutationCtx, workflowId: Parameters<typeof Decisions.record>[1], taskName: string, mode: PolicyMode) {
  await Decisions.record(ctx as never, workflowId, `${taskName}.policy`, mode)
}

/** A policy that logs the call as `<task>.policy(prev→next)` and then does what the decisions table says. */
export function recordedPolicy(taskName: string): Policy {
  return async ({ mutationCtx, parent, transition }) => {
    const mode = ((await Decisions.find(mutationCtx as never, parent.workflow.id, `${taskName}.policy`))?.choice ?? 'default') as PolicyMode
    if (mode === 'throw') throw new Error(`The policy of '${taskName}' was asked (${transition.prevState}→${transition.nextState}); it must not be.`)
    await ActivityLog.append(mutationCtx, `${taskName}.policy(${transition.prevState}→${transition.nextState})`)
    if (mode === 'default') return undefined
    if (mode === 'firstCompletion') return transition.nextState === 'completed' ? 'complete' : 'continue'
    return mode satisfies PolicyResult
  }
}

/** Work item activities that only log: `<task>.item.<activity>`. */
export function recordedWorkItemActivities(taskName: string): WorkItemActivities<{}> {
  return {
    onInitialized: (ctx) => log(ctx, `${taskName}.item.onInitialized`),
    onStarted: (ctx) => log(ctx, `${taskName}.item.onStarted`),
    onCompleted: (ctx) => log(ctx, `${taskName}.item.onCompleted`),
    onFailed: (ctx) => log(ctx, `${taskName}.item.onFailed`),
    onCanceled: (ctx) => log(ctx, `${taskName}.item.onCanceled`),
    onReset: (ctx) => log(ctx, `${taskName}.item.onReset`),
  }
}

/** Task activities that log `<task>.<activity>`; `onEnabled` then offers `workItems` work items. */
export function recordedTaskActivities<S extends WorkItemSchemas>(taskName: string, workItems = 1): TaskActivities<S> {
  return {
    onEnabled: async (ctx) => {
      await log(ctx, `${taskName}.onEnabled`)
      for (let i = 0; i < workItems; i++) await (ctx.workItem.initialize as () => Promise<unknown>)()
    },
    onDisabled: (ctx) => log(ctx, `${taskName}.onDisabled`),
    onStarted: (ctx) => log(ctx, `${taskName}.onStarted`),
    onWorkItemStateChanged: (ctx) => log(ctx, `${taskName}.onWorkItemStateChanged(${ctx.workItem.prevState}→${ctx.workItem.nextState})`),
    onCompleted: (ctx) => log(ctx, `${taskName}.onCompleted`),
    onFailed: (ctx) => log(ctx, `${taskName}.onFailed`),
    onCanceled: (ctx) => log(ctx, `${taskName}.onCanceled`),
  }
}

/** An atomic task whose every activity and policy call is logged. */
export function recordedTask<Name extends string>(name: Name, workItems = 1) {
  return Builder.task(Builder.workItem(name).withActivities(recordedWorkItemActivities(name)))
    .withActivities(recordedTaskActivities(name, workItems))
    .withPolicy(recordedPolicy(name))
}

const recordedWorkflowActivities = {
  onInitialized: (ctx: { mutationCtx: MutationCtx }) => log(ctx, 'workflow.onInitialized'),
  onStarted: (ctx: { mutationCtx: MutationCtx }) => log(ctx, 'workflow.onStarted'),
  onCompleted: (ctx: { mutationCtx: MutationCtx }) => log(ctx, 'workflow.onCompleted'),
  onFailed: (ctx: { mutationCtx: MutationCtx }) => log(ctx, 'workflow.onFailed'),
  onCanceled: (ctx: { mutationCtx: MutationCtx }) => log(ctx, 'workflow.onCanceled'),
}

/**
 * Policies (docs/semantics.md#policies): `review` offers two work items and logs every
 * policy call with the whole context it got, as `policy:{json}`, before
 * doing what its mode says. `publish` follows.
 */
export const policyProbeWorkflow = Builder.workflow('policyProbe')
  .startCondition('start')
  .task(
    'review',
    Builder.task(Builder.workItem('review').withActivities(recordedWorkItemActivities('review')))
      .withActivities(recordedTaskActivities('review', 2))
      .withPolicy(async (ctx) => {
        const { mutationCtx, transition, task, workItem, parent } = ctx
        await ActivityLog.append(
          mutationCtx,
          `policy:${JSON.stringify({
            transition,
            task: { name: task.name, generation: task.generation },
            stats: await task.getStats(),
            workItem,
            parent,
            mutationCtx: { db: typeof mutationCtx.db.insert, scheduler: typeof mutationCtx.scheduler.runAfter },
            keys: Object.keys(ctx).sort(),
          })}`,
        )
        return recordedPolicy('review')(ctx)
      }),
  )
  .task('publish', recordedTask('publish'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('review'))
  .connectTask('review', (to) => to.task('publish'))
  .connectTask('publish', (to) => to.condition('end'))
  .withActivities(recordedWorkflowActivities)

/**
 * Scenario 5: when `draft`'s first work item completes, its
 * `onWorkItemStateChanged` offers a follow-up work item, which starts and
 * completes itself through auto-triggers in the same step. The follow-up is
 * marked in the decisions table (`auto:<id>`) by the initialize action.
 */
const draftWorkItem = Builder.workItem('draft')
  .withActions(
    Builder.workItemActions().initialize(z.object({ followUp: z.boolean() }), async ({ mutationCtx, workItem, parent }, payload) => {
      const id = await workItem.initialize()
      if (payload.followUp) await Decisions.record(mutationCtx as never, parent.workflow.id, `auto:${id}`, 'yes')
    }),
  )
  .withActivities({
    ...recordedWorkItemActivities('draft'),
    onInitialized: async ({ mutationCtx, parent, workItem }) => {
      const auto = await Decisions.find(mutationCtx as never, parent.workflow.id, `auto:${workItem.id}`)
      await ActivityLog.append(mutationCtx, `draft.item.onInitialized${auto ? ' (follow-up)' : ''}`)
      if (auto) workItem.start()
    },
    onStarted: async ({ mutationCtx, parent, workItem }) => {
      const auto = await Decisions.find(mutationCtx as never, parent.workflow.id, `auto:${workItem.id}`)
      await ActivityLog.append(mutationCtx, `draft.item.onStarted${auto ? ' (follow-up)' : ''}`)
      if (auto) workItem.complete()
    },
  })

export const followUpWorkflow = Builder.workflow('followUp')
  .startCondition('start')
  .task(
    'draft',
    Builder.task(draftWorkItem)
      .withActivities({
        ...recordedTaskActivities<{ initialize: z.ZodObject<{ followUp: z.ZodBoolean }> }>('draft', 0),
        onEnabled: async (ctx) => {
          await log(ctx, 'draft.onEnabled')
          await ctx.workItem.initialize({ followUp: false })
        },
        onWorkItemStateChanged: async (ctx) => {
          const { workItem, mutationCtx, parent } = ctx
          await log(ctx, `draft.onWorkItemStateChanged(${workItem.prevState}→${workItem.nextState})`)
          const isFollowUp = await Decisions.find(mutationCtx as never, parent.workflow.id, `auto:${workItem.id}`)
          if (workItem.nextState === 'completed' && !isFollowUp) await workItem.initialize({ followUp: true })
        },
      })
      .withPolicy(recordedPolicy('draft')),
  )
  .task('review', recordedTask('review'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('draft'))
  .connectTask('draft', (to) => to.task('review'))
  .connectTask('review', (to) => to.condition('end'))
  .withActivities(recordedWorkflowActivities)

/**
 * Failure and cancellation (docs/semantics.md#failure-and-cancellation): a dummy `split` offers `pay`,
 * `ship` and `notify` in parallel; `done` AND-joins them. The cancel action
 * is custom: it logs, then calls `workflow.cancel()` unless `skip` is set.
 */
export const propagationWorkflow = Builder.workflow('propagation')
  .startCondition('start')
  .dummyTask(
    'split',
    Builder.dummyTask().withActivities({
      onEnabled: (ctx) => log(ctx, 'split.onEnabled'),
      onStarted: (ctx) => log(ctx, 'split.onStarted'),
      onCompleted: (ctx) => log(ctx, 'split.onCompleted'),
    }),
  )
  .task('pay', recordedTask('pay'))
  .task('ship', recordedTask('ship'))
  .task('notify', recordedTask('notify'))
  .task('done', recordedTask('done'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('pay').task('ship').task('notify'))
  .connectTask('pay', (to) => to.task('done'))
  .connectTask('ship', (to) => to.task('done'))
  .connectTask('notify', (to) => to.task('done'))
  .connectTask('done', (to) => to.condition('end'))
  .withActions(
    Builder.workflowActions().cancel(z.object({ reason: z.string(), skip: z.boolean().optional() }), async ({ mutationCtx, workflow }, payload) => {
      await ActivityLog.append(mutationCtx, `cancel action(${payload.reason})`)
      if (!payload.skip) await workflow.cancel()
    }),
  )
  .withActivities(recordedWorkflowActivities)

/** How long every job of `schedulingWorkflow` waits. */
export const JOB_DELAY_MS = 60_000

type SchedulerCtx = { mutationCtx: MutationCtx }
/** Schedules the job `entry` (it appends `job:<entry>` to the log when it runs). */
const schedule = ({ mutationCtx }: SchedulerCtx, entry: string) =>
  mutationCtx.scheduler.runAfter(JOB_DELAY_MS, internal.activityLog.append, { entry: `job:${entry}` })

/** A task whose active activities register jobs and whose teardown activities schedule jobs directly. */
function schedulingTask<Name extends string>(name: Name) {
  return Builder.task(Builder.workItem(name))
    .withActivities({
      onEnabled: async (ctx) => {
        await ctx.registerScheduled(schedule(ctx, `${name}.onEnabled`))
        await ctx.workItem.initialize()
      },
      onStarted: async (ctx) => {
        await ctx.registerScheduled(schedule(ctx, `${name}.onStarted`))
      },
      onCompleted: async (ctx) => {
        await schedule(ctx, `${name}.onCompleted`)
      },
      onFailed: async (ctx) => {
        await schedule(ctx, `${name}.onFailed`)
      },
      onCanceled: async (ctx) => {
        await schedule(ctx, `${name}.onCanceled`)
      },
      onDisabled: async (ctx) => {
        await schedule(ctx, `${name}.onDisabled`)
      },
    })
}

/**
 * Scheduling tied to elements (docs/semantics.md#activities-actions-and-triggers): `a` and `b` are a deferred
 * choice on `start`; `c` XOR-joins them. Each task's `onEnabled`/`onStarted`
 * and the workflow's `onInitialized`/`onStarted` register a job; the teardown
 * activities schedule one directly with `mutationCtx.scheduler`.
 */
export const schedulingWorkflow = Builder.workflow('scheduling')
  .startCondition('start')
  .task('a', schedulingTask('a'))
  .task('b', schedulingTask('b'))
  .task('c', schedulingTask('c').withJoinType('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('a').task('b'))
  .connectTask('a', (to) => to.task('c'))
  .connectTask('b', (to) => to.task('c'))
  .connectTask('c', (to) => to.condition('end'))
  .withActivities({
    onInitialized: async (ctx) => {
      await ctx.registerScheduled(schedule(ctx, 'workflow.onInitialized'))
    },
    onStarted: async (ctx) => {
      await ctx.registerScheduled(schedule(ctx, 'workflow.onStarted'))
    },
    onCompleted: async (ctx) => {
      await schedule(ctx, 'workflow.onCompleted')
    },
    onFailed: async (ctx) => {
      await schedule(ctx, 'workflow.onFailed')
    },
    onCanceled: async (ctx) => {
      await schedule(ctx, 'workflow.onCanceled')
    },
  })
