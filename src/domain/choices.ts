import { defineTable } from 'convex/server'
import { v } from 'convex/values'
import { vWorkflowId } from '../runtime/schema'
import type { WorkflowId } from '../builder/contexts'
import type { DatabaseReader, DatabaseWriter } from '../../convex/_generated/server'

/**
 * Decisions people make in the example workflows (approve or reject, loop
 * again or stop). Routing reads domain state, never a flag inside the engine:
 * a work item's complete action records the decision, and the task's route
 * function reads it.
 */
export const choiceTables = {
  decisions: defineTable({
    workflowId: vWorkflowId,
    taskName: v.string(),
    choice: v.string(),
    /** How many times this decision has been made (a loop makes it once per pass). */
    count: v.number(),
  }).index('by_workflowId_and_taskName', ['workflowId', 'taskName']),
}


export const Decisions = {
  async record(ctx: { db: DatabaseWriter }, workflowId: WorkflowId, taskName: string, choice: string): Promise<void> {
    const existing = await Decisions.find(ctx, workflowId, taskName)
    if (existing) await ctx.db.patch(existing._id, { choice, count: existing.count + 1 })
    else await ctx.db.insert('decisions', { workflowId, taskName, choice, count: 1 })
  },

  async find(ctx: { db: DatabaseReader }, workflowId: WorkflowId, taskName: string) {
    const doc = await ctx.db
      .query('decisions')
      .withIndex('by_workflowId_and_taskName', (q) => q.eq('workflowId', workflowId).eq('taskName', taskName))
      .unique()
    return doc
  },

  /** The decision recorded for a task; a route that finds none is a bug in the workflow, so it throws. */
  async get(ctx: { db: DatabaseReader }, workflowId: WorkflowId, taskName: string): Promise<string> {
    const doc = await Decisions.find(ctx, workflowId, taskName)
    if (!doc) throw new Error(`No decision recorded for task '${taskName}' of workflow ${workflowId}.`)
    return doc.choice
  },
}
