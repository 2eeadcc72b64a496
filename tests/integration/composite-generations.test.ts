import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { REMINDER_DELAY_MS } from '../../src/workflows/composite'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, errorOf, type Backend } from '../support/harness'

/**
 * Composite tasks across generations and time (docs/semantics.md#activities-actions-and-triggers, #transactions-and-generations, issue 5 §4):
 * a child requested for an old generation of its task is refused, and a job
 * registered deep in a hierarchy is canceled when any ancestor ends. Nets:
 * `repackingWorkflow` and `supervisionWorkflow` in src/workflows/composite.ts.
 */

describe('a child requested for an old generation of its composite task', () => {
  const fns = internal.examples.repacking

  /** `pack` has run once and `check` sent it round again: `pack` is at generation 2, with a new child. */
  async function secondPass() {
    const t = backend()
    const root = await t.mutation(fns.internalInitializeRootWorkflow, {})
    const children = () => t.query(fns.getChildWorkflows, { workflowId: root, taskName: 'pack' })
    const run = async (workflowId: typeof root, taskName: 'pick' | 'box' | 'check', payload?: { choice: 'again' | 'done' }) => {
      const item = (await t.query(fns.getWorkItems, { workflowId, taskName })).at(-1)!
      await t.mutation(fns.internalStartWorkItem, { workItemId: item._id, args: { name: taskName } as never })
      await t.mutation(fns.internalCompleteWorkItem, { workItemId: item._id, args: { name: taskName, payload } as never })
    }
    const [first] = await children()
    await run(first!._id, 'pick')
    await run(first!._id, 'box')
    await run(root, 'check', { choice: 'again' })
    return { t, root, children }
  }

  it('is refused with STALE_GENERATION and changes nothing; the current generation is accepted', async () => {
    const { t, root, children } = await secondPass()
    const before = await children()
    expect(before.map(({ state, generation }) => ({ state, generation }))).toEqual([
      { state: 'completed', generation: 1 },
      { state: 'initialized', generation: 2 },
    ])
    const initialize = (generation: number) =>
      t.mutation(fns.internalInitializeWorkflow, { target: { workflowId: root, taskName: 'pack', generation }, args: { name: 'packing' } })

    expect(await errorOf(initialize(1))).toEqual({
      code: 'STALE_GENERATION',
      message: `Cannot start a 'packing' child workflow for generation 1 of task 'pack' in workflow ${root}: the task is at generation 2 ('enabled').`,
    })
    expect(await children()).toEqual(before)

    const third = await initialize(2)
    expect((await children()).map((c) => [c._id, c.generation])).toEqual([...before.map((c) => [c._id, c.generation]), [third, 2]])
  })

  it('initializeWorkItem refuses an old generation of an atomic task the same way', async () => {
    const t = backend()
    const loop = internal.examples.loop
    const wf = await t.mutation(loop.internalInitializeRootWorkflow, {})
    const runLoop = async (taskName: 'open' | 'draft' | 'check', payload?: { choice: 'again' | 'done' }) => {
      const item = (await t.query(loop.getWorkItems, { workflowId: wf, taskName })).at(-1)!
      await t.mutation(loop.internalStartWorkItem, { workItemId: item._id, args: { name: taskName } as never })
      await t.mutation(loop.internalCompleteWorkItem, { workItemId: item._id, args: { name: taskName, payload } as never })
    }
    await runLoop('open')
    await runLoop('draft')
    await runLoop('check', { choice: 'again' })
    const drafts = () => t.query(loop.getWorkItems, { workflowId: wf, taskName: 'draft' })
    const before = await drafts()
    expect(await errorOf(t.mutation(loop.internalInitializeWorkItem, { target: { workflowId: wf, taskName: 'draft', generation: 1 }, args: { name: 'draft' } }))).toMatchObject({
      code: 'STALE_GENERATION',
      message: `Cannot initialize a 'draft' work item for generation 1 of task 'draft' in workflow ${wf}: the task is at generation 2 ('enabled').`,
    })
    expect(await drafts()).toEqual(before)
    await t.mutation(loop.internalInitializeWorkItem, { target: { workflowId: wf, taskName: 'draft', generation: 2 }, args: { name: 'draft' } })
    expect((await drafts()).map((w) => [w.generation, w.state])).toEqual([...before.map((w) => [w.generation, w.state]), [2, 'initialized']])
  })
})

describe('a job registered in a grandchild', () => {
  const fns = internal.examples.supervision
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** The root, its team child and the team's reminder grandchild, whose work item has a pending job. */
  async function supervising(t: Backend) {
    const root = await t.mutation(fns.internalInitializeRootWorkflow, {})
    const [team] = await t.query(fns.getChildWorkflows, { workflowId: root, taskName: 'oversee' })
    const [reminder] = await t.query(fns.getChildWorkflows, { workflowId: team!._id, taskName: 'remindAll' })
    const states = async () => ({
      root: (await t.query(fns.getWorkflow, { workflowId: root })).state,
      team: (await t.query(fns.getWorkflow, { workflowId: team!._id })).state,
      reminder: (await t.query(fns.getWorkflow, { workflowId: reminder!._id })).state,
      jobs: await t.run(async (ctx) => (await ctx.db.system.query('_scheduled_functions').collect()).map((j) => j.state.kind)),
      tiedJobs: await t.run(async (ctx) => (await ctx.db.query('tasknet_scheduledJobs').collect()).length),
    })
    const runOut = async () => {
      const start = Date.now()
      const ran = await runScheduledInTimeOrder(t, vi)
      // A job that runs does so at its time, REMINDER_DELAY_MS after the step that scheduled it.
      expect(Date.now() - start).toBe(ran.length > 0 ? REMINDER_DELAY_MS : 0)
      return t.run((ctx) => ActivityLog.entries(ctx))
    }
    return { root, reminder: reminder!._id, states, runOut }
  }

  it('runs when nothing above it ends (the job is real)', async () => {
    const t = backend()
    const { states, runOut } = await supervising(t)
    // kickoff (a dummy task) fired, so the root has started; nothing below it has.
    expect(await states()).toEqual({ root: 'started', team: 'initialized', reminder: 'initialized', jobs: ['pending'], tiedJobs: 1 })
    expect(await runOut()).toEqual(['reminder ran'])
  })

  it('is canceled when the root is canceled: cancel goes down through the child to the grandchild', async () => {
    const t = backend()
    const { root, reminder, states, runOut } = await supervising(t)
    // The grandchild's work item is started, so every level is started.
    const [remind] = await t.query(fns.getWorkItems, { workflowId: reminder, taskName: 'remind' })
    await t.mutation(fns.internalStartWorkItem, { workItemId: remind!._id, args: { name: 'remind' } })
    expect(await states()).toMatchObject({ root: 'started', team: 'started', reminder: 'started', jobs: ['pending'] })

    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: root })
    expect(await states()).toEqual({ root: 'canceled', team: 'canceled', reminder: 'canceled', jobs: ['canceled'], tiedJobs: 0 })
    expect(await runOut()).toEqual([])
  })

  it('is canceled when the root completes: the end tears down the composite task that leads to it', async () => {
    const t = backend()
    const { root, states, runOut } = await supervising(t)
    const [close] = await t.query(fns.getWorkItems, { workflowId: root, taskName: 'close' })
    await t.mutation(fns.internalStartWorkItem, { workItemId: close!._id, args: { name: 'close' } })
    await t.mutation(fns.internalCompleteWorkItem, { workItemId: close!._id, args: { name: 'close' } })
    expect(await states()).toEqual({ root: 'completed', team: 'canceled', reminder: 'canceled', jobs: ['canceled'], tiedJobs: 0 })
    expect(await t.query(fns.getWorkflowTaskStates, { workflowId: root })).toEqual({ kickoff: 'completed', oversee: 'disabled', close: 'completed' })
    expect(await runOut()).toEqual([])
  })
})
