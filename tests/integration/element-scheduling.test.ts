import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, driver, type Backend } from '../support/harness'

/**
 * registerScheduled ties a job to the task or workflow whose activity
 * registered it (docs/semantics.md#activities-actions-and-triggers, docs/api.md "registerScheduled"); a job
 * scheduled with mutationCtx.scheduler from a teardown activity outlives its
 * element. Every job of `schedulingWorkflow` appends `job:<where it was
 * scheduled>` to the activity log when it runs.
 */

/** The backend's scheduled jobs as `{ 'a.onEnabled': 'pending', ... }`. */
async function jobs(t: Backend): Promise<Record<string, string>> {
  return t.run(async (ctx) => {
    const all = await ctx.db.system.query('_scheduled_functions').collect()
    return Object.fromEntries(all.map((job) => [String((job.args[0] as { entry: string }).entry).replace(/^job:/, ''), job.state.kind]))
  })
}

/** The jobs that have run, by their side effect, sorted (jobs due at the same time run in no fixed order). */
const ran = (t: Backend) => t.run(async (ctx) => (await ActivityLog.entries(ctx)).map((e) => e.replace(/^job:/, '')).sort())

const runAll = (t: Backend) => runScheduledInTimeOrder(t, vi)

const fns = internal.examples.scheduling

async function initialized() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  expect(await jobs(t)).toEqual({ 'workflow.onInitialized': 'pending', 'a.onEnabled': 'pending', 'b.onEnabled': 'pending' })
  return { t, wf }
}

/** `a` has started: `b` lost the deferred choice. */
async function aStarted() {
  const { t, wf } = await initialized()
  await wf.start('a')
  expect(await wf.tasks()).toEqual({ a: 'started', b: 'disabled', c: 'disabled' })
  expect(await jobs(t)).toEqual({
    'workflow.onInitialized': 'pending',
    'a.onEnabled': 'pending',
    'b.onEnabled': 'canceled',
    'b.onDisabled': 'pending',
    'workflow.onStarted': 'pending',
    'a.onStarted': 'pending',
  })
  return { t, wf }
}

describe('scheduling tied to tasks and workflows', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('jobs registered by elements that are still active run when due', async () => {
    const { t, wf } = await initialized()
    await runAll(t)
    expect(await jobs(t)).toEqual({ 'workflow.onInitialized': 'success', 'a.onEnabled': 'success', 'b.onEnabled': 'success' })
    expect(await ran(t)).toEqual(['a.onEnabled', 'b.onEnabled', 'workflow.onInitialized'])
    expect(await wf.workflowState()).toBe('initialized')
  })

  it('a task disabled (it lost a deferred choice) cancels its jobs; the job its onDisabled scheduled directly still runs', async () => {
    const { t } = await aStarted()
    await runAll(t)
    expect((await jobs(t))['b.onEnabled']).toBe('canceled')
    expect(await ran(t)).toEqual(['a.onEnabled', 'a.onStarted', 'b.onDisabled', 'workflow.onInitialized', 'workflow.onStarted'])
  })

  it('a task that completes cancels the jobs of its onEnabled and onStarted; the job its onCompleted scheduled runs after it is gone', async () => {
    const { t, wf } = await aStarted()
    await wf.complete('a')
    expect(await wf.tasks()).toEqual({ a: 'completed', b: 'disabled', c: 'enabled' })
    expect(await jobs(t)).toEqual({
      'workflow.onInitialized': 'pending',
      'a.onEnabled': 'canceled',
      'b.onEnabled': 'canceled',
      'b.onDisabled': 'pending',
      'workflow.onStarted': 'pending',
      'a.onStarted': 'canceled',
      'a.onCompleted': 'pending',
      'c.onEnabled': 'pending',
    })

    await runAll(t)
    expect(await ran(t)).toEqual(['a.onCompleted', 'b.onDisabled', 'c.onEnabled', 'workflow.onInitialized', 'workflow.onStarted'])
    expect(await wf.workflowState()).toBe('started')
  })

  it('a task that fails cancels its jobs, and the failing workflow cancels its own; the onFailed jobs still run', async () => {
    const { t, wf } = await aStarted()
    await wf.act('fail', 'a')
    expect(await wf.workflowState()).toBe('failed')
    expect(await jobs(t)).toEqual({
      'workflow.onInitialized': 'canceled',
      'a.onEnabled': 'canceled',
      'b.onEnabled': 'canceled',
      'b.onDisabled': 'pending',
      'workflow.onStarted': 'canceled',
      'a.onStarted': 'canceled',
      'a.onFailed': 'pending',
      'workflow.onFailed': 'pending',
    })

    await runAll(t)
    expect(await ran(t)).toEqual(['a.onFailed', 'b.onDisabled', 'workflow.onFailed'])
  })

  it('canceling the workflow cancels the jobs of its tasks and its own; the onCanceled jobs still run', async () => {
    const { t, wf } = await aStarted()
    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await wf.workflowState()).toBe('canceled')
    expect(await jobs(t)).toEqual({
      'workflow.onInitialized': 'canceled',
      'a.onEnabled': 'canceled',
      'b.onEnabled': 'canceled',
      'b.onDisabled': 'pending',
      'workflow.onStarted': 'canceled',
      'a.onStarted': 'canceled',
      'a.onCanceled': 'pending',
      'workflow.onCanceled': 'pending',
    })

    await runAll(t)
    expect(await ran(t)).toEqual(['a.onCanceled', 'b.onDisabled', 'workflow.onCanceled'])
  })

  it('canceling a workflow that has not started cancels the jobs of its enabled tasks and of its onInitialized', async () => {
    const { t, wf } = await initialized()
    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await jobs(t)).toEqual({
      'workflow.onInitialized': 'canceled',
      'a.onEnabled': 'canceled',
      'b.onEnabled': 'canceled',
      'a.onCanceled': 'pending',
      'b.onCanceled': 'pending',
      'workflow.onCanceled': 'pending',
    })

    await runAll(t)
    expect(await ran(t)).toEqual(['a.onCanceled', 'b.onCanceled', 'workflow.onCanceled'])
  })

  it('a workflow that completes cancels the jobs of its onInitialized and onStarted; the onCompleted jobs still run', async () => {
    const { t, wf } = await aStarted()
    await wf.complete('a')
    await wf.run('c')
    expect(await wf.workflowState()).toBe('completed')
    expect(await jobs(t)).toEqual({
      'workflow.onInitialized': 'canceled',
      'a.onEnabled': 'canceled',
      'b.onEnabled': 'canceled',
      'b.onDisabled': 'pending',
      'workflow.onStarted': 'canceled',
      'a.onStarted': 'canceled',
      'a.onCompleted': 'pending',
      'c.onEnabled': 'canceled',
      'c.onStarted': 'canceled',
      'c.onCompleted': 'pending',
      'workflow.onCompleted': 'pending',
    })

    await runAll(t)
    expect(await ran(t)).toEqual(['a.onCompleted', 'b.onDisabled', 'c.onCompleted', 'workflow.onCompleted'])
  })

  it('when b wins the choice, a is disabled (its job canceled); c, enabled again through b, fails and cancels its own jobs', async () => {
    const { t, wf } = await initialized()
    await wf.start('b')
    await wf.complete('b')
    await wf.start('c')
    expect((await jobs(t))['c.onStarted']).toBe('pending')
    await wf.act('fail', 'c')
    const states = await jobs(t)
    expect(states['c.onEnabled']).toBe('canceled')
    expect(states['c.onStarted']).toBe('canceled')
    expect(states['c.onFailed']).toBe('pending')
    expect(states['a.onEnabled']).toBe('canceled')
    expect(states['a.onDisabled']).toBe('pending')
    await runAll(t)
    expect(await ran(t)).toEqual(['a.onDisabled', 'b.onCompleted', 'c.onFailed', 'workflow.onFailed'])
  })
})
