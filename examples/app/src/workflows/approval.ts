import { z } from 'zod'
import { Builder } from 'tasknet'
import type { DataModel, Id } from '../../convex/_generated/dataModel.js'
import type { MutationCtx } from '../../convex/_generated/server.js'

// Gives `mutationCtx` in every callback below this app's data model: a misspelt table is a type error.
declare module 'tasknet' {
  interface Register {
    dataModel: DataModel
  }
}

/**
 * A person reviews a request; if they approve it, `publish` runs (here it completes itself). Only
 * the reviewer the request names may start or complete the review: the custom actions check the
 * caller's identity, unless the call is internal (a scheduled function or a test).
 */
const review = Builder.workItem('review').withActions(
  Builder.workItemActions()
    .initialize(z.object({ reviewer: z.string() }), async ({ mutationCtx, workItem, parent }, payload) => {
      const workItemId = await workItem.initialize()
      await mutationCtx.db.insert('assignments', { workItemId, workflowId: parent.workflow.id, reviewer: payload.reviewer })
    })
    .start(z.never(), async ({ mutationCtx, isInternalMutation, workItem }) => {
      if (!isInternalMutation) await requireAssignee(mutationCtx, workItem.id)
      await workItem.start()
    })
    .complete(z.object({ approved: z.boolean() }), async ({ mutationCtx, isInternalMutation, workItem, parent }, payload) => {
      if (!isInternalMutation) await requireAssignee(mutationCtx, workItem.id)
      await mutationCtx.db.insert('reviews', { workflowId: parent.workflow.id, approved: payload.approved })
      await workItem.complete()
    }),
)

/** Refuses a caller who is not the reviewer the work item was assigned to. */
async function requireAssignee(ctx: MutationCtx, workItemId: Id<'tasknet_workItems'>) {
  const identity = await ctx.auth.getUserIdentity()
  const assignment = await ctx.db
    .query('assignments')
    .withIndex('by_workItemId', (q) => q.eq('workItemId', workItemId))
    .unique()
  if (!identity || !assignment || assignment.reviewer !== identity.subject) throw new Error('Only the assigned reviewer may act on this review.')
}

// No custom actions: only the engine and internal callers drive it. It starts and completes itself.
const publish = Builder.workItem('publish').withActivities({
  onInitialized: ({ workItem }) => workItem.start(),
  onStarted: ({ workItem }) => workItem.complete(),
})

export const approvalWorkflow = Builder.workflow('approval')
  .withActions(
    Builder.workflowActions().initialize(
      z.object({ title: z.string(), reviewer: z.string() }),
      async ({ mutationCtx, workflow }, payload) => {
        const workflowId = await workflow.initialize()
        await mutationCtx.db.insert('requests', { workflowId, title: payload.title, reviewer: payload.reviewer })
      },
    ),
  )
  .startCondition('start')
  .task(
    'review',
    Builder.task(review)
      .withSplitType('xor')
      .withActivities({
        onEnabled: async ({ mutationCtx, parent, workItem }) => {
          const request = await mutationCtx.db
            .query('requests')
            .withIndex('by_workflowId', (q) => q.eq('workflowId', parent.workflow.id))
            .unique()
          if (!request) throw new Error(`Workflow ${parent.workflow.id} has no request.`)
          await workItem.initialize({ reviewer: request.reviewer })
        },
      }),
  )
  .task(
    'publish',
    Builder.task(publish).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('review'))
  .connectTask('review', (to) =>
    to
      .task('publish')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) => {
        const decision = await mutationCtx.db
          .query('reviews')
          .withIndex('by_workflowId', (q) => q.eq('workflowId', parent.workflow.id))
          .unique()
        return decision?.approved ? route.toTask('publish') : route.toCondition('end')
      }),
  )
  .connectTask('publish', (to) => to.condition('end'))
