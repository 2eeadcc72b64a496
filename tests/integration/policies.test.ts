import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { setPolicyMode, type PolicyMode } from '../../src/workflows/propagation'
import { backend, driver, type Backend } from '../support/harness'

/** Returns the activity log and empties it. */
const drain = (t: Backend) => t.run((ctx) => ActivityLog.drain(ctx))

const setPolicy = (t: Backend, workflowId: unknown, task: string, mode: PolicyMode) =>
  t.run((ctx) => setPolicyMode(ctx as never, workflowId as never, task, mode))

/** The context entries `policyProbe`'s review policy logged (`policy:{json}`), parsed; the rest of the log unchanged. */
const parsed = (entries: string[]) => entries.map((e) => (e.startsWith('policy:') ? JSON.parse(e.slice('policy:'.length)) : e))

const stats = (counts: Partial<Record<'initialized' | 'started' | 'completed' | 'failed' | 'canceled', number>>, total: number) => ({
  initialized: 0,
  started: 0,
  completed: 0,
  failed: 0,
  canceled: 0,
  ...counts,
  total,
})

const fns = internal.examples.policyProbe

async function probe(mode: PolicyMode = 'default') {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await setPolicy(t, wf.workflowId, 'review', mode)
  expect(await drain(t)).toEqual(['workflow.onInitialized', 'review.onEnabled', 'review.item.onInitialized', 'review.item.onInitialized'])
  const [first, second] = (await wf.workItems('review')) as unknown as [{ _id: string }, { _id: string }]
  const act = (action: 'Start' | 'Complete' | 'Fail' | 'Cancel', item: { _id: string }) =>
    t.mutation(fns[`internal${action}WorkItem`], { workItemId: item._id as never, args: { name: 'review' } })
  /** What the policy logged for one call: the context it got. */
  const policyCall = (prevState: string, nextState: string, item: { _id: string }, counts: ReturnType<typeof stats>) => ({
    transition: { prevState, nextState },
    task: { name: 'review', generation: 1 },
    stats: counts,
    workItem: { id: item._id },
    parent: { workflow: { id: wf.workflowId, name: 'policyProbe' } },
    mutationCtx: { db: 'function', scheduler: 'function' },
    keys: ['mutationCtx', 'parent', 'task', 'transition', 'workItem'],
  })
  return { t, wf, first, second, act, policyCall }
}

const STARTED_FIRST = [
  'review.item.onStarted',
  'workflow.onStarted',
  'review.onStarted',
  'review.onWorkItemStateChanged(initialized→started)',
]

describe('policies: the context a policy gets (docs/semantics.md#policies)', () => {
  it('gets the transition, the generation\'s counts after it, the work item id, the parent workflow and a working mutationCtx', async () => {
    const { t, wf, first, second, act, policyCall } = await probe()

    await act('Start', first)
    expect(await drain(t)).toEqual(STARTED_FIRST)

    await act('Complete', first)
    expect(parsed(await drain(t))).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      policyCall('started', 'completed', first, stats({ initialized: 1, completed: 1 }, 2)),
      'review.policy(started→completed)',
    ])
    // The default policy: one work item is still open, so the task continues.
    expect((await wf.tasks()).review).toBe('started')

    await act('Start', second)
    expect(await drain(t)).toEqual(['review.item.onStarted', 'review.onWorkItemStateChanged(initialized→started)'])
    await act('Complete', second)
    expect(parsed(await drain(t))).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      policyCall('started', 'completed', second, stats({ completed: 2 }, 2)),
      'review.policy(started→completed)',
      'review.onCompleted',
      'publish.onEnabled',
      'publish.item.onInitialized',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', publish: 'enabled' },
      marking: { start: 0, review__to__publish: 1, end: 0 },
      workItems: ['review#1:completed', 'review#1:completed', 'publish#1:initialized'],
    })
  })
})

describe('policies: the default policy (a policy returning undefined uses it)', () => {
  it('completed: continue while a work item is open, complete once all are final', async () => {
    // Covered step by step in the context test above; here the counts include a cancellation.
    const { t, wf, first, second, act, policyCall } = await probe()
    await act('Start', first)
    await act('Start', second)
    await drain(t)

    await act('Complete', first)
    expect(parsed(await drain(t))).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      policyCall('started', 'completed', first, stats({ started: 1, completed: 1 }, 2)),
      'review.policy(started→completed)',
    ])
    expect((await wf.tasks()).review).toBe('started')
  })

  it('canceled: continue while a work item is open, complete once all are final (canceling the last open one completes)', async () => {
    const { t, wf, first, second, act, policyCall } = await probe()
    await act('Start', first)
    await drain(t)

    await act('Cancel', second)
    expect(parsed(await drain(t))).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      policyCall('initialized', 'canceled', second, stats({ started: 1, canceled: 1 }, 2)),
      'review.policy(initialized→canceled)',
    ])
    expect((await wf.tasks()).review).toBe('started')

    await act('Cancel', first)
    expect(parsed(await drain(t))).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      policyCall('started', 'canceled', first, stats({ canceled: 2 }, 2)),
      'review.policy(started→canceled)',
      'review.onCompleted',
      'publish.onEnabled',
      'publish.item.onInitialized',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', publish: 'enabled' },
      marking: { start: 0, review__to__publish: 1, end: 0 },
      workItems: ['review#1:canceled', 'review#1:canceled', 'publish#1:initialized'],
    })
  })

  it('failed: fail, even while another work item is open; the open one is torn down without asking the policy', async () => {
    const { t, wf, first, act, policyCall } = await probe()
    await act('Start', first)
    await drain(t)

    await act('Fail', first)
    expect(parsed(await drain(t))).toEqual([
      'review.item.onFailed',
      'review.onWorkItemStateChanged(started→failed)',
      policyCall('started', 'failed', first, stats({ initialized: 1, failed: 1 }, 2)),
      'review.policy(started→failed)',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.onFailed',
      'workflow.onFailed',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'failed',
      tasks: { review: 'failed', publish: 'disabled' },
      marking: { start: 0, review__to__publish: 0, end: 0 },
      workItems: ['review#1:failed', 'review#1:canceled'],
    })
  })
})

describe('policies are asked only for bottom-up signals on a started task', () => {
  it('not on start (a policy that throws when asked lets both work items start)', async () => {
    const { t, wf, first, second, act } = await probe('throw')
    await act('Start', first)
    await act('Start', second)
    expect(await drain(t)).toEqual([...STARTED_FIRST, 'review.item.onStarted', 'review.onWorkItemStateChanged(initialized→started)'])
    expect((await wf.snapshot()).workItems).toEqual(['review#1:started', 'review#1:started'])
  })

  it('not on a reset (started → initialized): the task stays started', async () => {
    const { t, wf, first } = await probe('throw')
    await t.mutation(fns.internalStartWorkItem, { workItemId: first._id as never, args: { name: 'review' } })
    await drain(t)
    await t.mutation(fns.internalResetWorkItem, { workItemId: first._id as never, args: { name: 'review' } })
    expect(await drain(t)).toEqual(['review.item.onReset', 'review.onWorkItemStateChanged(started→initialized)'])
    expect((await wf.snapshot()).workItems).toEqual(['review#1:initialized', 'review#1:initialized'])
    expect((await wf.tasks()).review).toBe('started')
  })

  it('not for teardown cancels: canceling the workflow tears the started task down without asking', async () => {
    const { t, wf, first, act } = await probe('throw')
    await act('Start', first)
    await drain(t)

    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    // The teardown takes the generation's initialized work items, then its started ones.
    expect(await drain(t)).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      'review.onCanceled',
      'workflow.onCanceled',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'canceled',
      tasks: { review: 'canceled', publish: 'disabled' },
      marking: { start: 0, review__to__publish: 0, end: 0 },
      workItems: ['review#1:canceled', 'review#1:canceled'],
    })
  })

  it('not when the task is merely enabled: canceling its work items is only recorded, tokens stay, a new work item may be offered', async () => {
    const { t, wf, first, second, act } = await probe('throw')

    await act('Cancel', first)
    await act('Cancel', second)
    expect(await drain(t)).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { review: 'enabled', publish: 'disabled' },
      marking: { start: 1, review__to__publish: 0, end: 0 },
      workItems: ['review#1:canceled', 'review#1:canceled'],
    })

    await t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName: 'review' }, args: { name: 'review' } })
    expect(await drain(t)).toEqual(['review.item.onInitialized'])
    expect((await wf.snapshot()).workItems).toEqual(['review#1:canceled', 'review#1:canceled', 'review#1:initialized'])
  })
})

describe('scenario 6: a policy "complete when the first work item completes"', () => {
  it('completes on the first completion, never on a start, and produces one set of tokens', async () => {
    const { t, wf, first, second, act, policyCall } = await probe('firstCompletion')

    await act('Start', first)
    await act('Start', second)
    // Two starts: the policy was not asked, the task has not completed.
    expect(await drain(t)).toEqual([...STARTED_FIRST, 'review.item.onStarted', 'review.onWorkItemStateChanged(initialized→started)'])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'started', publish: 'disabled' },
      marking: { start: 0, review__to__publish: 0, end: 0 },
      workItems: ['review#1:started', 'review#1:started'],
    })

    await act('Complete', second)
    expect(parsed(await drain(t))).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      policyCall('started', 'completed', second, stats({ started: 1, completed: 1 }, 2)),
      'review.policy(started→completed)',
      // The task exits: the other work item is torn down (no policy), then onCompleted, once.
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      'review.onCompleted',
      'publish.onEnabled',
      'publish.item.onInitialized',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', publish: 'enabled' },
      marking: { start: 0, review__to__publish: 1, end: 0 },
      workItems: ['review#1:canceled', 'review#1:completed', 'publish#1:initialized'],
    })
  })

  it('a task with one work item started and one still offered does not complete on the start of the second', async () => {
    const { t, wf, first, second, act } = await probe('firstCompletion')
    await act('Start', first)
    await drain(t)
    await act('Start', second)
    expect(await drain(t)).toEqual(['review.item.onStarted', 'review.onWorkItemStateChanged(initialized→started)'])
    expect((await wf.tasks()).review).toBe('started')
    expect((await wf.marking()).review__to__publish).toBe(0)
  })
})

describe('scenario 5: a follow-up work item created and completed inside onWorkItemStateChanged', () => {
  async function drafting(mode: PolicyMode) {
    const t = backend()
    const wf = driver(t, internal.examples.followUp)
    await wf.initialize()
    await setPolicy(t, wf.workflowId, 'draft', mode)
    await wf.start('draft')
    expect(await drain(t)).toEqual([
      'workflow.onInitialized',
      'draft.onEnabled',
      'draft.item.onInitialized',
      'draft.item.onStarted',
      'workflow.onStarted',
      'draft.onStarted',
      'draft.onWorkItemStateChanged(initialized→started)',
    ])
    return { t, wf }
  }

  it('default policy: the task continues for the follow-up and completes once, when the follow-up completes', async () => {
    const { t, wf } = await drafting('default')

    await wf.complete('draft')
    expect(await drain(t)).toEqual([
      'draft.item.onCompleted',
      'draft.onWorkItemStateChanged(started→completed)',
      'draft.item.onInitialized (follow-up)',
      'draft.policy(started→completed)',
      // The auto-triggers run after the step's operation: the follow-up starts, then completes.
      'draft.item.onStarted (follow-up)',
      'draft.onWorkItemStateChanged(initialized→started)',
      'draft.item.onCompleted',
      'draft.onWorkItemStateChanged(started→completed)',
      'draft.policy(started→completed)',
      'draft.onCompleted',
      'review.onEnabled',
      'review.item.onInitialized',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { draft: 'completed', review: 'enabled' },
      marking: { start: 0, draft__to__review: 1, end: 0 },
      workItems: ['draft#1:completed', 'draft#1:completed', 'review#1:initialized'],
    })
  })

  it('a policy that completes on the first completion: the follow-up is torn down, its start trigger dropped, one set of tokens', async () => {
    const { t, wf } = await drafting('firstCompletion')

    await wf.complete('draft')
    expect(await drain(t)).toEqual([
      'draft.item.onCompleted',
      'draft.onWorkItemStateChanged(started→completed)',
      'draft.item.onInitialized (follow-up)',
      'draft.policy(started→completed)',
      'draft.item.onCanceled',
      'draft.onWorkItemStateChanged(initialized→canceled)',
      'draft.onCompleted',
      'review.onEnabled',
      'review.item.onInitialized',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { draft: 'completed', review: 'enabled' },
      marking: { start: 0, draft__to__review: 1, end: 0 },
      workItems: ['draft#1:completed', 'draft#1:canceled', 'review#1:initialized'],
    })
  })
})
