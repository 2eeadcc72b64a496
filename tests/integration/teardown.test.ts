import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { backend, driver, errorOf } from '../support/harness'

describe('teardown of a finishing task', () => {
  it('a bottom-up cancel while the task is started lets the hook offer a replacement', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.replacement)
    await wf.initialize()
    const [first, second] = await wf.workItems('review')
    await t.mutation(internal.examples.replacement.internalStartWorkItem, { workItemId: first!._id as never, args: { name: 'review' } })
    await t.mutation(internal.examples.replacement.internalCancelWorkItem, { workItemId: second!._id as never, args: { name: 'review' } })
    expect((await wf.snapshot()).workItems).toEqual(['review#1:started', 'review#1:canceled', 'review#1:initialized'])
  })

  it('a hook that offers a work item while the task completes is refused, and the completion changes nothing', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.replacement)
    await wf.initialize()
    const [first] = await wf.workItems('review')
    await t.mutation(internal.examples.replacement.internalStartWorkItem, { workItemId: first!._id as never, args: { name: 'review' } })
    const before = await wf.snapshot()
    const error = await errorOf(
      t.mutation(internal.examples.replacement.internalCompleteWorkItem, { workItemId: first!._id as never, args: { name: 'review' } }),
    )
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toContain("task 'review'")
    expect(error.message).toContain("'completed'")
    expect(await wf.snapshot()).toEqual(before)
  })
})

describe("a task's teardown activities read its work item", () => {
  it("onCanceled of a task gets workItem.id: the work item the task's teardown just canceled", async () => {
    const t = backend()
    const wf = driver(t, internal.examples.taskTeardown)
    await wf.initialize()
    // Only `hold` offers a work item; `idle` stays enabled with none. Start hold so idle is disabled, not canceled.
    const hold = await wf.start('hold')
    await t.mutation(internal.examples.taskTeardown.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await t.run((ctx) => ActivityLog.entries(ctx))).toEqual([`hold.onCanceled releases ${hold._id}`])
    expect((await wf.snapshot()).workItems).toEqual(['hold#1:canceled'])
  })

  it('reading workItem.id in a task that has no work item is refused, and the cancel changes nothing', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.taskTeardown)
    await wf.initialize()
    const before = await wf.snapshot()
    const error = await errorOf(t.mutation(internal.examples.taskTeardown.internalCancelRootWorkflow, { workflowId: wf.workflowId }))
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toContain("Task 'idle' (generation 1)")
    expect(await wf.snapshot()).toEqual(before)
    expect(await t.run((ctx) => ActivityLog.entries(ctx))).toEqual([])
  })
})
