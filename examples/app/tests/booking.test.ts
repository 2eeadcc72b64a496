/// <reference types="vite/client" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runScheduledInTimeOrder, tasknetTest } from 'tasknet/testing'
import { internal } from '../convex/_generated/api.js'
import schema from '../convex/schema.js'

const modules = import.meta.glob('../convex/**/*.ts')

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Books a seat on `flight` paying with `card`; runs every step (each is a scheduled step of its own) to the end. */
async function book(card: string) {
  const t = tasknetTest(schema, modules)
  const workflowId = await t.mutation(internal.booking.internalInitializeRootWorkflow, { payload: { flight: 'TN123', card } as never })
  await runScheduledInTimeOrder(t, vi)
  return {
    workflow: (await t.query(internal.booking.getWorkflow, { workflowId })).state,
    result: await t.query(internal.booking.getSagaResult, { workflowId }),
    seats: await t.run((ctx) => ctx.db.query('seats').collect()),
  }
}

describe('the booking saga', () => {
  it('holds the seat, charges the card and confirms the booking', async () => {
    const { workflow, result, seats } = await book('4242')
    expect(workflow).toBe('completed')
    expect(result).toMatchObject({ status: 'completed' })
    expect(seats.map((s) => s.state)).toEqual(['booked'])
  })

  it('a declined card compensates: the seat is released, the saga reports it, its workflow ends failed', async () => {
    const { workflow, result, seats } = await book('declined')
    expect(workflow).toBe('failed')
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'chargeCard', error: 'card declined', compensatedSteps: ['holdSeat'] })
    expect(seats).toEqual([])
  })
})
