import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { CARD_LIMIT } from '../../src/domain/payments'
import { backend, driver, type Backend } from '../support/harness'
import {
  DECLINED_CARD_NUMBER,
  HAPPY_PATH_END,
  MARKING_EMPTY,
  STOCK,
  TASKS_DISABLED,
  TIMES_OUT_ONCE_CARD,
  domain,
  dumpAllTables,
  jobs,
  order,
  stockUp,
} from '../support/orders'
import { runUntil, servicesBackend } from '../support/services'

/**
 * The order workflow (src/workflows/order.ts), the worked example of docs/compensation.md. Its payment
 * and refund are service work items against the fake payment provider of convex/payments.ts, run by
 * the `services` work pool in time order on fake timers (`runUntil`).
 */

async function setup(payload = order()) {
  const t = servicesBackend()
  await stockUp(t)
  const wf = driver(t, internal.orders)
  await wf.initialize(payload)
  return { t, wf }
}

/** Initialized, validated, inventory reserved and confirmed: chargePayment is offered. */
async function readyToPay(payload = order()) {
  const { t, wf } = await setup(payload)
  await wf.run('validateOrder')
  await wf.run('reserveInventory')
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: { ...TASKS_DISABLED, validateOrder: 'completed', reserveInventory: 'completed', chargePayment: 'enabled' },
    marking: { ...MARKING_EMPTY, reserveInventory__to__chargePayment: 1 },
    workItems: ['validateOrder#1:completed', 'reserveInventory#1:completed', 'chargePayment#1:initialized'],
  })
  expect(await domain(t, wf.workflowId)).toEqual({
    order: 'processing',
    stock: { widget: 7, gadget: 4 },
    reservations: ['widget×3:confirmed', 'gadget×1:confirmed'],
    charges: [],
    refunds: [],
    notifications: [],
  })
  return { t, wf }
}

type Driver = Awaited<ReturnType<typeof setup>>['wf']

/** The service call of the newest work item of `task`. */
async function serviceCall(t: Backend, wf: Driver, task: string) {
  const workItem = await wf.workItemOf(task)
  return t.query(internal.orders.getServiceCall, { workItemId: workItem._id as Id<'tasknet_workItems'> })
}

/** Until the workflow is final. */
const ended = (wf: Driver) => async () => ['completed', 'failed', 'canceled'].includes(await wf.state())
/** Until the work item of `task` is in `state`. */
const reached = (wf: Driver, task: string, state: string) => async () => (await wf.workItems(task)).at(-1)?.state === state

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

describe('order processing (the worked example of docs/compensation.md)', () => {
  it('initializing creates a draft order and offers validateOrder; validating moves it to processing and reserves the stock', async () => {
    const { t, wf } = await setup()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { ...TASKS_DISABLED, validateOrder: 'enabled' },
      marking: { ...MARKING_EMPTY, start: 1 },
      workItems: ['validateOrder#1:initialized'],
    })
    expect((await domain(t, wf.workflowId)).order).toBe('draft')

    await wf.run('validateOrder')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { ...TASKS_DISABLED, validateOrder: 'completed', reserveInventory: 'enabled' },
      marking: { ...MARKING_EMPTY, validateOrder__to__reserveInventory: 1 },
      workItems: ['validateOrder#1:completed', 'reserveInventory#1:initialized'],
    })
    expect(await domain(t, wf.workflowId)).toEqual({
      order: 'processing',
      stock: { widget: 7, gadget: 4 },
      reservations: ['widget×3:held', 'gadget×1:held'],
      charges: [],
      refunds: [],
      notifications: [],
    })
  })

  it('happy path: the provider captures the hold at the first attempt, routeDecision goes straight to the end, and the order is completed', async () => {
    const { t, wf } = await readyToPay()

    // Starting places the hold and queues the provider's capture: the work item waits for its outcome.
    await wf.start('chargePayment')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { ...TASKS_DISABLED, validateOrder: 'completed', reserveInventory: 'completed', chargePayment: 'started' },
      marking: MARKING_EMPTY,
      workItems: ['validateOrder#1:completed', 'reserveInventory#1:completed', 'chargePayment#1:started'],
    })
    expect((await domain(t, wf.workflowId)).charges).toEqual(['120:authorized'])
    expect(await serviceCall(t, wf, 'chargePayment')).toMatchObject({ state: 'calling', attempt: 1 })

    await runUntil(t, ended(wf))
    expect(await wf.snapshot()).toEqual(HAPPY_PATH_END)
    expect(await domain(t, wf.workflowId)).toEqual({
      order: 'completed',
      stock: { widget: 7, gadget: 4 },
      reservations: ['widget×3:confirmed', 'gadget×1:confirmed'],
      charges: ['120:captured:provider-id'],
      refunds: [],
      notifications: ['order_confirmed→alice'],
    })
    const call = await serviceCall(t, wf, 'chargePayment')
    expect(call).toMatchObject({ state: 'succeeded', attempt: 1, result: { chargeId: `ch_${call!.idempotencyKey}` } })
    expect(call).not.toHaveProperty('lastError')
    // The capture is recorded with the provider's charge id; the refund never ran.
    const state = await t.query(internal.orders.orderState, { workflowId: wf.workflowId })
    expect(state.charges[0]!.providerChargeId).toBe(`ch_${call!.idempotencyKey}`)
    expect(await wf.workItems('refundPayment')).toEqual([])
    expect(await jobs(t)).toEqual([])
  })

  it('a capture that timed out (test card 0003) is retried, and succeeds on its second attempt with one hold', async () => {
    const { t, wf } = await readyToPay(order({ card: TIMES_OUT_ONCE_CARD }))
    await wf.start('chargePayment')
    await runUntil(t, async () => (await serviceCall(t, wf, 'chargePayment'))?.attempt === 2)
    // Between the attempts the work item stays started: a transient failure is not a decline.
    expect((await wf.workItemOf('chargePayment')).state).toBe('started')
    expect(await serviceCall(t, wf, 'chargePayment')).toMatchObject({ state: 'calling', attempt: 2, lastError: expect.stringContaining('gateway timeout (attempt 1)') })

    await runUntil(t, ended(wf))
    expect(await wf.snapshot()).toEqual(HAPPY_PATH_END)
    expect(await serviceCall(t, wf, 'chargePayment')).toMatchObject({ state: 'succeeded', attempt: 2 })
    expect(await domain(t, wf.workflowId)).toMatchObject({ order: 'completed', charges: ['120:captured:provider-id'], refunds: [] })
  })

  for (const [label, payload, reason] of [
    ['the test card that is always declined', order({ card: DECLINED_CARD_NUMBER }), 'card_declined'],
    ['an amount above the card limit', order({ amount: CARD_LIMIT + 1 }), `amount ${CARD_LIMIT + 1} exceeds the card limit of ${CARD_LIMIT}`],
  ] as const) {
    it(`payment declined (${label}): the compensation section runs in order, stock is restored, the hold is refunded, the order is compensated`, async () => {
      const { t, wf } = await readyToPay(payload)
      const amount = payload.amount

      // Starting places the hold; the provider declines the capture by the card rules, not retried; the policy completes
      // the task instead of failing it, and routeDecision routes into the compensation section. refundPayment waits for the provider.
      await wf.start('chargePayment')
      await runUntil(t, reached(wf, 'chargePayment', 'failed'))
      expect(await wf.snapshot()).toEqual({
        workflow: 'started',
        tasks: {
          ...TASKS_DISABLED,
          validateOrder: 'completed',
          reserveInventory: 'completed',
          chargePayment: 'completed',
          routeDecision: 'completed',
          refundPayment: 'started',
        },
        marking: MARKING_EMPTY,
        workItems: [
          'validateOrder#1:completed',
          'reserveInventory#1:completed',
          'chargePayment#1:failed',
          'routeDecision#1:completed',
          'refundPayment#1:started',
        ],
      })
      expect(await domain(t, wf.workflowId)).toEqual({
        order: 'compensating',
        stock: { widget: 7, gadget: 4 },
        reservations: ['widget×3:confirmed', 'gadget×1:confirmed'],
        charges: [`${amount}:declined (${reason})`],
        refunds: [`${amount}:pending`],
        notifications: [],
      })
      expect(await serviceCall(t, wf, 'chargePayment')).toMatchObject({ state: 'failed', attempt: 1, lastError: expect.stringContaining(reason) })
      expect(await serviceCall(t, wf, 'refundPayment')).toMatchObject({ state: 'calling', attempt: 1 })
      // Pattern 3's alert, scheduled directly from onFailed (Pattern 2's refund runs in the work pool).
      expect(await jobs(t)).toEqual(['notifications:sendPaymentFailureAlert:pending'])

      await runUntil(t, ended(wf))

      expect(await jobs(t)).toEqual(['notifications:sendPaymentFailureAlert:success'])
      // The provider's refund was unavailable at the first attempt; the retry succeeded.
      expect(await serviceCall(t, wf, 'refundPayment')).toMatchObject({
        state: 'succeeded',
        attempt: 2,
        lastError: expect.stringContaining('refund service unavailable (attempt 1)'),
      })
      expect(await wf.snapshot()).toEqual({
        workflow: 'completed',
        tasks: {
          validateOrder: 'completed',
          reserveInventory: 'completed',
          chargePayment: 'completed',
          routeDecision: 'completed',
          refundPayment: 'completed',
          releaseInventory: 'completed',
          notifyFailure: 'completed',
        },
        marking: { ...MARKING_EMPTY, end: 1 },
        // Creation order is the order the compensation section ran in.
        workItems: [
          'validateOrder#1:completed',
          'reserveInventory#1:completed',
          'chargePayment#1:failed',
          'routeDecision#1:completed',
          'refundPayment#1:completed',
          'releaseInventory#1:completed',
          'notifyFailure#1:completed',
        ],
      })
      expect(await domain(t, wf.workflowId)).toEqual({
        order: 'compensated',
        stock: STOCK,
        reservations: ['widget×3:released', 'gadget×1:released'],
        charges: [`${amount}:refunded (${reason})`],
        refunds: [`${amount}:completed:provider-id`],
        notifications: ['order_failed→alice', 'payment_failure_alert→operations'],
      })
    })
  }

  it('the failure alert is delivered although the payment work item is already final when it runs (Pattern 3)', async () => {
    const { t, wf } = await readyToPay(order({ card: DECLINED_CARD_NUMBER }))
    await wf.start('chargePayment')
    await runUntil(t, reached(wf, 'chargePayment', 'failed'))
    await runUntil(t, ended(wf))
    const state = await t.query(internal.orders.orderState, { workflowId: wf.workflowId })
    const alert = state.notifications.find((n) => n.kind === 'payment_failure_alert')
    expect(alert?.message).toMatch(/was declined: card_declined\.$/)
    expect(alert?.message).toContain('•••• 0002')
  })
})

describe('canceling an order workflow (Pattern 1)', () => {
  it('while reserveInventory\'s work item holds the stock (offered): the reservation is released', async () => {
    const { t, wf } = await setup()
    await wf.run('validateOrder')
    expect((await domain(t, wf.workflowId)).stock).toEqual({ widget: 7, gadget: 4 })

    await t.mutation(internal.orders.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await wf.snapshot()).toEqual({
      workflow: 'canceled',
      tasks: { ...TASKS_DISABLED, validateOrder: 'completed', reserveInventory: 'canceled' },
      marking: { ...MARKING_EMPTY, validateOrder__to__reserveInventory: 1 },
      workItems: ['validateOrder#1:completed', 'reserveInventory#1:canceled'],
    })
    expect(await domain(t, wf.workflowId)).toEqual({
      order: 'canceled',
      stock: STOCK,
      reservations: ['widget×3:released', 'gadget×1:released'],
      charges: [],
      refunds: [],
      notifications: [],
    })
  })

  it('while reserveInventory is started: the reservation is released', async () => {
    const { t, wf } = await setup()
    await wf.run('validateOrder')
    await wf.start('reserveInventory')

    await t.mutation(internal.orders.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await wf.snapshot()).toEqual({
      workflow: 'canceled',
      tasks: { ...TASKS_DISABLED, validateOrder: 'completed', reserveInventory: 'canceled' },
      marking: MARKING_EMPTY,
      workItems: ['validateOrder#1:completed', 'reserveInventory#1:canceled'],
    })
    expect(await domain(t, wf.workflowId)).toMatchObject({ order: 'canceled', stock: STOCK, reservations: ['widget×3:released', 'gadget×1:released'] })
  })

  it('canceling the reserveInventory work item itself (a bottom-up signal) releases its reservation too', async () => {
    const { t, wf } = await setup()
    await wf.run('validateOrder')
    await wf.start('reserveInventory')
    await wf.act('cancel', 'reserveInventory')
    // The default policy completes the task once its only work item is final: the order goes on to payment without stock held.
    expect((await wf.tasks()).reserveInventory).toBe('completed')
    expect(await domain(t, wf.workflowId)).toMatchObject({ stock: STOCK, reservations: ['widget×3:released', 'gadget×1:released'] })
  })

  it("while the refund is queued: the provider's refund is canceled and never runs, the hold is voided", async () => {
    const { t, wf } = await readyToPay(order({ card: DECLINED_CARD_NUMBER }))
    await wf.start('chargePayment')
    await runUntil(t, reached(wf, 'refundPayment', 'started'))
    await t.mutation(internal.orders.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    // The pool had not started the attempt: its job is canceled.
    expect(await serviceCall(t, wf, 'refundPayment')).toMatchObject({ state: 'canceled', attempt: 1 })
    expect(await jobs(t)).toEqual(['notifications:sendPaymentFailureAlert:pending'])
    await runUntil(t)
    expect(await jobs(t)).toEqual(['notifications:sendPaymentFailureAlert:success'])
    expect(await serviceCall(t, wf, 'refundPayment')).toMatchObject({ state: 'canceled', attempt: 1, late: [] })
    expect(await wf.snapshot()).toMatchObject({ workflow: 'canceled', tasks: { refundPayment: 'canceled' } })
    expect(await domain(t, wf.workflowId)).toMatchObject({
      order: 'canceled',
      charges: ['120:voided (card_declined)'],
      refunds: ['120:pending'],
    })
  })
})

describe('a thrown exception in an action leaves every table exactly as before', () => {
  it('initialize: a payload the schema refuses', async () => {
    const t = backend()
    await stockUp(t)
    const before = await dumpAllTables(t)
    await expect(t.mutation(internal.orders.internalInitializeRootWorkflow, { payload: order({ items: [] }) })).rejects.toThrow()
    expect(await dumpAllTables(t)).toEqual(before)
  })

  it("validateOrder's complete action: an unknown product", async () => {
    const { t, wf } = await setup(order({ items: [{ productId: 'gizmo', quantity: 1 }] }))
    await wf.start('validateOrder')
    const before = await dumpAllTables(t)
    await expect(wf.complete('validateOrder')).rejects.toThrow(/Unknown product 'gizmo'/)
    expect(await dumpAllTables(t)).toEqual(before)
  })

  it("reserveInventory's initialize action (run while validateOrder completes): not enough stock", async () => {
    const { t, wf } = await setup(order({ items: [{ productId: 'widget', quantity: 2 }, { productId: 'gadget', quantity: 6 }] }))
    await wf.start('validateOrder')
    const before = await dumpAllTables(t)
    // The widget reservation made before the gadget shortage was found is rolled back too.
    await expect(wf.complete('validateOrder')).rejects.toThrow(/Not enough 'gadget' in stock/)
    expect(await dumpAllTables(t)).toEqual(before)
    expect((await domain(t, wf.workflowId)).order).toBe('draft')
  })

  it("chargePayment's start action: a card number the payment domain refuses", async () => {
    const { t, wf } = await readyToPay(order({ card: 'not a card' }))
    const before = await dumpAllTables(t)
    await expect(wf.start('chargePayment')).rejects.toThrow(/is not a card number/)
    expect(await dumpAllTables(t)).toEqual(before)
  })

  it("refundPayment's complete action, completed by hand: a refund the domain does not know", async () => {
    const { t, wf } = await readyToPay(order({ card: DECLINED_CARD_NUMBER }))
    await wf.start('chargePayment')
    await runUntil(t, reached(wf, 'refundPayment', 'started'))
    // Lose the refund record, then the complete action throws and nothing changes (the queued refund attempt included).
    const refund = (await t.query(internal.orders.orderState, { workflowId: wf.workflowId })).refunds[0]!
    await t.run(async (ctx) => ctx.db.delete(refund._id))
    const before = await dumpAllTables(t)
    await expect(wf.complete('refundPayment', { refundId: 're_x' })).rejects.toThrow(/has no refund/)
    expect(await dumpAllTables(t)).toEqual(before)
    expect(await serviceCall(t, wf, 'refundPayment')).toMatchObject({ state: 'calling', attempt: 1 })
  })
})
