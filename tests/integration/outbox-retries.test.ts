import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { workflowDriver } from '../../src/testing'
import { chains, journalSequences, outboxBackend, planFailures, receipts, runUntil, sequencesReceived, settle } from '../support/outbox'

/**
 * A failing subscriber (docs/api.md#outbox): `flaky` of convex/examples/outbox.ts records each event
 * it receives, then fails when a test planned it, so every attempt leaves a trace, failed or not. Its
 * retry behaviour: 4 attempts, retries after 1 s, 4 s and 16 s, each times 0.5–1.5 (the pool's jitter).
 */
const shipment = internal.examples.shipment
const ALL_EVENTS = [1, 2, 3, 4, 5, 6, 7]
/** The nominal wait before each retry; the pool waits 0.5–1.5 times that, and its loop adds up to a few hundred ms. */
const BACKOFF_MS = [1_000, 4_000, 16_000]
const LOOP_SLACK_MS = 1_000

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  vi.useFakeTimers()
  // convex-test prints each failed action; here they are the planned failures, checked below.
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
  vi.useRealTimers()
})

const plannedFailures = () => errors.mock.calls.filter((call) => String(call[0]).includes('planned failure')).length

const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]!)

describe('a failing subscriber', () => {
  it('is retried with growing backoff until its delivery succeeds, while steps keep committing and later events wait behind it', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    await planFailures(t, 'flaky', id, 3)

    await runUntil(t, async () => (await receipts(t, 'flaky', id)).length === 1)
    // Event 1 failed once. The engine does not wait for it: these steps commit, and `audit` gets their events.
    await wf.run('pack')
    await wf.start('ship')
    await runUntil(t, async () => (await sequencesReceived(t, 'audit', id)).length === 4)
    expect(await sequencesReceived(t, 'flaky', id)).toEqual([1])
    expect(await chains(t, 'flaky', id)).toEqual([expect.objectContaining({ sequence: 1, state: 'delivering' })])

    await wf.complete('ship')
    await wf.run('deliver')
    await settle(t)

    const got = await receipts(t, 'flaky', id)
    expect(got.map((r) => r.sequence)).toEqual(ALL_EVENTS)
    // Four attempts at event 1 (three failed), one at each other event.
    expect(got.map((r) => r.arrivals.length)).toEqual([4, 1, 1, 1, 1, 1, 1])
    expect(plannedFailures()).toBe(3)
    const waits = gaps(got[0]!.arrivals)
    waits.forEach((wait, k) => {
      expect(wait, `wait before retry ${k + 1}`).toBeGreaterThanOrEqual(BACKOFF_MS[k]! * 0.5)
      expect(wait, `wait before retry ${k + 1}`).toBeLessThanOrEqual(BACKOFF_MS[k]! * 1.5 + LOOP_SLACK_MS)
    })
    // In order: no event arrived before the one before it had been delivered (its last arrival).
    for (let n = 1; n < got.length; n++) expect(got[n]!.arrivals[0]).toBeGreaterThanOrEqual(got[n - 1]!.arrivals.at(-1)!)
    expect(await chains(t, 'flaky')).toEqual([])
  })

  it('receives the same event id again after a failed attempt, which lets it deduplicate: one receipt per event', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    await planFailures(t, 'flaky', id, 1)
    await wf.run('pack')
    await settle(t)

    const events = (await t.query(shipment.getEvents, { workflowId: id })).events
    const got = await t.run((ctx) => ctx.db.query('outboxReceipts').withIndex('by_subscriber', (q) => q.eq('subscriber', 'flaky')).collect())
    // Event 1 arrived twice under its one id; the subscriber's receipt recognised the second arrival.
    expect(got.map((r) => ({ eventId: r.eventId, arrivals: r.arrivals.length }))).toEqual([
      { eventId: events[0]!._id, arrivals: 2 },
      { eventId: events[1]!._id, arrivals: 1 },
      { eventId: events[2]!._id, arrivals: 1 },
    ])
  })

  it('stops its chain where getOutbox shows it when the retries run out; later events wait, and outboxResume delivers them in order', async () => {
    const t = outboxBackend()
    const a = workflowDriver(t, shipment)
    const b = workflowDriver(t, shipment)
    const idA = await a.initialize()
    const idB = await b.initialize()
    await planFailures(t, 'flaky', idA, 4)
    await a.run('pack')
    await b.run('pack')
    await settle(t)

    expect(plannedFailures()).toBe(4)
    expect(await chains(t, 'flaky')).toEqual([
      {
        subscriber: 'flaky',
        workflowId: idA,
        sequence: 1,
        state: 'stopped',
        workId: expect.any(String),
        since: expect.any(Number),
        error: expect.stringContaining("planned failure of subscriber 'flaky' at event 1"),
      },
    ])
    // The stopped chain holds A's later events back; B's chain and the other subscribers go on.
    expect(await sequencesReceived(t, 'flaky', idA)).toEqual([1])
    expect(await sequencesReceived(t, 'flaky', idB)).toEqual([1, 2, 3])
    expect(await sequencesReceived(t, 'audit', idA)).toEqual([1, 2, 3])

    // Steps of A still commit; their events join the stopped chain's backlog.
    await a.run('ship')
    await settle(t)
    expect(await journalSequences(t, idA)).toEqual([1, 2, 3, 4, 5])
    expect(await sequencesReceived(t, 'flaky', idA)).toEqual([1])
    expect(await chains(t, 'flaky', idA)).toEqual([expect.objectContaining({ sequence: 1, state: 'stopped' })])

    await t.mutation(internal.examples.outbox.outboxResume, { subscriber: 'flaky', workflowId: idA })
    expect(await chains(t, 'flaky', idA)).toEqual([expect.objectContaining({ sequence: 1, state: 'delivering' })])
    await settle(t)
    const got = await receipts(t, 'flaky', idA)
    expect(got.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5])
    expect(got[0]!.arrivals).toHaveLength(5)
    expect(await chains(t, 'flaky')).toEqual([])
  })

  it('cannot be resumed where no chain is', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    await settle(t)
    await expect(t.mutation(internal.examples.outbox.outboxResume, { subscriber: 'flaky', workflowId: id })).rejects.toThrow(
      `Subscriber 'flaky' has no delivery chain for workflow ${id}: it has received every event of it that it wants, or never wanted one.`,
    )
  })
})
