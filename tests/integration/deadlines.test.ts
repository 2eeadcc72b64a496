import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { advanceTime, runScheduledInTimeOrder, scheduledFunctions, workflowDriver, type ScheduledFunction } from '../../src/testing'
import {
  APPROVAL_DEADLINE_MS,
  NEGOTIATION_DEADLINE_MS,
  QUICK_NEGOTIATION_MS,
  ATTEMPT_DEADLINE_MS,
  COOL_OFF_MS,
  QUOTE_VALIDITY_MS,
  REVIEW_DEADLINE_MS,
  TENDER_DEADLINE_MS,
} from '../../src/workflows/deadlines'
import { Builder, workflowHandlers } from '../../src'
import { backend, errorOf, type Backend } from '../support/harness'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const jobs = async (t: Backend) => (await scheduledFunctions(t)).map((job: ScheduledFunction) => `${job.name}:${job.state}`)
const log = (t: Backend) => t.run((ctx) => ActivityLog.entries(ctx))
/** The operation and caller of each journal event of the workflow, in order. */
async function steps(t: Backend, fns: Pick<typeof internal.examples.quote, 'getEvents'>, workflowId: string) {
  const page = await t.query(fns.getEvents, { workflowId: workflowId as never })
  return page.events.map((e) => `${e.operation}/${e.caller.kind}`)
}

describe('a workflow deadline that cancels the workflow', () => {
  const fns = internal.examples.quote
  const DEADLINE = 'examples/quote:internalDeadlineReached'

  it('passes while the quote is open: at its time, one scheduled step cancels the workflow with its task and work item', async () => {
    const t = backend()
    const wf = workflowDriver(t, fns)
    const opened = Date.now()
    await wf.initialize()
    await wf.start('accept')
    expect(await jobs(t)).toEqual([`${DEADLINE}:pending`])
    expect((await scheduledFunctions(t))[0]!.scheduledTime - opened).toBe(QUOTE_VALIDITY_MS)

    const ran = await runScheduledInTimeOrder(t, vi)

    expect(ran.map((job) => job.name)).toEqual([DEADLINE])
    expect(Date.now() - opened).toBe(QUOTE_VALIDITY_MS)
    expect(await wf.snapshot()).toEqual({ workflow: 'canceled', tasks: { accept: 'canceled' }, marking: { start: 0, end: 0 }, workItems: ['accept#1:canceled'] })
    expect((await steps(t, fns, wf.workflowId)).at(-1)).toBe('deadlineReached/scheduled')
  })

  it('is canceled when the workflow completes first: nothing runs later and nothing changes', async () => {
    const t = backend()
    const wf = workflowDriver(t, fns)
    await wf.initialize()
    await wf.run('accept')
    expect(await jobs(t)).toEqual([`${DEADLINE}:canceled`])
    const before = await steps(t, fns, wf.workflowId)

    await advanceTime(t, vi, QUOTE_VALIDITY_MS * 2)

    expect(await jobs(t)).toEqual([`${DEADLINE}:canceled`])
    expect(await wf.snapshot()).toEqual({ workflow: 'completed', tasks: { accept: 'completed' }, marking: { start: 0, end: 1 }, workItems: ['accept#1:completed'] })
    expect(await steps(t, fns, wf.workflowId)).toEqual(before)
  })

  it('reached after the workflow ended (a job that ran anyway) is a step that changes nothing and writes no event', async () => {
    const t = backend()
    const wf = workflowDriver(t, fns)
    await wf.initialize()
    await wf.run('accept')
    const before = await steps(t, fns, wf.workflowId)

    await t.mutation(fns.internalDeadlineReached, { element: { kind: 'workflow', workflowId: wf.workflowId, name: 'quote' }, scheduled: true })

    expect(await wf.state()).toBe('completed')
    expect(await steps(t, fns, wf.workflowId)).toEqual(before)
  })
})

describe("a child workflow's deadline", () => {
  it('its callback cancels the child; its composite task hears of it as of a cancel command, and its default policy completes the task', async () => {
    const t = backend()
    const fns = internal.examples.contract
    const wf = workflowDriver(t, fns)
    const started = Date.now()
    await wf.initialize()
    const [child] = await t.query(fns.getChildWorkflows, { workflowId: wf.workflowId, taskName: 'negotiate' })
    const [offer] = await t.query(fns.getWorkItems, { workflowId: child!._id })
    await t.mutation(fns.internalStartWorkItem, { workItemId: offer!._id, args: { name: 'offer' } })

    const ran = await runScheduledInTimeOrder(t, vi)

    expect(ran.map((job) => job.name)).toEqual(['examples/contract:internalDeadlineReached'])
    expect(Date.now() - started).toBe(NEGOTIATION_DEADLINE_MS)
    expect(await log(t)).toEqual(['negotiation started past its deadline: canceled'])
    expect(await t.query(fns.getChildWorkflows, { workflowId: wf.workflowId, taskName: 'negotiate' })).toEqual([
      { _id: child!._id, name: 'negotiation', state: 'canceled', generation: 1 },
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { negotiate: 'completed', sign: 'enabled' },
      marking: { start: 0, negotiate__to__sign: 1, end: 0 },
      workItems: ['sign#1:initialized'],
    })
    const last = (await t.query(fns.getEvents, { workflowId: child!._id })).events.at(-1)!
    expect({ operation: last.operation, target: last.target }).toEqual({
      operation: 'deadlineReached',
      target: { kind: 'workflow', name: 'negotiation', workflowId: child!._id },
    })
  })
})

describe('a human work item whose deadline escalates (YAWL deadline escalation)', () => {
  it('the original stays: the manager is offered a second review, the first to complete completes the task and the other is canceled', async () => {
    const t = backend()
    const fns = internal.examples.escalatedReview
    const wf = workflowDriver(t, fns)
    await wf.initialize()
    await wf.start('review')
    expect(await log(t)).toEqual(['review offered to clerk'])

    await runScheduledInTimeOrder(t, vi)

    expect(await log(t)).toEqual(['review offered to clerk', 'review started past its deadline: escalated', 'review offered to manager'])
    expect((await wf.snapshot()).workItems).toEqual(['review#1:started', 'review#1:initialized'])
    // The manager's work item has no deadline (computed from its payload): nothing else is pending.
    expect(await jobs(t)).toEqual(['examples/escalatedReview:internalDeadlineReached:success'])

    const [, managers] = await wf.workItems('review')
    await t.mutation(fns.internalStartWorkItem, { workItemId: managers!._id, args: { name: 'review' } })
    await t.mutation(fns.internalCompleteWorkItem, { workItemId: managers!._id, args: { name: 'review' } })

    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { review: 'completed' },
      marking: { start: 0, end: 1 },
      workItems: ['review#1:canceled', 'review#1:completed'],
    })
  })

  it('handed over: the clerk’s work item is canceled after the manager’s is offered, and the task waits for the manager', async () => {
    const t = backend()
    const fns = internal.examples.handedOverReview
    const wf = workflowDriver(t, fns)
    const offered = Date.now()
    await wf.initialize()

    await runScheduledInTimeOrder(t, vi)

    expect(Date.now() - offered).toBe(REVIEW_DEADLINE_MS)
    // The clerk never started: the callback saw it `initialized`, and canceling it left the task enabled, waiting.
    expect(await log(t)).toEqual(['review offered to clerk', 'review initialized past its deadline: escalated', 'review offered to manager'])
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { review: 'enabled' },
      marking: { start: 1, end: 0 },
      workItems: ['review#1:canceled', 'review#1:initialized'],
    })
    await wf.run('review')
    expect(await wf.state()).toBe('completed')
  })
})

describe('a work item deadline that fails it', () => {
  it('fails the started work item; the task policy is asked as for any failure and its default fails the task and the workflow', async () => {
    const t = backend()
    const fns = internal.examples.approval
    const wf = workflowDriver(t, fns)
    const initialized = Date.now()
    await wf.initialize()
    await wf.start('approve')

    await runScheduledInTimeOrder(t, vi)

    expect(Date.now() - initialized).toBe(APPROVAL_DEADLINE_MS)
    expect(await log(t)).toEqual(['policy asked: started -> failed'])
    expect(await wf.snapshot()).toEqual({ workflow: 'failed', tasks: { approve: 'failed' }, marking: { start: 0, end: 0 }, workItems: ['approve#1:failed'] })
  })

  it('an offered (initialized) work item is started, then failed', async () => {
    const t = backend()
    const fns = internal.examples.approval
    const wf = workflowDriver(t, fns)
    await wf.initialize()

    await runScheduledInTimeOrder(t, vi)

    const page = await t.query(fns.getEvents, { workflowId: wf.workflowId })
    const last = page.events.at(-1)!
    expect(last.operation).toBe('deadlineReached')
    expect(last.changes.filter((c) => c.kind === 'workItem').map((c) => (c.kind === 'workItem' ? `${c.from}->${c.to}` : ''))).toEqual([
      'initialized->started',
      'started->failed',
    ])
    expect(await wf.state()).toBe('failed')
  })
})

describe('a deadline and a reset', () => {
  it('a reset keeps the deadline, which counts from the initialization: it still fails the work item on time', async () => {
    const t = backend()
    const fns = internal.examples.approval
    const wf = workflowDriver(t, fns)
    const initialized = Date.now()
    await wf.initialize()
    await wf.start('approve')
    await advanceTime(t, vi, APPROVAL_DEADLINE_MS / 2)
    await wf.reset('approve')
    expect(await jobs(t)).toEqual(['examples/approval:internalDeadlineReached:pending'])

    await runScheduledInTimeOrder(t, vi)

    expect(Date.now() - initialized).toBe(APPROVAL_DEADLINE_MS)
    expect(await wf.snapshot()).toEqual({ workflow: 'failed', tasks: { approve: 'failed' }, marking: { start: 0, end: 0 }, workItems: ['approve#1:failed'] })
  })
})

describe('a deadline in a loop', () => {
  it('each generation’s work item gets its own deadline; the old one is canceled with its work item and does nothing if reached', async () => {
    const t = backend()
    const fns = internal.examples.retrying
    const DEADLINE = 'examples/retrying:internalDeadlineReached'
    const wf = workflowDriver(t, fns)
    const enabled = Date.now()
    await wf.initialize()
    const first = await wf.run('attempt')

    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { attempt: 'enabled' },
      marking: { start: 0, again: 1, end: 0 },
      workItems: ['attempt#1:completed', 'attempt#2:initialized'],
    })
    expect(await jobs(t)).toEqual([`${DEADLINE}:canceled`, `${DEADLINE}:pending`])
    const [old, current] = await scheduledFunctions(t)
    expect(old!.args).toEqual({ element: { kind: 'workItem', workItemId: first._id }, scheduled: true })
    expect(current!.scheduledTime - enabled).toBe(ATTEMPT_DEADLINE_MS)

    // The first generation's deadline, reached anyway, finds its work item ended: no change, no event.
    const before = (await t.query(fns.getEvents, { workflowId: wf.workflowId })).events.length
    await t.mutation(fns.internalDeadlineReached, { element: { kind: 'workItem', workItemId: first._id }, scheduled: true })
    expect((await t.query(fns.getEvents, { workflowId: wf.workflowId })).events.length).toBe(before)

    const ran = await runScheduledInTimeOrder(t, vi)

    expect(ran.map((job) => job.id)).toEqual([current!.id])
    expect(Date.now()).toBe(current!.scheduledTime)
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { attempt: 'completed' },
      marking: { start: 0, again: 0, end: 1 },
      workItems: ['attempt#1:completed', 'attempt#2:completed'],
    })
  })
})

describe('a task deadline', () => {
  it('complete: the task ends with the quotes in by then, the others are canceled, and the workflow goes on', async () => {
    const t = backend()
    const fns = internal.examples.tender
    const wf = workflowDriver(t, fns)
    const enabled = Date.now()
    await wf.initialize()
    const [first] = await wf.workItems('collect')
    await t.mutation(fns.internalStartWorkItem, { workItemId: first!._id, args: { name: 'quote' } })
    await t.mutation(fns.internalCompleteWorkItem, { workItemId: first!._id, args: { name: 'quote' } })
    expect((await wf.tasks()).collect).toBe('started')

    const ran = await runScheduledInTimeOrder(t, vi)

    expect(ran.map((job) => job.name)).toEqual(['examples/tender:internalDeadlineReached'])
    expect(Date.now() - enabled).toBe(TENDER_DEADLINE_MS)
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { collect: 'completed' },
      marking: { start: 0, end: 1 },
      workItems: ['collect#1:completed', 'collect#1:canceled', 'collect#1:canceled'],
    })
  })

  it('fail, on a task still enabled: it is fired first (its join consumes the token), then fails, and so does the workflow', async () => {
    const t = backend()
    const fns = internal.examples.strictTender
    const wf = workflowDriver(t, fns)
    await wf.initialize()

    await runScheduledInTimeOrder(t, vi)

    expect(await wf.snapshot()).toEqual({
      workflow: 'failed',
      tasks: { collect: 'failed' },
      marking: { start: 0, end: 0 },
      workItems: ['collect#1:canceled', 'collect#1:canceled', 'collect#1:canceled'],
    })
    const last = (await t.query(fns.getEvents, { workflowId: wf.workflowId })).events.at(-1)!
    expect({ operation: last.operation, target: last.target, caller: last.caller }).toEqual({
      operation: 'deadlineReached',
      target: { kind: 'task', workflowId: wf.workflowId, name: 'collect' },
      caller: { kind: 'scheduled' },
    })
  })

  it('is canceled when the task ends first, and reached anyway for that generation it does nothing', async () => {
    const t = backend()
    const fns = internal.examples.tender
    const wf = workflowDriver(t, fns)
    await wf.initialize()
    for (const item of await wf.workItems('collect')) {
      await t.mutation(fns.internalStartWorkItem, { workItemId: item._id, args: { name: 'quote' } })
      await t.mutation(fns.internalCompleteWorkItem, { workItemId: item._id, args: { name: 'quote' } })
    }
    expect(await jobs(t)).toEqual(['examples/tender:internalDeadlineReached:canceled'])
    const before = (await t.query(fns.getEvents, { workflowId: wf.workflowId })).events.length

    await t.mutation(fns.internalDeadlineReached, { element: { kind: 'task', workflowId: wf.workflowId, taskName: 'collect', generation: 1 }, scheduled: true })
    await advanceTime(t, vi, TENDER_DEADLINE_MS)

    expect((await t.query(fns.getEvents, { workflowId: wf.workflowId })).events.length).toBe(before)
    expect(await wf.state()).toBe('completed')
  })
})

describe("a composite task's deadline", () => {
  it("complete: the running child is canceled top-down with its own deadline, which never runs, and the parent goes on", async () => {
    const t = backend()
    const fns = internal.examples.quickContract
    const wf = workflowDriver(t, fns)
    const enabled = Date.now()
    await wf.initialize()
    const [child] = await t.query(fns.getChildWorkflows, { workflowId: wf.workflowId, taskName: 'negotiate' })
    const [offer] = await t.query(fns.getWorkItems, { workflowId: child!._id })
    await t.mutation(fns.internalStartWorkItem, { workItemId: offer!._id, args: { name: 'offer' } })

    const ran = await runScheduledInTimeOrder(t, vi)

    expect(ran.map((job) => (job.args as { element: { kind: string } }).element.kind)).toEqual(['task'])
    expect(Date.now() - enabled).toBe(QUICK_NEGOTIATION_MS)
    expect(await jobs(t)).toEqual(['examples/quickContract:internalDeadlineReached:success', 'examples/quickContract:internalDeadlineReached:canceled'])
    expect(await log(t)).toEqual([])
    expect((await t.query(fns.getWorkflow, { workflowId: child!._id })).state).toBe('canceled')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { negotiate: 'completed', sign: 'enabled' },
      marking: { start: 0, negotiate__to__sign: 1, end: 0 },
      workItems: ['sign#1:initialized'],
    })
  })
})

describe('timer tasks', () => {
  it('coolOff completes COOL_OFF_MS after it is enabled, then remind at the instant computed from the app’s data', async () => {
    const t = backend()
    const fns = internal.examples.timers
    const wf = workflowDriver(t, fns)
    const origin = Date.now()
    const remindAt = origin + 5 * COOL_OFF_MS
    await wf.initialize({ remindAt })
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { coolOff: 'enabled', remind: 'disabled' },
      marking: { start: 1, coolOff__to__remind: 0, end: 0 },
      workItems: ['coolOff#1:initialized'],
    })

    await advanceTime(t, vi, COOL_OFF_MS)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { coolOff: 'completed', remind: 'enabled' },
      marking: { start: 0, coolOff__to__remind: 1, end: 0 },
      workItems: ['coolOff#1:completed', 'remind#1:initialized'],
    })

    const ran = await runScheduledInTimeOrder(t, vi)
    expect(ran.map((job) => job.scheduledTime)).toEqual([remindAt])
    expect(Date.now()).toBe(remindAt)
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { coolOff: 'completed', remind: 'completed' },
      marking: { start: 0, coolOff__to__remind: 0, end: 1 },
      workItems: ['coolOff#1:completed', 'remind#1:completed'],
    })
  })
})

describe('a workflow deadline computed from the initialize payload', () => {
  const fns = internal.examples.offer
  const DAY = 24 * 60 * 60 * 1000

  it('is set from validDays: the offer is open a millisecond before, and canceled at that instant', async () => {
    const t = backend()
    const wf = workflowDriver(t, fns)
    const opened = Date.now()
    await wf.initialize({ validDays: 2 })
    expect((await scheduledFunctions(t)).map((job) => [job.name, job.scheduledTime - opened])).toEqual([['examples/offer:internalDeadlineReached', 2 * DAY]])

    await advanceTime(t, vi, 2 * DAY - 1)
    expect(await wf.state()).toBe('initialized')
    await advanceTime(t, vi, 1)
    expect(await wf.snapshot()).toMatchObject({ workflow: 'canceled', tasks: { accept: 'canceled' } })
    expect((await steps(t, fns, wf.workflowId)).at(-1)).toBe('deadlineReached/scheduled')
  })

  it('is not set when the computation returns undefined: the offer stays open until accepted', async () => {
    const t = backend()
    const wf = workflowDriver(t, fns)
    await wf.initialize({})
    expect(await scheduledFunctions(t)).toEqual([])
    await advanceTime(t, vi, 365 * DAY)
    expect(await wf.state()).toBe('initialized')
    await wf.run('accept')
    expect(await wf.state()).toBe('completed')
  })
})

describe('a computed deadline that is not a time', () => {
  const workflowWith = (after: () => number | undefined) =>
    Builder.workflow('computed')
      .startCondition('start')
      .task('approve', Builder.task(Builder.workItem('approve').deadline({ after, onExpiry: 'fail' })).withActivities({
        onEnabled: async ({ workItem }) => {
          await workItem.initialize()
        },
      }))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('approve'))
      .connectTask('approve', (to) => to.condition('end'))
  const initialize = (t: Backend, after: () => number | undefined) =>
    t.run((ctx) => workflowHandlers(workflowWith(after), { self: (): unknown => internal.examples.approval }).internal.initializeRootWorkflow(ctx, {}))

  it('a negative computed delay fails the step that would set it, naming the work item; nothing is written', async () => {
    const t = backend()
    const error = await errorOf(initialize(t, () => -5))
    expect(error.code).toBe('INVALID_DEFINITION')
    expect(error.message).toMatch(/^The deadline 'after' of work item 'approve' \(.+\) returned -5; expected a finite number of milliseconds, 0 or more, or undefined for none\.$/)
    expect(await t.run((ctx) => ctx.db.query('tasknet_workflows').collect())).toEqual([])
    expect(await scheduledFunctions(t)).toEqual([])
  })

  it('undefined sets no deadline for that work item', async () => {
    const t = backend({ workflows: [workflowWith(() => undefined)] })
    await initialize(t, () => undefined)
    expect(await scheduledFunctions(t)).toEqual([])
    expect(await t.run((ctx) => ctx.db.query('tasknet_scheduledJobs').collect())).toEqual([])
  })
})
