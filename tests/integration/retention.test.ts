import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { deleteOldEvents, getEvents, getWorkflowAt, getMarking, getWorkflow, getWorkItems, getWorkflowTaskStates, type WorkflowId } from '../../src'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { documentReviewWorkflow } from '../../src/workflows/documentReview'
import { backend, driver, errorOf, type Backend } from '../support/harness'
import { measure } from '../support/stepCost'

const DAY = 24 * 60 * 60 * 1000
/** The sequence workflow's journal: initialize, then start and complete register, review and archive. */
const SEQUENCE_EVENTS = 7

/** A sequence workflow driven to its end: seven events, the seventh `ended`. */
async function finishedSequence(t: Backend): Promise<WorkflowId> {
  const wf = driver(t, internal.examples.sequence)
  const id = await wf.initialize()
  for (const task of ['register', 'review', 'archive']) await wf.run(task)
  return id
}

/** A sequence workflow left running after `register`: three events. */
async function runningSequence(t: Backend): Promise<WorkflowId> {
  const wf = driver(t, internal.examples.sequence)
  const id = await wf.initialize()
  await wf.run('register')
  return id
}

/** The workflow's events as `sequence` (with `!` on the one that ended it), straight from the table. */
async function journal(t: Backend, workflowId: WorkflowId): Promise<string[]> {
  return t.run(async (ctx) =>
    (await ctx.db.query('tasknet_events').withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', workflowId)).collect()).map(
      (e) => `${e.sequence}${e.ended ? '!' : ''}`,
    ),
  )
}

const deleteOld = (t: Backend, olderThanMs: number, batchSize?: number) =>
  t.run((ctx) => deleteOldEvents(ctx.db, { olderThanMs, ...(batchSize === undefined ? {} : { batchSize }) }))

const fullSequenceJournal = ['1', '2', '3', '4', '5', '6', '7!']

describe('retention: deleteOldEvents', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('deletes the journal of a workflow finished before the cutoff, and keeps a recent one and a running one', async () => {
    const t = backend({ journal: false })
    const old = await finishedSequence(t)
    const running = await runningSequence(t)
    vi.advanceTimersByTime(10 * DAY)
    const recent = await finishedSequence(t)

    expect(await deleteOld(t, 5 * DAY)).toEqual({ deleted: SEQUENCE_EVENTS, workflows: 1, heldBack: 0, isDone: true })

    expect(await journal(t, old)).toEqual([])
    expect(await journal(t, running)).toEqual(['1', '2', '3'])
    expect(await journal(t, recent)).toEqual(fullSequenceJournal)
  })

  it('counts age from the step that ended the workflow, not from its start', async () => {
    const t = backend({ journal: false })
    const wf = driver(t, internal.examples.sequence)
    const id = await wf.initialize()
    await wf.run('register')
    vi.advanceTimersByTime(10 * DAY)
    await wf.run('review')
    await wf.run('archive')
    vi.advanceTimersByTime(2 * DAY)

    // Started twelve days ago, finished two days ago: not old enough for five days.
    expect(await deleteOld(t, 5 * DAY)).toEqual({ deleted: 0, workflows: 0, heldBack: 0, isDone: true })
    expect(await journal(t, id)).toEqual(fullSequenceJournal)
    expect(await deleteOld(t, 1 * DAY)).toEqual({ deleted: SEQUENCE_EVENTS, workflows: 1, heldBack: 0, isDone: true })
  })

  it('pages through several workflows in small batches, oldest first and the ended event of each last', async () => {
    const t = backend({ journal: false })
    const ids = [await finishedSequence(t), await finishedSequence(t), await finishedSequence(t)]
    vi.advanceTimersByTime(DAY)

    const results = []
    const journals: string[][][] = []
    for (;;) {
      const result = await deleteOld(t, DAY / 2, 3)
      results.push(result)
      journals.push(await Promise.all(ids.map((id) => journal(t, id))))
      if (result.isDone) break
    }

    // 21 events, 3 a call: 7 calls, the seventh also finding nothing more.
    expect(results).toEqual([
      { deleted: 3, workflows: 0, heldBack: 0, isDone: false },
      { deleted: 3, workflows: 0, heldBack: 0, isDone: false },
      { deleted: 3, workflows: 1, heldBack: 0, isDone: false },
      { deleted: 3, workflows: 0, heldBack: 0, isDone: false },
      { deleted: 3, workflows: 1, heldBack: 0, isDone: false },
      { deleted: 3, workflows: 0, heldBack: 0, isDone: false },
      { deleted: 3, workflows: 1, heldBack: 0, isDone: true },
    ])
    // Whatever a call leaves of a journal ends with its ended event, so steps still read the final state.
    expect(journals.map((j) => j.map((events) => events.join(' ')))).toEqual([
      ['4 5 6 7!', '1 2 3 4 5 6 7!', '1 2 3 4 5 6 7!'],
      ['7!', '1 2 3 4 5 6 7!', '1 2 3 4 5 6 7!'],
      ['', '3 4 5 6 7!', '1 2 3 4 5 6 7!'],
      ['', '6 7!', '1 2 3 4 5 6 7!'],
      ['', '', '2 3 4 5 6 7!'],
      ['', '', '5 6 7!'],
      ['', '', ''],
    ])
  })

  it('is a no-op when called again with nothing left, as a cron would', async () => {
    const t = backend({ journal: false })
    await finishedSequence(t)
    const running = await runningSequence(t)
    vi.advanceTimersByTime(DAY)
    expect(await deleteOld(t, 0)).toEqual({ deleted: SEQUENCE_EVENTS, workflows: 1, heldBack: 0, isDone: true })
    for (let i = 0; i < 3; i++) expect(await deleteOld(t, 0)).toEqual({ deleted: 0, workflows: 0, heldBack: 0, isDone: true })
    expect(await journal(t, running)).toEqual(['1', '2', '3'])
  })

  it('refuses a step on a finished workflow whose journal is partly or wholly deleted, as finished', async () => {
    const t = backend({ journal: false })
    const id = await finishedSequence(t)
    vi.advanceTimersByTime(DAY)
    const cancel = () => t.mutation(internal.examples.sequence.internalCancelRootWorkflow, { workflowId: id })
    const refusal = {
      code: 'INVALID_TRANSITION',
      message: `Cannot cancel workflow 'sequence' (${id}): it is 'completed', and 'cancel' is not a legal transition from 'completed'.`,
    }

    await deleteOld(t, 0, 4)
    expect(await journal(t, id)).toEqual(['5', '6', '7!'])
    // The step reads the newest event as the workflow's state; were it event 6 ('started'), the cancel would pass.
    expect(await errorOf(cancel())).toEqual(refusal)

    await deleteOld(t, 0, 4)
    expect(await journal(t, id)).toEqual([])
    // No event left: the step reads the workflow's document.
    expect(await errorOf(cancel())).toEqual(refusal)
    expect(await journal(t, id)).toEqual([])
  })

  it('leaves the live reads as they were, and getWorkflowAt and getEvents say the history is gone', async () => {
    const t = backend({ journal: false })
    const id = await finishedSequence(t)
    const live = () =>
      t.run(async (ctx) => ({
        workflow: await getWorkflow(ctx.db, sequenceWorkflow, id),
        tasks: await getWorkflowTaskStates(ctx.db, sequenceWorkflow, id),
        marking: await getMarking(ctx.db, sequenceWorkflow, id),
        workItems: await getWorkItems(ctx.db, sequenceWorkflow, id),
      }))
    const before = await live()
    const replayed = await t.run((ctx) => getWorkflowAt(ctx.db, sequenceWorkflow, id, SEQUENCE_EVENTS))
    expect(replayed).toEqual({ workflow: { state: 'completed' }, tasks: before.tasks, marking: before.marking, workItems: before.workItems })
    vi.advanceTimersByTime(DAY)

    await deleteOld(t, 0)

    expect(await live()).toEqual(before)
    expect(await t.run((ctx) => getEvents(ctx.db, sequenceWorkflow, id))).toEqual({ events: [], continueAfter: 0, isDone: true })
    expect(await errorOf(t.run((ctx) => getWorkflowAt(ctx.db, sequenceWorkflow, id, SEQUENCE_EVENTS)))).toEqual({
      code: 'NOT_FOUND',
      message: `Workflow ${id} ('completed') has no journal from its first event: it was deleted by retention, or the workflow predates the journal.`,
    })
  })

  it('deletes a finished child while its parent runs; the parent and a running sibling keep their journals and go on', async () => {
    const t = backend({ journal: false })
    const fns = internal.examples.documentReview
    const root = driver(t, fns)
    const rootId = await root.initialize()
    const children = await t.query(fns.getChildWorkflows, { workflowId: rootId, taskName: 'review' })
    const contract = children.find((c) => c.name === 'contractReview')!._id
    const nda = children.find((c) => c.name === 'ndaReview')!._id
    await driver(t, fns).attach(nda).run('countersign')
    const rootJournal = await journal(t, rootId)
    const contractJournal = await journal(t, contract)
    expect(await journal(t, nda)).toEqual(['1', '2', '3!'])
    vi.advanceTimersByTime(DAY)

    expect(await deleteOld(t, DAY / 2)).toEqual({ deleted: 3, workflows: 1, heldBack: 0, isDone: true })
    expect(await journal(t, nda)).toEqual([])
    expect(await journal(t, rootId)).toEqual(rootJournal)
    expect(await journal(t, contract)).toEqual(contractJournal)

    // The root goes on: the last child completes `review` (the policy reads the deleted child's document), then `archive`.
    await driver(t, fns).attach(contract).run('checkClauses')
    await root.run('archive')
    expect(await root.state()).toBe('completed')
    const events = await t.run((ctx) => getEvents(ctx.db, documentReviewWorkflow, rootId))
    const last = events.events.at(-1)!.sequence
    expect(events.events.map((e) => e.sequence)).toEqual(Array.from({ length: last }, (_, i) => i + 1))
    expect(await t.run((ctx) => getWorkflowAt(ctx.db, documentReviewWorkflow, rootId, last))).toEqual({
      workflow: { state: 'completed' },
      tasks: await root.tasks(),
      marking: await root.marking(),
      workItems: await root.workItems(),
    })
    expect((await errorOf(t.run((ctx) => getWorkflowAt(ctx.db, documentReviewWorkflow, nda, 1)))).code).toBe('NOT_FOUND')
  })

  it('keeps the journal of a workflow the outbox still delivers, passes over it, and deletes it once its chain is gone', async () => {
    const t = backend({ journal: false })
    const held = await finishedSequence(t)
    const free = await finishedSequence(t)
    // A chain stopped after its retries ran out on event 4: the outbox still needs events 4 … 7.
    const chain = await t.run((ctx) =>
      ctx.db.insert('tasknet_outbox', { subscriber: 'shipping', workflowId: held, sequence: 4, state: 'stopped', workId: 'w1', since: 0, error: 'down' }),
    )
    vi.advanceTimersByTime(DAY)

    const first = await deleteOld(t, DAY / 2)
    expect(first).toMatchObject({ deleted: SEQUENCE_EVENTS, workflows: 1, heldBack: 1, isDone: true })
    expect(first.continueAfter).toEqual(expect.any(Number))
    expect(await journal(t, held)).toEqual(fullSequenceJournal)
    expect(await journal(t, free)).toEqual([])
    // A continuation of the same run starts after what it held back: nothing is left there.
    expect(await t.run((ctx) => deleteOldEvents(ctx.db, { olderThanMs: DAY / 2, after: first.continueAfter! }))).toEqual({
      deleted: 0,
      workflows: 0,
      heldBack: 0,
      isDone: true,
    })

    await t.run((ctx) => ctx.db.delete(chain))
    expect(await deleteOld(t, DAY / 2)).toEqual({ deleted: SEQUENCE_EVENTS, workflows: 1, heldBack: 0, isDone: true })
    expect(await journal(t, held)).toEqual([])
  })

  it('refuses a negative age and a batch outside 1 … 1,000', async () => {
    const t = backend({ journal: false })
    expect(await errorOf(deleteOld(t, -1))).toEqual({
      code: 'INVALID_STATE',
      message: 'deleteOldEvents was asked for events older than -1 ms; expected a number of milliseconds of 0 or more.',
    })
    for (const batchSize of [0, 1.5, 1001]) {
      expect(await errorOf(deleteOld(t, 0, batchSize))).toEqual({
        code: 'INVALID_STATE',
        message: `deleteOldEvents was asked to delete ${batchSize} events per call; expected a whole number from 1 to 1000.`,
      })
    }
  })
})

describe('retention: the generated deleteOldEvents', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('continues itself through the scheduler until nothing old is left', async () => {
    const t = backend({ journal: false })
    const ids = [await finishedSequence(t), await finishedSequence(t)]
    const running = await runningSequence(t)
    vi.advanceTimersByTime(DAY)

    const first = await t.mutation(internal.retention.deleteOldEvents, { olderThanMs: DAY / 2, batchSize: 5 })
    expect(first).toEqual({ deleted: 5, workflows: 0, heldBack: 0, isDone: false })
    const scheduled = () => t.run(async (ctx) => (await ctx.db.system.query('_scheduled_functions').collect()).map((job) => [job.name, job.args[0], job.state.kind]))
    expect(await scheduled()).toEqual([['retention:deleteOldEvents', { olderThanMs: DAY / 2, batchSize: 5 }, 'pending']])

    await t.finishAllScheduledFunctions(vi.runAllTimers)

    for (const id of ids) expect(await journal(t, id)).toEqual([])
    expect(await journal(t, running)).toEqual(['1', '2', '3'])
    // 14 events, 5 a call: the first call and two continuations; the last found nothing more and scheduled none.
    expect((await scheduled()).map(([, , state]) => state)).toEqual(['success', 'success'])
  })
})

describe('retention: transaction limits', () => {
  it('a call of the largest batch stays far inside Convex limits: 1,000 documents written, 2,001 read, 572 index ranges', async () => {
    const t = backend({ journal: false })
    // 200 finished workflows of seven events each, written directly: 1,400 events, more than a batch.
    const workflowIds = await t.run(async (ctx) => {
      const ids: WorkflowId[] = []
      for (let w = 0; w < 200; w++) {
        const workflowId = await ctx.db.insert('tasknet_workflows', { name: 'sequence', state: 'completed' })
        ids.push(workflowId)
        for (let sequence = 1; sequence <= SEQUENCE_EVENTS; sequence++) {
          await ctx.db.insert('tasknet_events', {
            workflowId,
            sequence,
            time: 0,
            operation: 'completeWorkItem',
            target: { kind: 'workflow', name: 'sequence', workflowId },
            caller: { kind: 'internal' },
            workflow: { name: 'sequence', state: sequence === SEQUENCE_EVENTS ? 'completed' : 'started' },
            changes: '[]',
            ...(sequence === SEQUENCE_EVENTS ? { ended: true as const } : {}),
          })
        }
      }
      return ids
    })
    await new Promise((resolve) => setTimeout(resolve, 5))

    const { result, cost } = await measure(t, (ctx) => deleteOldEvents(ctx.db, { olderThanMs: 0, batchSize: 1000 }))

    expect(result).toEqual({ deleted: 1000, workflows: 142, heldBack: 0, isDone: false })
    expect(cost.documentsWritten).toBe(1000)
    // Two reads per event (the query's and the delete's), and the next workflow's ended event, left for the next call.
    expect(cost.documentsRead).toBe(2 * 1000 + 1)
    // Per workflow: its ended event, whether the outbox holds it, then its six older events in ranges of at most six (12 MiB at 2 MiB an event), the
    // second range finding none left.
    expect(cost.databaseQueries).toBe(4 * 143)
    const rest = await deleteOld(t, 0, 1000)
    expect(rest).toEqual({ deleted: 400, workflows: 58, heldBack: 0, isDone: true })
    expect((await Promise.all(workflowIds.map((id) => journal(t, id)))).flat()).toEqual([])
  })

  it('stops before its reads could reach 12 MiB, so large events never take a call past the 16 MiB a transaction may read', async () => {
    const t = backend({ journal: false })
    // Twelve finished one-event workflows whose events hold about 0.9 MB each (a step after a very wide split).
    const big = JSON.stringify([['x'.repeat(900_000)]])
    for (let w = 0; w < 12; w++) {
      await t.run(async (ctx) => {
        const workflowId = await ctx.db.insert('tasknet_workflows', { name: 'sequence', state: 'completed' })
        await ctx.db.insert('tasknet_events', {
          workflowId,
          sequence: 1,
          time: 0,
          operation: 'completeWorkItem',
          target: { kind: 'workflow', name: 'sequence', workflowId },
          caller: { kind: 'internal' },
          workflow: { name: 'sequence', state: 'completed' },
          changes: big,
          ended: true,
        })
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 5))

    const calls = []
    for (;;) {
      const { result, cost } = await measure(t, (ctx) => deleteOldEvents(ctx.db, { olderThanMs: 0 }))
      calls.push({ ...result, read: cost.documentsRead })
      if (result.isDone) break
    }
    // An event costs two reads (the query's and the delete's), 1.7 MiB here; a call begins a workflow only while
    // 4 MiB of its 12 MiB are left, so it never reads past Convex's 16 MiB, however large the events.
    expect(calls).toEqual([
      { deleted: 5, workflows: 5, heldBack: 0, isDone: false, read: 10 },
      { deleted: 5, workflows: 5, heldBack: 0, isDone: false, read: 10 },
      { deleted: 2, workflows: 2, heldBack: 0, isDone: true, read: 4 },
    ])
  })
})
