import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { WAIT_TIMEOUT_MS } from '../../src/workflows/scenarios'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, driver, type Backend } from '../support/harness'

/** The job `wait`'s initialize action schedules: complete the work item after WAIT_TIMEOUT_MS. */
const COMPLETE_JOB = 'examples/timeout:internalCompleteWorkItem'

const WAITING = {
  workflow: 'started',
  tasks: { wait: 'started' },
  marking: { start: 0, end: 0 },
  workItems: ['wait#1:started'],
}
const finished = (workItem: string) => ({
  workflow: 'completed',
  tasks: { wait: 'completed' },
  marking: { start: 0, end: 1 },
  workItems: [`wait#1:${workItem}`],
})

/** The scheduled functions of the backend, as `{ name, state, delay }`. */
async function jobs(t: Backend) {
  return t.run(async (ctx) =>
    (await ctx.db.system.query('_scheduled_functions').collect()).map((job) => ({
      name: job.name.replace(/\.js:/, ':'),
      state: job.state.kind,
      delay: Math.round(job.scheduledTime - job._creationTime),
    })),
  )
}

async function waiting() {
  const t = backend()
  const wf = driver(t, internal.examples.timeout)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual(WAITING)
  expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'pending', delay: WAIT_TIMEOUT_MS }])
  const wait = await wf.workItemOf('wait')
  return { t, wf, waitId: wait._id as Id<'tasknet_workItems'> }
}

describe('registerScheduled ties a scheduled job to the work item that registered it (docs/semantics.md#activities-actions-and-triggers)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('the job registered in the initialize action completes the work item when it runs', async () => {
    const { t, wf } = await waiting()

    await runScheduledInTimeOrder(t, vi)
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'success', delay: WAIT_TIMEOUT_MS }])
    expect(await wf.snapshot()).toEqual(finished('completed'))
  })

  it('canceling the work item before the job runs cancels the job, which never runs', async () => {
    const { t, wf, waitId } = await waiting()

    await t.mutation(internal.examples.timeout.internalCancelWorkItem, { workItemId: waitId, args: { name: 'wait' } })
    // The default policy completes the task once its only work item is final, canceled included.
    expect(await wf.snapshot()).toEqual(finished('canceled'))
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])

    await runScheduledInTimeOrder(t, vi)
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])
    expect(await wf.snapshot()).toEqual(finished('canceled'))
  })

  it('completing the work item (and so its task) before the job runs cancels the job, which never runs', async () => {
    const { t, wf, waitId } = await waiting()

    await t.mutation(internal.examples.timeout.internalCompleteWorkItem, { workItemId: waitId, args: { name: 'wait' } })
    expect(await wf.snapshot()).toEqual(finished('completed'))
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])

    await runScheduledInTimeOrder(t, vi)
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])
    expect(await wf.snapshot()).toEqual(finished('completed'))
  })

  it('resetting the work item (started → initialized) cancels the job, which never runs', async () => {
    const { t, wf, waitId } = await waiting()
    const reset = { ...WAITING, workItems: ['wait#1:initialized'] }

    await t.mutation(internal.examples.timeout.internalResetWorkItem, { workItemId: waitId, args: { name: 'wait' } })
    expect(await wf.snapshot()).toEqual(reset)
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])

    await runScheduledInTimeOrder(t, vi)
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])
    expect(await wf.snapshot()).toEqual(reset)
  })

  it('canceling the workflow tears the work item down and cancels the job, which never runs', async () => {
    const { t, wf } = await waiting()
    const canceled = { workflow: 'canceled', tasks: { wait: 'canceled' }, marking: { start: 0, end: 0 }, workItems: ['wait#1:canceled'] }

    await t.mutation(internal.examples.timeout.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await wf.snapshot()).toEqual(canceled)
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])

    await runScheduledInTimeOrder(t, vi)
    expect(await jobs(t)).toEqual([{ name: COMPLETE_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])
    expect(await wf.snapshot()).toEqual(canceled)
  })
})

/** The job `escalate`'s initialize action schedules: start the work item (which then completes itself). */
const START_JOB = 'examples/escalation:internalStartWorkItem'

const OFFERED = {
  workflow: 'initialized',
  tasks: { respond: 'enabled', escalate: 'enabled' },
  marking: { start: 1, end: 0 },
  workItems: ['respond#1:initialized', 'escalate#1:initialized'],
}

async function offered() {
  const t = backend()
  const wf = driver(t, internal.examples.escalation)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual(OFFERED)
  expect(await jobs(t)).toEqual([{ name: START_JOB, state: 'pending', delay: WAIT_TIMEOUT_MS }])
  return { t, wf }
}

describe('registerScheduled in a deferred choice: a timer against a person', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('when the job runs first, escalate starts and completes, and respond is disabled with its work item canceled', async () => {
    const { t, wf } = await offered()

    await runScheduledInTimeOrder(t, vi)
    expect(await jobs(t)).toEqual([{ name: START_JOB, state: 'success', delay: WAIT_TIMEOUT_MS }])
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { respond: 'disabled', escalate: 'completed' },
      marking: { start: 0, end: 1 },
      workItems: ['respond#1:canceled', 'escalate#1:completed'],
    })
  })

  it('when respond starts first, escalate is disabled, its work item canceled, and its job canceled: it never runs', async () => {
    const { t, wf } = await offered()
    const responding = {
      workflow: 'started',
      tasks: { respond: 'started', escalate: 'disabled' },
      marking: { start: 0, end: 0 },
      workItems: ['respond#1:started', 'escalate#1:canceled'],
    }

    await wf.start('respond')
    expect(await wf.snapshot()).toEqual(responding)
    expect(await jobs(t)).toEqual([{ name: START_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])

    await runScheduledInTimeOrder(t, vi)
    expect(await jobs(t)).toEqual([{ name: START_JOB, state: 'canceled', delay: WAIT_TIMEOUT_MS }])
    expect(await wf.snapshot()).toEqual(responding)
  })
})
