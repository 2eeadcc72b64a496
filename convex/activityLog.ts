import { v } from 'convex/values'
import { internal } from './_generated/api'
import { internalMutation } from './_generated/server'
import { ActivityLog } from '../src/domain/activityLog'

/** The job the scheduling test workflow schedules: it appends `entry` to the activity log when it runs. */
export const append = internalMutation({
  args: { entry: v.string() },
  handler: async (ctx, { entry }) => {
    await ActivityLog.append(ctx, entry)
  },
})

/**
 * For tests/testing/scheduled.test.ts: appends `entry @<ms since origin>` when it runs, then schedules each of
 * `then` after its delay, and itself again after `repeatEveryMs` if given (a chain that never ends).
 */
export const appendTimed = internalMutation({
  args: {
    entry: v.string(),
    origin: v.number(),
    then: v.optional(v.array(v.object({ delayMs: v.number(), entry: v.string() }))),
    repeatEveryMs: v.optional(v.number()),
  },
  handler: async (ctx, { entry, origin, then = [], repeatEveryMs }) => {
    await ActivityLog.append(ctx, `${entry} @${Date.now() - origin}`)
    for (const next of then) await ctx.scheduler.runAfter(next.delayMs, internal.activityLog.appendTimed, { entry: next.entry, origin })
    if (repeatEveryMs !== undefined) await ctx.scheduler.runAfter(repeatEveryMs, internal.activityLog.appendTimed, { entry, origin, repeatEveryMs })
  },
})
