import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { defineOutbox, getOutbox, isTasknetError, workflowHandlers, type OutboxPool, type OutboxSubscriber } from '../../src'
import { shipmentWorkflow } from '../../src/workflows/outbox'
import { backend } from '../support/harness'

/**
 * The outbox never fails a step (docs/api.md#outbox): what the step does for it is a read, a write to
 * its own table and the pool's enqueue, and a pool that refuses or a filter that throws leaves a
 * visible trace instead of an exception. Here the pool is a stand-in that records what it is asked,
 * and the steps run as plain handlers (`workflowHandlers`) in one transaction each.
 */

const record = internal.examples.outboxSubscribers.record
const functions = () => internal.examples.outbox

type Enqueued = { subscriber: string; sequence: number; name: string; retry: unknown }

function recordingPool(refuse: () => boolean): { pool: OutboxPool; enqueued: Enqueued[] } {
  const enqueued: Enqueued[] = []
  const pool: OutboxPool = {
    async enqueueAction(_ctx, _fn, args, options) {
      if (refuse()) throw new Error('the pool is down')
      enqueued.push({ subscriber: args.subscriber, sequence: args.sequence, name: options.name, retry: options.retry })
      return `work-${enqueued.length}`
    },
  }
  return { pool, enqueued }
}

function shipmentWith(subscribers: Record<string, OutboxSubscriber>, refuse = () => false) {
  const { pool, enqueued } = recordingPool(refuse)
  const t = backend()
  const handlers = workflowHandlers(shipmentWorkflow, { outbox: defineOutbox({ pool, functions, subscribers }) }).internal
  const initialize = () => t.run((ctx) => handlers.initializeRootWorkflow(ctx, {}))
  const startPack = () =>
    t.run(async (ctx) => {
      const workItemId = (await ctx.db.query('tasknet_workItems').first())!._id
      await handlers.startWorkItem(ctx, { workItemId, args: { name: 'pack' } })
    })
  const chainsOf = (subscriber: string) => t.run((ctx) => getOutbox(ctx.db, { subscriber }))
  return { t, enqueued, initialize, startPack, chainsOf }
}

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => errors.mockRestore())

describe("a step's part of the outbox", () => {
  it('queues each wanted event with the subscriber name and its retry behaviour (the pool default when it has none)', async () => {
    const s = shipmentWith({
      audit: { mutation: record },
      patient: { mutation: record, retry: { maxAttempts: 10, initialBackoffMs: 60_000, base: 2 } },
    })
    await s.initialize()
    expect(s.enqueued).toEqual([
      { subscriber: 'audit', sequence: 1, name: 'outbox:audit', retry: true },
      { subscriber: 'patient', sequence: 1, name: 'outbox:patient', retry: { maxAttempts: 10, initialBackoffMs: 60_000, base: 2 } },
    ])
  })

  it('commits when the pool refuses the delivery: the chain stops with the reason, and waits for outboxResume', async () => {
    let down = true
    const s = shipmentWith({ audit: { mutation: record } }, () => down)
    const workflowId = await s.initialize()
    expect(await s.chainsOf('audit')).toEqual([
      { subscriber: 'audit', workflowId, sequence: 1, state: 'stopped', workId: '', since: expect.any(Number), error: 'the work pool refused the delivery: the pool is down' },
    ])
    // The pool is back, but the stopped chain holds the later events until it is resumed.
    down = false
    await s.startPack()
    expect(s.enqueued).toEqual([])
    expect(await s.chainsOf('audit')).toEqual([expect.objectContaining({ sequence: 1, state: 'stopped' })])
  })

  it('delivers an event whose filter throws, and says so in the log', async () => {
    const s = shipmentWith({
      picky: {
        mutation: record,
        filter: () => {
          throw new Error('filter bug')
        },
      },
    })
    await s.initialize()
    expect(s.enqueued.map((e) => `${e.subscriber}:${e.sequence}`)).toEqual(['picky:1'])
    expect(errors).toHaveBeenCalledWith("tasknet outbox: the filter of subscriber 'picky' threw (filter bug); the event is delivered")
  })
})

describe('defineOutbox', () => {
  const { pool } = recordingPool(() => false)

  it.each([
    [{ both: { mutation: record, action: internal.examples.outboxSubscribers.recordThenMaybeFail } }, "subscriber 'both' must give exactly one of `mutation` or `action`"],
    [{ neither: {} }, "subscriber 'neither' must give exactly one of `mutation` or `action`"],
    [{ '': { mutation: record } }, 'a subscriber has an empty name'],
    [{ nowhere: { mutation: record, workflows: [] } }, "subscriber 'nowhere' wants the events of no workflow"],
    [{ eager: { mutation: record, retry: { maxAttempts: 0, initialBackoffMs: 100, base: 2 } } }, "subscriber 'eager' has retry"],
  ])('refuses subscribers it cannot deliver to (%#)', (subscribers, message) => {
    let thrown: unknown
    try {
      defineOutbox({ pool, functions, subscribers: subscribers as Record<string, OutboxSubscriber> })
    } catch (error) {
      thrown = error
    }
    expect(isTasknetError(thrown, 'INVALID_DEFINITION')).toBe(true)
    expect((thrown as { data: { message: string } }).data.message).toContain(message)
  })
})
