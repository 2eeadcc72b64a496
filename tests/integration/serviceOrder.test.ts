import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { Backend } from '../support/harness'
import { runUntil, servicesBackend } from '../support/services'

/**
 * The service order (src/workflows/serviceOrder.ts): its payment and refund are service work items
 * against the fake payment provider of convex/examples/paymentService.ts, run by the work pool in
 * time order on fake timers. What the demo's service-order runs show, checked.
 */

const fns = internal.examples.serviceOrder

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  vi.useFakeTimers()
  // convex-test prints each failed action; here they are the provider's injected failures.
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
  vi.useRealTimers()
})

/** Runs an order paid with `card` until its workflow ends; its work items, service calls and order status. */
async function runOrder(t: Backend, card: string) {
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { customerId: 'alice', card, amount: 120 } })) as Id<'tasknet_workflows'>
  const state = async () => ((await t.query(fns.getWorkflow, { workflowId })) as { state: string }).state
  await runUntil(t, async () => (await state()) !== 'started')
  const workItems = (await t.query(fns.getWorkItems, { workflowId })) as Array<{ _id: Id<'tasknet_workItems'>; taskName: string; state: string }>
  const calls = Object.fromEntries(await Promise.all(workItems.map(async (w) => [w.taskName, await t.query(fns.getServiceCall, { workItemId: w._id })] as const)))
  const order = await t.run(async (ctx) => (await ctx.db.query('orders').collect()).find((o) => o.workflowId === workflowId)!)
  const items = workItems.map((w) => `${w.taskName}:${w.state}`)
  return { workflow: await state(), order: order.status, items, calls }
}

describe('the service order', () => {
  it('retries a charge that timed out, and completes on its second attempt', async () => {
    const t = servicesBackend()
    const run = await runOrder(t, '4000 0000 0000 0003')
    expect(run).toMatchObject({ workflow: 'completed', order: 'completed', items: ['chargePayment:completed', 'routeDecision:completed'] })
    expect(run.calls.chargePayment).toMatchObject({ state: 'succeeded', attempt: 2, lastError: expect.stringContaining('gateway timeout (attempt 1)') })
  })

  it('charges a good card at the first attempt, and never runs the refund', async () => {
    const t = servicesBackend()
    const run = await runOrder(t, '4242 4242 4242 4242')
    expect(run).toMatchObject({ workflow: 'completed', order: 'completed', items: ['chargePayment:completed', 'routeDecision:completed'] })
    expect(run.calls.chargePayment).toMatchObject({ state: 'succeeded', attempt: 1 })
  })

  it('does not retry a declined card: the policy routes to the refund, which succeeds on its second attempt', async () => {
    const t = servicesBackend()
    const run = await runOrder(t, '4000 0000 0000 0002')
    expect(run).toMatchObject({
      workflow: 'completed',
      order: 'compensated',
      items: ['chargePayment:failed', 'routeDecision:completed', 'refundPayment:completed'],
    })
    expect(run.calls.chargePayment).toMatchObject({ state: 'failed', attempt: 1, lastError: expect.stringContaining('card_declined') })
    expect(run.calls.refundPayment).toMatchObject({ state: 'succeeded', attempt: 2, lastError: expect.stringContaining('refund service unavailable (attempt 1)') })
  })
})
