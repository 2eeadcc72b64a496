/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import { tasknetTest, workflowDriver } from 'tasknet/testing'
import { api, internal } from '../convex/_generated/api.js'
import schema from '../convex/schema.js'

const modules = import.meta.glob('../convex/**/*.ts')

/** A backend with this app's schema and Convex's transaction limits, and a request for alice to review. */
async function requested() {
  const t = tasknetTest(schema, modules)
  const wf = workflowDriver(t, internal.approval)
  await wf.initialize({ title: 'New logo', reviewer: 'alice' })
  return { t, wf, alice: t.withIdentity({ subject: 'alice' }), bob: t.withIdentity({ subject: 'bob' }) }
}

describe('the approval workflow, as a client drives it', () => {
  it('lists the review for its reviewer only, with the work item id a client needs', async () => {
    const { t, wf, alice, bob } = await requested()
    const [review] = await alice.query(api.approval.myOpenReviews, {})
    expect(review).toEqual({ workItemId: (await wf.workItemOf('review'))._id, workflowId: wf.workflowId, title: 'New logo', state: 'initialized' })
    expect(await bob.query(api.approval.myOpenReviews, {})).toEqual([])
    expect(await t.query(api.approval.myOpenReviews, {})).toEqual([])
  })

  it('approving publishes the request and completes the workflow', async () => {
    const { wf, alice } = await requested()
    const [review] = await alice.query(api.approval.myOpenReviews, {})
    await alice.mutation(api.approval.startWorkItem, { workItemId: review!.workItemId, args: { name: 'review' } })
    expect(await alice.query(api.approval.myOpenReviews, {})).toMatchObject([{ state: 'started' }])
    await alice.mutation(api.approval.completeWorkItem, { workItemId: review!.workItemId, args: { name: 'review', payload: { approved: true } } })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { review: 'completed', publish: 'completed' },
      marking: { start: 0, end: 1, review__to__publish: 0 },
      workItems: ['review#1:completed', 'publish#1:completed'],
    })
    expect(await alice.query(api.approval.myOpenReviews, {})).toEqual([])
  })

  it('rejecting ends the workflow without publishing', async () => {
    const { wf } = await requested()
    // Internal calls skip the reviewer check, as a scheduled function's would.
    await wf.run('review', { approved: false })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { review: 'completed', publish: 'disabled' },
      marking: { start: 0, end: 1, review__to__publish: 0 },
      workItems: ['review#1:completed'],
    })
  })

  it('refuses another caller, and a payload that fails its schema, changing nothing', async () => {
    const { wf, alice, bob } = await requested()
    const [review] = await alice.query(api.approval.myOpenReviews, {})
    await expect(bob.mutation(api.approval.startWorkItem, { workItemId: review!.workItemId, args: { name: 'review' } })).rejects.toThrow(
      'Only the assigned reviewer may act on this review.',
    )
    await alice.mutation(api.approval.startWorkItem, { workItemId: review!.workItemId, args: { name: 'review' } })
    const bad = { workItemId: review!.workItemId, args: { name: 'review' as const, payload: { approved: 'yes' } } }
    // @ts-expect-error the payload's schema wants a boolean
    await expect(alice.mutation(api.approval.completeWorkItem, bad)).rejects.toThrow(/INVALID_PAYLOAD|approved/)
    expect(await wf.snapshot()).toMatchObject({ workflow: 'started', workItems: ['review#1:started'] })
  })
})
