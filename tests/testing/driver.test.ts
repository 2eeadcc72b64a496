import workpool from '@convex-dev/workpool/test'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { internal } from '../../convex/_generated/api'
import schema from '../../convex/schema'
import { tasknetTest, workflowDriver } from '../../src/testing'
import { DECLINED_CARD_NUMBER, HAPPY_PATH_END, jobs, order, stockUp } from '../support/orders'
import { runUntil } from '../support/services'

const modules = import.meta.glob('../../convex/**/*.ts')

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  vi.useFakeTimers()
  // convex-test prints each failed action; here they are the payment provider's injected failures.
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
  vi.useRealTimers()
})

/** An order, on a backend with the `services` work pool its payment and refund run in. */
async function ordered(payload = order()) {
  const t = tasknetTest(schema, modules)
  workpool.register(t, 'services')
  await stockUp(t)
  const wf = workflowDriver(t, internal.orders)
  await wf.initialize(payload)
  return { t, wf }
}

describe('workflowDriver: work items found and driven by task name', () => {
  it('run starts and completes the newest work item of a task; snapshot reads the whole state back', async () => {
    const { t, wf } = await ordered()
    expect(await wf.snapshot()).toMatchObject({ workflow: 'initialized', workItems: ['validateOrder#1:initialized'] })
    expect(await wf.workItemOf('validateOrder')).toMatchObject({ name: 'validateOrder', taskName: 'validateOrder', generation: 1, state: 'initialized' })

    await wf.run('validateOrder')
    await wf.start('reserveInventory')
    expect((await wf.workItemOf('reserveInventory')).state).toBe('started')
    await wf.complete('reserveInventory')
    await wf.start('chargePayment')
    await runUntil(t, async () => (await wf.state()) === 'completed')

    expect(await wf.snapshot()).toEqual(HAPPY_PATH_END)
    expect(await wf.state()).toBe('completed')
    expect((await wf.workItems()).map((w) => w.taskName)).toEqual(['validateOrder', 'reserveInventory', 'chargePayment', 'routeDecision'])
    expect(await wf.workItems('refundPayment')).toEqual([])
  })

  it('the compensation section runs to completion in time order', async () => {
    const { t, wf } = await ordered(order({ card: DECLINED_CARD_NUMBER }))
    await wf.run('validateOrder')
    await wf.run('reserveInventory')
    await wf.start('chargePayment')
    await runUntil(t, async () => (await wf.workItems('refundPayment')).length > 0)
    expect(await wf.workItemOf('refundPayment')).toMatchObject({ state: 'started' })

    await runUntil(t, async () => (await wf.state()) === 'completed')
    expect(await jobs(t)).toEqual(['notifications:sendPaymentFailureAlert:success'])
    expect((await wf.workItems()).map((w) => `${w.taskName}:${w.state}`)).toEqual([
      'validateOrder:completed',
      'reserveInventory:completed',
      'chargePayment:failed',
      'routeDecision:completed',
      'refundPayment:completed',
      'releaseInventory:completed',
      'notifyFailure:completed',
    ])
  })

  it("a payload reaches the work item's action: the refund completed by hand cancels the provider's queued refund", async () => {
    const { t, wf } = await ordered(order({ card: DECLINED_CARD_NUMBER }))
    await wf.run('validateOrder')
    await wf.run('reserveInventory')
    await wf.start('chargePayment')
    await runUntil(t, async () => (await wf.workItems('refundPayment')).length > 0)
    await wf.complete('refundPayment', { refundId: 're_by_hand' })
    expect(await wf.state()).toBe('completed')

    await runUntil(t)
    expect(await jobs(t)).toEqual(['notifications:sendPaymentFailureAlert:success'])
    const refund = await wf.workItemOf('refundPayment')
    expect(await t.query(internal.orders.getServiceCall, { workItemId: refund._id as never })).toMatchObject({ state: 'canceled', attempt: 1 })
    const state = await t.query(internal.orders.orderState, { workflowId: wf.workflowId })
    expect(state.refunds.map((r) => r.providerRefundId)).toEqual(['re_by_hand'])
  })

  it('fail and cancel act on the newest work item', async () => {
    const { t, wf } = await ordered()
    await wf.run('validateOrder')
    await wf.start('reserveInventory')
    await wf.cancel('reserveInventory')
    expect((await wf.workItemOf('reserveInventory')).state).toBe('canceled')
    await wf.start('chargePayment')
    await runUntil(t, async () => (await wf.state()) === 'completed')

    const declined = await ordered(order({ card: DECLINED_CARD_NUMBER }))
    await declined.wf.run('validateOrder')
    await declined.wf.start('reserveInventory')
    await declined.wf.fail('reserveInventory')
    expect((await declined.wf.workItemOf('reserveInventory')).state).toBe('failed')
  })

  it('attach drives a workflow initialized elsewhere; cancelWorkflow cancels it', async () => {
    const { t, wf } = await ordered()
    const other = workflowDriver(t, internal.orders).attach(wf.workflowId)
    await other.run('validateOrder')
    expect((await wf.workItemOf('validateOrder')).state).toBe('completed')
    await other.cancelWorkflow()
    expect(await wf.state()).toBe('canceled')
  })

  it('says what is missing: no workflow yet, no work item, a function the module does not export', async () => {
    const t = tasknetTest(schema, modules)
    const wf = workflowDriver(t, internal.examples.serviceCall)
    await expect(wf.snapshot()).rejects.toThrow(/no workflow yet\. Call initialize\(payload\) or attach\(workflowId\) first/)
    await wf.initialize()
    // The generated reference names every function; convex-test says which the module does not export.
    await expect(wf.reset('call')).rejects.toThrow(/module "examples\/serviceCall" as `internalResetWorkItem`, but there is no such export/)
    const handBuilt = workflowDriver(t, { getWorkItems: internal.examples.serviceCall.getWorkItems }).attach(wf.workflowId)
    await expect(handBuilt.complete('call')).rejects.toThrow(/complete needs internalCompleteWorkItem: export it from the workflow's module/)
    const orders = workflowDriver(t, internal.orders)
    await stockUp(t)
    await orders.initialize(order())
    await expect(orders.workItemOf('refundPayment')).rejects.toThrow("task 'refundPayment' has no work item")
  })

  it('types task names and payloads from the module', async () => {
    const { wf } = await ordered()
    // @ts-expect-error not a task of the order workflow
    await expect(wf.workItemOf('validateOrdr')).rejects.toThrow()
    // @ts-expect-error no work item's complete action takes this payload
    await expect(wf.complete('validateOrder', { approved: true })).rejects.toThrow()
    // @ts-expect-error the initialize payload is the order
    void (() => wf.initialize({ customer: 'x' }))
  })
})
