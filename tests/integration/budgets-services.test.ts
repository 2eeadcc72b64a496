import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { orderPaymentCosts, plainCosts, serviceCosts, type ServiceCosts } from '../support/serviceCost'
import { servicesBackend } from '../support/services'
import { documents } from '../support/stepCost'

/**
 * A service work item's start and its completion callback read and write a constant number of engine
 * documents whatever the size of the net (docs/architecture.md#service-work-items), from Convex's
 * transaction metrics as in budgets.test.ts. Measured in sequences of 2, 50 and 200 tasks whose first
 * task is the service work item.
 */

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const SIZES = [2, 50, 200]

describe('the cost of a service work item', () => {
  const costs = new Map<number, ServiceCosts>()
  beforeEach(async () => {
    for (const n of SIZES) if (!costs.has(n)) costs.set(n, await serviceCosts(servicesBackend({ journal: false }), n))
  })

  it.each(['start', 'success', 'retry', 'failure'] as const)('%s reads and writes the same documents in nets of 2, 50 and 200 tasks', (step) => {
    const [first, ...others] = SIZES.map((n) => documents(costs.get(n)![step]))
    for (const other of others) expect(other).toEqual(first)
  })

  it('the start adds the call’s insert and the work pool’s enqueue to a plain start; a completion adds the call’s read and write to a plain complete', async () => {
    const plain = await plainCosts(servicesBackend({ journal: false }), 50)
    const service = costs.get(50)!
    const added = (a: { documentsRead: number; documentsWritten: number }, b: { documentsRead: number; documentsWritten: number }) => ({
      documentsRead: a.documentsRead - b.documentsRead,
      documentsWritten: a.documentsWritten - b.documentsWritten,
    })
    // The start: the call's insert, and the work pool's enqueue (its work item, its start marker, the kick of its
    // loop, and, as here, for the first job ever queued in the pool, the pool's own state documents).
    // A success: the call's read and patch, and its read again when the work item ends (no attempt in flight).
    expect(added(service.start, plain.start)).toEqual({ documentsRead: 6, documentsWritten: 8 })
    expect(added(service.success, plain.complete)).toEqual({ documentsRead: 3, documentsWritten: 1 })
  })
})

describe("the order's payment, a service work item (the figures docs/architecture.md quotes, `npm run bench`'s order lines)", () => {
  it('starting chargePayment: the start with the hold, plus the call and the first enqueue into the pool; the capture: its completion, the route to the end, the order completed', async () => {
    const { start, captured } = await orderPaymentCosts(servicesBackend({ journal: false }))
    // 9 read and 5 written by the start, the order's read and the hold; 6 and 8 by the call and the pool's enqueue (above).
    expect(documents(start)).toEqual({ documentsRead: 15, documentsWritten: 13 })
    expect(documents(captured)).toEqual({ documentsRead: 17, documentsWritten: 12 })
  })
})
