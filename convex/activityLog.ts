import { v } from 'convex/values'
import { internalMutation } from './_generated/server'
import { ActivityLog } from '../src/domain/activityLog'

/** The job the scheduling test workflow schedules: it appends `entry` to the activity log when it runs. */
export const append = internalMutation({
  args: { entry: v.string() },
  handler: async (ctx, { entry }) => {
    await ActivityLog.append(ctx, entry)
  },
})
