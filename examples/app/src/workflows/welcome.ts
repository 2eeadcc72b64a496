import { z } from 'zod'
import { Builder } from 'tasknet'
import { internal } from '../../convex/_generated/api.js'

/** The mail provider's retry policy: three attempts, after 1 s and 2 s (no jitter, so tests know the times). */
export const MAIL_RETRY = { maxAttempts: 3, initialBackoffMs: 1_000, base: 2, jitter: false }

/**
 * A new member gets a welcome email: `sendWelcome` is a service work item, so the engine calls the
 * mailer's action (convex/mailer.ts) through the `mailer` work pool, retries it, and completes the work
 * item with the provider's message id.
 */
const sendWelcome = Builder.workItem('sendWelcome')
  .withActions(
    Builder.workItemActions()
      // What the mailer's action receives as its payload.
      .start(z.object({ to: z.string() }), async ({ workItem }) => workItem.start())
      .complete(z.object({ messageId: z.string() }), async ({ mutationCtx, workItem, parent }, { messageId }) => {
        const member = await mutationCtx.db
          .query('members')
          .withIndex('by_workflowId', (q) => q.eq('workflowId', parent.workflow.id))
          .unique()
        if (member) await mutationCtx.db.patch(member._id, { welcomeMessageId: messageId })
        await workItem.complete()
      }),
  )
  .withActivities({
    onInitialized: async ({ mutationCtx, workItem, parent }) => {
      const member = await mutationCtx.db
        .query('members')
        .withIndex('by_workflowId', (q) => q.eq('workflowId', parent.workflow.id))
        .unique()
      if (!member) throw new Error(`Workflow ${parent.workflow.id} has no member.`)
      workItem.start({ to: member.email })
    },
  })
  .service({
    action: internal.mailer.send,
    retry: MAIL_RETRY,
    timeoutMs: 30_000,
    nonRetryable: ['invalid_recipient'],
    result: z.object({ messageId: z.string() }),
  })

export const welcomeWorkflow = Builder.workflow('welcome')
  .withActions(
    Builder.workflowActions().initialize(z.object({ email: z.string() }), async ({ mutationCtx, workflow }, { email }) => {
      const workflowId = await workflow.initialize()
      await mutationCtx.db.insert('members', { workflowId, email })
    }),
  )
  .startCondition('start')
  .task(
    'sendWelcome',
    Builder.task(sendWelcome).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('sendWelcome'))
  .connectTask('sendWelcome', (to) => to.condition('end'))
