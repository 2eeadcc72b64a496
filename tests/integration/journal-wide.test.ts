import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { getEventChanges, maxReturnedChanges, type JournalChange } from '../../src'
import { encodeChanges } from '../../src/journal/changes'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { backend, driver, errorOf } from '../support/harness'

/**
 * An event's changes are returned (and delivered by the outbox) as an array, and a Convex value holds
 * at most 8,192 array elements, while a wide split's event has three changes per branch. `getEvents`
 * returns the first `maxReturnedChanges` with `changeCount` and `truncated`; `getEventChanges` pages the rest.
 */
describe('events with more changes than an array may hold', () => {
  /** A sequence workflow after `register`, and one more event of `count` route changes written as a step would. */
  async function withWideEvent(count: number) {
    const t = backend({ journal: false })
    const wf = driver(t, internal.examples.sequence)
    const workflowId = await wf.initialize()
    await wf.run('register')
    const changes: JournalChange[] = Array.from({ length: count }, (_, i) => ({ kind: 'route', task: 'register', generation: 1, targets: [`c${i}`] }))
    const last = await t.run(async (ctx) => {
      const head = await ctx.db.query('tasknet_events').withIndex('by_workflowId_and_sequence', (q) => q.eq('workflowId', workflowId)).order('desc').first()
      await ctx.db.insert('tasknet_events', { ...head!, _id: undefined, _creationTime: undefined, sequence: head!.sequence + 1, changes: encodeChanges(changes) } as never)
      return head!.sequence + 1
    })
    return { t, workflowId, last, changes }
  }

  it('getEvents returns the first 8,000 changes of a 9,000-change event, with its count and truncated', async () => {
    const { t, workflowId, last, changes } = await withWideEvent(9_000)
    const page = await t.query(internal.examples.sequence.getEvents, { workflowId, after: last - 2 })
    const [before, wide] = page.events
    expect(before!.changeCount).toBe(before!.changes.length)
    expect(before!.truncated).toBeUndefined()
    expect(wide!.changes).toHaveLength(maxReturnedChanges)
    expect(wide!.changes).toEqual(changes.slice(0, maxReturnedChanges))
    expect(wide!.changeCount).toBe(9_000)
    expect(wide!.truncated).toBe(true)
  })

  it('getEventChanges pages the rest, and refuses an offset or limit out of range', async () => {
    const { t, workflowId, last, changes } = await withWideEvent(9_000)
    const rest = await t.run((ctx) => getEventChanges(ctx.db, sequenceWorkflow, workflowId, last, { offset: maxReturnedChanges }))
    expect(rest).toEqual({ changes: changes.slice(maxReturnedChanges), changeCount: 9_000, isDone: true })
    const first = await t.run((ctx) => getEventChanges(ctx.db, sequenceWorkflow, workflowId, last, { limit: 10 }))
    expect(first).toEqual({ changes: changes.slice(0, 10), changeCount: 9_000, isDone: false })
    expect((await errorOf(t.run((ctx) => getEventChanges(ctx.db, sequenceWorkflow, workflowId, last, { limit: maxReturnedChanges + 1 })))).code).toBe('INVALID_STATE')
    expect((await errorOf(t.run((ctx) => getEventChanges(ctx.db, sequenceWorkflow, workflowId, last, { offset: -1 })))).code).toBe('INVALID_STATE')
    expect((await errorOf(t.run((ctx) => getEventChanges(ctx.db, sequenceWorkflow, workflowId, last + 1)))).code).toBe('NOT_FOUND')
  })
})
