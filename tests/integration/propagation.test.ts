import { describe, expect, it } from 'vitest'
import { api, internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { setPolicyMode, type PolicyMode } from '../../src/workflows/propagation'
import { backend, driver, errorOf, type Backend } from '../support/harness'

/** Returns the activity log and empties it. */
const drain = (t: Backend) => t.run((ctx) => ActivityLog.drain(ctx))
const entries = (t: Backend) => t.run((ctx) => ActivityLog.entries(ctx))

const fns = internal.examples.propagation
const TASKS = ['pay', 'ship', 'notify', 'done'] as const

/** split has fired: pay, ship and notify are offered. */
const INITIALIZE_ORDER = [
  'workflow.onInitialized',
  'split.onEnabled',
  'workflow.onStarted',
  'split.onStarted',
  'split.onCompleted',
  'pay.onEnabled',
  'pay.item.onInitialized',
  'ship.onEnabled',
  'ship.item.onInitialized',
  'notify.onEnabled',
  'notify.item.onInitialized',
]

/** pay and ship are started, notify is only enabled; the log is empty. */
async function running(policies: Partial<Record<(typeof TASKS)[number], PolicyMode>> = {}) {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  for (const [task, mode] of Object.entries(policies)) {
    await t.run((ctx) => setPolicyMode(ctx as never, wf.workflowId, task, mode))
  }
  expect(await drain(t)).toEqual(INITIALIZE_ORDER)
  await wf.start('pay')
  expect(await drain(t)).toEqual(['pay.item.onStarted', 'pay.onStarted', 'pay.onWorkItemStateChanged(initialized→started)'])
  await wf.start('ship')
  await drain(t)
  expect(await wf.snapshot()).toEqual(RUNNING)
  return { t, wf }
}

const RUNNING = {
  workflow: 'started',
  tasks: { split: 'completed', pay: 'started', ship: 'started', notify: 'enabled', done: 'disabled' },
  marking: { start: 0, split__to__pay: 0, split__to__ship: 0, split__to__notify: 1, pay__to__done: 0, ship__to__done: 0, notify__to__done: 0, end: 0 },
  workItems: ['pay#1:started', 'ship#1:started', 'notify#1:initialized'],
}

/** Runs the rest of the workflow to its end. */
async function finish(wf: ReturnType<typeof driver>, tasks: string[]) {
  for (const task of tasks) await wf.run(task)
}

describe('failure propagates up (docs/semantics.md#failure-and-cancellation)', () => {
  it('a failed work item fails its task (default policy), which fails the workflow: siblings canceled, enabled tasks disabled, in the documented order', async () => {
    const { t, wf } = await running()

    await wf.act('fail', 'pay')
    expect(await drain(t)).toEqual([
      'pay.item.onFailed',
      'pay.onWorkItemStateChanged(started→failed)',
      'pay.policy(started→failed)',
      'pay.onFailed',
      // failWorkflow: the active tasks in declaration order; a started sibling is canceled (onCanceled, not onFailed),
      // an enabled one is disabled; each task's work items first, then the task's own hook.
      'ship.item.onCanceled',
      'ship.onWorkItemStateChanged(started→canceled)',
      'ship.onCanceled',
      'notify.item.onCanceled',
      'notify.onWorkItemStateChanged(initialized→canceled)',
      'notify.onDisabled',
      'workflow.onFailed',
    ])
    const snapshot = await wf.snapshot()
    expect({ ...snapshot, marking: undefined }).toEqual({
      workflow: 'failed',
      tasks: { split: 'completed', pay: 'failed', ship: 'canceled', notify: 'disabled', done: 'disabled' },
      marking: undefined,
      workItems: ['pay#1:failed', 'ship#1:canceled', 'notify#1:canceled'],
    })
    // No token was produced by the failed task.
    expect(snapshot.marking.pay__to__done).toBe(0)
    expect(snapshot.marking.end).toBe(0)
  })

  it("a policy returning 'complete' on a failure stops it there: the task completes and the workflow keeps running", async () => {
    const { t, wf } = await running({ pay: 'complete' })

    await wf.act('fail', 'pay')
    expect(await drain(t)).toEqual([
      'pay.item.onFailed',
      'pay.onWorkItemStateChanged(started→failed)',
      'pay.policy(started→failed)',
      'pay.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      ...RUNNING,
      tasks: { ...RUNNING.tasks, pay: 'completed' },
      marking: { ...RUNNING.marking, pay__to__done: 1 },
      workItems: ['pay#1:failed', 'ship#1:started', 'notify#1:initialized'],
    })

    await wf.complete('ship')
    await finish(wf, ['notify', 'done'])
    expect(await wf.workflowState()).toBe('completed')
  })

  it("a policy returning 'continue' on a failure stops it there: the task stays started and may take a new work item", async () => {
    const { t, wf } = await running({ pay: 'continue' })

    await wf.act('fail', 'pay')
    expect(await drain(t)).toEqual(['pay.item.onFailed', 'pay.onWorkItemStateChanged(started→failed)', 'pay.policy(started→failed)'])
    expect(await wf.snapshot()).toEqual({ ...RUNNING, workItems: ['pay#1:failed', 'ship#1:started', 'notify#1:initialized'] })

    await t.run((ctx) => setPolicyMode(ctx as never, wf.workflowId, 'pay', 'default'))
    await t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName: 'pay' }, args: { name: 'pay' } })
    await wf.run('pay')
    expect(await drain(t)).toEqual([
      'pay.item.onInitialized',
      'pay.item.onStarted',
      'pay.onWorkItemStateChanged(initialized→started)',
      'pay.item.onCompleted',
      'pay.onWorkItemStateChanged(started→completed)',
      'pay.policy(started→completed)',
      'pay.onCompleted',
    ])
    expect((await wf.tasks()).pay).toBe('completed')
    expect(await wf.workflowState()).toBe('started')
  })
})

describe('cancellation propagates only down (docs/semantics.md#failure-and-cancellation)', () => {
  it('cancelRootWorkflow cancels every active task and work item, asks no policy, runs onCanceled in the documented order', async () => {
    // Every task's policy throws if it is asked.
    const { t, wf } = await running({ pay: 'throw', ship: 'throw', notify: 'throw', done: 'throw' })

    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'customer' } })
    expect(await drain(t)).toEqual([
      'cancel action(customer)',
      'pay.item.onCanceled',
      'pay.onWorkItemStateChanged(started→canceled)',
      'pay.onCanceled',
      'ship.item.onCanceled',
      'ship.onWorkItemStateChanged(started→canceled)',
      'ship.onCanceled',
      // An enabled task is canceled (not disabled) by a workflow cancel.
      'notify.item.onCanceled',
      'notify.onWorkItemStateChanged(initialized→canceled)',
      'notify.onCanceled',
      'workflow.onCanceled',
    ])
    // The marking is not part of this check: docs/semantics.md#failure-and-cancellation does not say what a canceled workflow's conditions hold.
    const { marking: _marking, ...snapshot } = await wf.snapshot()
    expect(snapshot).toEqual({
      workflow: 'canceled',
      tasks: { split: 'completed', pay: 'canceled', ship: 'canceled', notify: 'canceled', done: 'disabled' },
      workItems: ['pay#1:canceled', 'ship#1:canceled', 'notify#1:canceled'],
    })
  })

  it('the public cancelRootWorkflow runs the custom cancel action, whose callback calls workflow.cancel()', async () => {
    const { t, wf } = await running()

    await t.mutation(api.examples.propagation.cancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'client' } })
    const log = await drain(t)
    expect(log[0]).toBe('cancel action(client)')
    expect(log.at(-1)).toBe('workflow.onCanceled')
    expect(await wf.workflowState()).toBe('canceled')
  })

  it('a custom cancel action that does not call workflow.cancel() raises ACTION_INCOMPLETE and changes nothing', async () => {
    const { t, wf } = await running()

    const error = await errorOf(
      t.mutation(api.examples.propagation.cancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'oops', skip: true } }),
    )
    expect(error.code).toBe('ACTION_INCOMPLETE')
    expect(error.message).toContain('workflow.cancel()')
    expect(await wf.snapshot()).toEqual(RUNNING)
    // The callback's own log entry rolled back with the mutation.
    expect(await entries(t)).toEqual([])
  })

  it('canceling a completed workflow raises INVALID_TRANSITION and changes nothing', async () => {
    const { t, wf } = await running()
    await wf.complete('pay')
    await wf.complete('ship')
    await finish(wf, ['notify', 'done'])
    expect(await wf.workflowState()).toBe('completed')
    await drain(t)
    const before = await wf.snapshot()

    const error = await errorOf(t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'late' } }))
    expect(error.code).toBe('INVALID_TRANSITION')
    expect(error.message).toContain("'completed'")
    expect(error.message).toContain('cancel')
    expect(await wf.snapshot()).toEqual(before)
    expect(await entries(t)).toEqual([])
  })

  it('canceling a failed or an already canceled workflow raises INVALID_TRANSITION and changes nothing', async () => {
    const failed = await running()
    await failed.wf.act('fail', 'pay')
    await drain(failed.t)
    const failedBefore = await failed.wf.snapshot()
    const e1 = await errorOf(failed.t.mutation(fns.internalCancelRootWorkflow, { workflowId: failed.wf.workflowId, payload: { reason: 'x' } }))
    expect(e1.code).toBe('INVALID_TRANSITION')
    expect(await failed.wf.snapshot()).toEqual(failedBefore)
    expect(await entries(failed.t)).toEqual([])

    const canceled = await running()
    await canceled.t.mutation(fns.internalCancelRootWorkflow, { workflowId: canceled.wf.workflowId, payload: { reason: 'first' } })
    await drain(canceled.t)
    const canceledBefore = await canceled.wf.snapshot()
    const e2 = await errorOf(canceled.t.mutation(fns.internalCancelRootWorkflow, { workflowId: canceled.wf.workflowId, payload: { reason: 'again' } }))
    expect(e2.code).toBe('INVALID_TRANSITION')
    expect(await canceled.wf.snapshot()).toEqual(canceledBefore)
    expect(await entries(canceled.t)).toEqual([])
  })

  it('canceling a workflow that has not started (initialized) cancels its enabled tasks and their work items', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.policyProbe)
    await wf.initialize()
    await drain(t)
    await t.mutation(internal.examples.policyProbe.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await drain(t)).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.onCanceled',
      'workflow.onCanceled',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'canceled',
      tasks: { review: 'canceled', publish: 'disabled' },
      marking: { start: 1, review__to__publish: 0, end: 0 },
      workItems: ['review#1:canceled', 'review#1:canceled'],
    })
  })

  it("a bottom-up cancel of a work item runs its onCanceled and asks its task's policy (default: complete when all final)", async () => {
    const { t, wf } = await running()

    await wf.act('cancel', 'pay')
    expect(await drain(t)).toEqual([
      'pay.item.onCanceled',
      'pay.onWorkItemStateChanged(started→canceled)',
      'pay.policy(started→canceled)',
      'pay.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      ...RUNNING,
      tasks: { ...RUNNING.tasks, pay: 'completed' },
      marking: { ...RUNNING.marking, pay__to__done: 1 },
      workItems: ['pay#1:canceled', 'ship#1:started', 'notify#1:initialized'],
    })
  })

  it("a bottom-up cancel whose policy returns 'fail' fails the task and the workflow", async () => {
    const { t, wf } = await running({ pay: 'fail' })

    await wf.act('cancel', 'pay')
    expect(await drain(t)).toEqual([
      'pay.item.onCanceled',
      'pay.onWorkItemStateChanged(started→canceled)',
      'pay.policy(started→canceled)',
      'pay.onFailed',
      'ship.item.onCanceled',
      'ship.onWorkItemStateChanged(started→canceled)',
      'ship.onCanceled',
      'notify.item.onCanceled',
      'notify.onWorkItemStateChanged(initialized→canceled)',
      'notify.onDisabled',
      'workflow.onFailed',
    ])
    expect(await wf.workflowState()).toBe('failed')
  })
})

describe('order of activities on the happy path (docs/architecture.md)', () => {
  it('completion: work item hook, task reaction, policy, exit, then the next task is enabled; the workflow completes last', async () => {
    const { t, wf } = await running()
    await wf.complete('pay')
    await wf.complete('ship')
    await wf.start('notify')
    await drain(t)

    await wf.complete('notify')
    expect(await drain(t)).toEqual([
      'notify.item.onCompleted',
      'notify.onWorkItemStateChanged(started→completed)',
      'notify.policy(started→completed)',
      'notify.onCompleted',
      'done.onEnabled',
      'done.item.onInitialized',
    ])
    await wf.start('done')
    await drain(t)
    await wf.complete('done')
    expect(await drain(t)).toEqual([
      'done.item.onCompleted',
      'done.onWorkItemStateChanged(started→completed)',
      'done.policy(started→completed)',
      'done.onCompleted',
      'workflow.onCompleted',
    ])
    expect(await wf.workflowState()).toBe('completed')
  })
})
