import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Faults, faultMessage } from '../../src/domain/faults'
import { scheduledFunctions, workflowDriver } from '../../src/testing'
import { chains, journalSequences, outboxBackend, receipts, sequencesReceived, settle } from '../support/outbox'

/**
 * The outbox (docs/api.md#outbox) on the shipment workflow of convex/examples/shipment.ts and its
 * subscribers (convex/examples/outbox.ts): every event reaches every subscriber that wants it, in
 * sequence order per workflow; a step that throws delivers nothing. Retries: outbox-retries.test.ts.
 *
 * A shipment run from start to end writes 7 events: initialize, then start and complete each of
 * pack, ship and deliver (the last one completes the workflow).
 */
const shipment = internal.examples.shipment
const ALL_EVENTS = [1, 2, 3, 4, 5, 6, 7]
const OPERATIONS = [
  'initializeRootWorkflow',
  'startWorkItem',
  'completeWorkItem',
  'startWorkItem',
  'completeWorkItem',
  'startWorkItem',
  'completeWorkItem',
]

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function runShipment(wf: ReturnType<typeof workflowDriver<typeof shipment>>) {
  for (const task of ['pack', 'ship', 'deliver'] as const) await wf.run(task)
}

describe('outbox delivery', () => {
  it('delivers every event of a workflow to each subscriber once, in sequence order, and ends the chains when caught up', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    await runShipment(wf)
    // Seven steps ran before any delivery: one chain per subscriber, still on the first event.
    expect(await chains(t, 'audit')).toEqual([expect.objectContaining({ workflowId: id, sequence: 1, state: 'delivering' })])

    await settle(t)

    expect(await journalSequences(t, id)).toEqual(ALL_EVENTS)
    for (const subscriber of ['audit', 'flaky']) {
      const got = await receipts(t, subscriber, id)
      expect(got.map((r) => r.sequence), subscriber).toEqual(ALL_EVENTS)
      expect(got.map((r) => r.operation), subscriber).toEqual(OPERATIONS)
      expect(got.map((r) => r.arrivals.length), subscriber).toEqual(ALL_EVENTS.map(() => 1))
      expect(await chains(t, subscriber), subscriber).toEqual([])
    }
  })

  it('queues an event written while an earlier one is in delivery only after that one was delivered', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    await settle(t)
    // Caught up: no chain is left, so the next step starts one on its own event.
    expect(await chains(t, 'audit')).toEqual([])
    await wf.start('pack')
    expect(await chains(t, 'audit')).toEqual([expect.objectContaining({ sequence: 2, state: 'delivering' })])
    await wf.complete('pack')
    await wf.start('ship')
    // The steps of events 3 and 4 found event 2's chain and left their events to it.
    expect(await chains(t, 'audit')).toEqual([expect.objectContaining({ sequence: 2, state: 'delivering' })])
    expect(await sequencesReceived(t, 'audit', id)).toEqual([1])

    await settle(t)
    expect(await sequencesReceived(t, 'audit', id)).toEqual([1, 2, 3, 4])
    await wf.complete('ship')
    await wf.run('deliver')
    await settle(t)
    expect(await sequencesReceived(t, 'audit', id)).toEqual(ALL_EVENTS)
  })

  it('delivers the events of two workflows independently, each in its own order', async () => {
    const t = outboxBackend()
    const a = workflowDriver(t, shipment)
    const b = workflowDriver(t, shipment)
    const idA = await a.initialize()
    const idB = await b.initialize()
    // Interleaved steps: A's and B's events are written alternately.
    await a.run('pack')
    await b.run('pack')
    await b.run('ship')
    await a.run('ship')
    await a.run('deliver')
    await settle(t)

    expect(await sequencesReceived(t, 'audit', idA)).toEqual(ALL_EVENTS)
    expect(await sequencesReceived(t, 'audit', idB)).toEqual([1, 2, 3, 4, 5])
    expect(await chains(t, 'audit')).toEqual([])

    await b.run('deliver')
    await settle(t)
    expect(await sequencesReceived(t, 'audit', idB)).toEqual(ALL_EVENTS)
  })

  it("gives a subscriber only the events its filter and workflows take, and others' all of theirs", async () => {
    const t = outboxBackend()
    const shipped = workflowDriver(t, shipment)
    const canceled = workflowDriver(t, shipment)
    const sequence = workflowDriver(t, internal.examples.outboxSequence)
    const shippedId = await shipped.initialize()
    const canceledId = await canceled.initialize()
    const sequenceId = await sequence.initialize()
    await runShipment(shipped)
    await canceled.run('pack')
    await canceled.cancelWorkflow()
    for (const task of ['register', 'review', 'archive'] as const) await sequence.run(task)
    await settle(t)

    // `milestones` wants the first and the last event of each shipment, and none of the sequence workflow's.
    expect(await sequencesReceived(t, 'milestones', shippedId)).toEqual([1, 7])
    expect(await sequencesReceived(t, 'milestones', canceledId)).toEqual([1, 4])
    expect(await sequencesReceived(t, 'milestones', sequenceId)).toEqual([])
    expect((await receipts(t, 'milestones', canceledId)).map((r) => r.operation)).toEqual(['initializeRootWorkflow', 'cancelRootWorkflow'])
    expect(await sequencesReceived(t, 'audit', sequenceId)).toEqual(ALL_EVENTS)
    expect(await sequencesReceived(t, 'audit', canceledId)).toEqual([1, 2, 3, 4])
    expect(await chains(t, 'milestones')).toEqual([])
  })

  it('moves past a long run of declined events in several transactions, and delivers the next wanted one', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    // 40 events `milestones` declines, written while its chain still holds event 1.
    for (let round = 0; round < 20; round++) {
      await wf.start('pack')
      await wf.reset('pack')
    }
    await runShipment(wf)
    await settle(t)

    const last = (await journalSequences(t, id)).at(-1)!
    expect(last).toBe(47)
    expect(await sequencesReceived(t, 'milestones', id)).toEqual([1, last])
    // Each transaction of the chain read at most `scanLimit` (16) declined events, then went on in the next.
    const continued = (await scheduledFunctions(t)).filter((job) => job.name === 'examples/outbox:outboxComplete').map((job) => (job.args as { workId: string }).workId)
    expect(continued).toEqual(['scan:17', 'scan:33'])
    expect(await sequencesReceived(t, 'audit', id)).toEqual(Array.from({ length: last }, (_, i) => i + 1))
  })
})

describe('a step that throws', () => {
  it('delivers nothing: its event was never written, and no delivery was queued', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    await wf.run('pack')
    await wf.start('ship')
    await settle(t)
    expect(await chains(t, 'audit')).toEqual([])

    await t.run((ctx) => Faults.arm(ctx, 'ship.onCompleted'))
    // With no chain running, a step that had committed would have started one on its event.
    await expect(wf.complete('ship')).rejects.toThrow(faultMessage('ship.onCompleted'))
    expect(await chains(t, 'audit')).toEqual([])
    expect(await chains(t, 'flaky')).toEqual([])

    await settle(t)
    expect(await journalSequences(t, id)).toEqual([1, 2, 3, 4])
    expect(await sequencesReceived(t, 'audit', id)).toEqual([1, 2, 3, 4])
    expect(await sequencesReceived(t, 'flaky', id)).toEqual([1, 2, 3, 4])
    expect(await sequencesReceived(t, 'milestones', id)).toEqual([1])
  })

  it('while a chain runs, leaves it where it was: the next committed step is the next event delivered', async () => {
    const t = outboxBackend()
    const wf = workflowDriver(t, shipment)
    const id = await wf.initialize()
    await wf.run('pack')
    await wf.start('ship')
    await t.run((ctx) => Faults.arm(ctx, 'ship.onCompleted'))
    await expect(wf.complete('ship')).rejects.toThrow(faultMessage('ship.onCompleted'))
    await wf.cancelWorkflow()
    await settle(t)

    expect(await journalSequences(t, id)).toEqual([1, 2, 3, 4, 5])
    expect((await receipts(t, 'audit', id)).map((r) => `${r.sequence}:${r.operation}`)).toEqual([
      '1:initializeRootWorkflow',
      '2:startWorkItem',
      '3:completeWorkItem',
      '4:startWorkItem',
      '5:cancelRootWorkflow',
    ])
  })
})
