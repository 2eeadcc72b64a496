/// <reference types="vite/client" />
import { convexTest } from 'convex-test'
import { describe, expect, it } from 'vitest'
import { api, internal } from '../convex/_generated/api.js'
import schema from '../convex/schema.js'

const modules = import.meta.glob('../convex/**/*.ts')

/** A backend with Convex's transaction limits, and a request for alice to review. */
async function requested() {
  const t = convexTest({ schema, modules, transactionLimits: true })
  const workflowId = await t.mutation(internal.approval.internalInitializeRootWorkflow, { payload: { title: 'New logo', reviewer: 'alice' } })
  return { t, workflowId, alice: t.withIdentity({ subject: 'alice' }), bob: t.withIdentity({ subject: 'bob' }) }
}

describe('the approval workflow, as a client drives it', () => {
  it('lists the review for its reviewer only, with the work item id a client needs', async () => {
    const { t, workflowId, alice, bob } = await requested()
    const [review] = await alice.query(api.approval.myOpenReviews, {})
    expect(review).toMatchObject({ workflowId, title: 'New logo', state: 'initialized' })
    expect(await bob.query(api.approval.myOpenReviews, {})).toEqual([])
    expect(await t.query(api.approval.myOpenReviews, {})).toEqual([])
  })

  it('approving publishes the request and completes the workflow', async () => {
    const { t, workflowId, alice } = await requested()
    const [review] = await alice.query(api.approval.myOpenReviews, {})
    await alice.mutation(api.approval.startWorkItem, { workItemId: review!.workItemId, args: { name: 'review' } })
    expect(await alice.query(api.approval.myOpenReviews, {})).toMatchObject([{ state: 'started' }])
    await alice.mutation(api.approval.completeWorkItem, { workItemId: review!.workItemId, args: { name: 'review', payload: { approved: true } } })
    expect(await t.query(internal.approval.getWorkflow, { workflowId })).toMatchObject({ state: 'completed' })
    expect(await t.query(internal.approval.getWorkflowTaskStates, { workflowId })).toEqual({ review: 'completed', publish: 'completed' })
    expect(await alice.query(api.approval.myOpenReviews, {})).toEqual([])
  })

  it('rejecting ends the workflow without publishing', async () => {
    const { t, workflowId, alice } = await requested()
    const [review] = await alice.query(api.approval.myOpenReviews, {})
    await alice.mutation(api.approval.startWorkItem, { workItemId: review!.workItemId, args: { name: 'review' } })
    await alice.mutation(api.approval.completeWorkItem, { workItemId: review!.workItemId, args: { name: 'review', payload: { approved: false } } })
    expect(await t.query(internal.approval.getWorkflowTaskStates, { workflowId })).toEqual({ review: 'completed', publish: 'disabled' })
    expect(await t.query(internal.approval.getMarking, { workflowId })).toMatchObject({ end: 1 })
  })

  it('refuses another caller, and a payload that fails its schema, changing nothing', async () => {
    const { t, workflowId, alice, bob } = await requested()
    const [review] = await alice.query(api.approval.myOpenReviews, {})
    await expect(bob.mutation(api.approval.startWorkItem, { workItemId: review!.workItemId, args: { name: 'review' } })).rejects.toThrow(
      'Only the assigned reviewer may act on this review.',
    )
    await alice.mutation(api.approval.startWorkItem, { workItemId: review!.workItemId, args: { name: 'review' } })
    const bad = { workItemId: review!.workItemId, args: { name: 'review' as const, payload: { approved: 'yes' } } }
    // @ts-expect-error the payload's schema wants a boolean
    await expect(alice.mutation(api.approval.completeWorkItem, bad)).rejects.toThrow(/INVALID_PAYLOAD|approved/)
    expect(await t.query(internal.approval.getWorkflow, { workflowId })).toMatchObject({ state: 'started' })
  })
})
