import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { deleteCreated, incrementBack, isTasknetError, restoreFields, sagaFromJson, type CompensationContext, type SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { runScheduledInTimeOrder } from '../../src/testing'
import { orderSaga } from '../../src/workflows/sagas'
import { purchaseDefinition, purchaseRegistry, type PurchaseInput } from '../../src/workflows/sagas000'
import { backend, type Backend } from '../support/harness'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/**
 * `000_…`'s compensation manager on tasknet: src/workflows/sagas000.ts `purchaseSaga`, a saga defined as JSON
 * whose compensations are the four builders (delete, restore, increment, refund) and one of the app's own. A
 * failure compensates the completed steps newest first (LIFO), each from the data its step kept when it ran
 * (`CompensationRecord.Data`); a compensation that throws is recorded and the others still run.
 */

type Fns = typeof internal.examples.purchaseSaga
type Result = SagaResult & {
  compensatedSteps: string[]
  skippedSteps: string[]
  compensationErrors: Array<{ step: string; error: string }>
  steps: Array<{ step: string; status: string; output?: unknown; compensation?: { status: string; position: number; error?: string; reason?: string } }>
}

const ALL_COMPENSATED = ['chargeCard', 'notifyWarehouse', 'reserveStock', 'promoteCustomer', 'placeOrder']

async function seed(t: Backend, customer: { lastOrder?: boolean } = {}) {
  return t.run(async (ctx) => {
    const itemId = await ctx.db.insert('shopStock', { sku: 'lamp', available: 10 })
    const customerId = await ctx.db.insert('shopCustomers', { name: 'Ada', tier: 'standard' })
    let earlierOrderId: Id<'shopOrders'> | undefined
    if (customer.lastOrder) {
      earlierOrderId = await ctx.db.insert('shopOrders', { customerId, itemId, quantity: 1 })
      await ctx.db.patch(customerId, { lastOrderId: earlierOrderId })
    }
    return { itemId, customerId, earlierOrderId }
  })
}

async function purchase(input: Partial<PurchaseInput> = {}, options: { fns?: Fns; lastOrder?: boolean } = {}) {
  const t = backend()
  const fns = options.fns ?? internal.examples.purchaseSaga
  const { itemId, customerId, earlierOrderId } = await seed(t, { lastOrder: options.lastOrder ?? false })
  const payload: PurchaseInput = { customerId, itemId, quantity: 3, amount: 4200, ...input }
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: payload as never })) as Id<'tasknet_workflows'>
  // Each step and each compensation runs in a step of its own; the refund the compensation scheduled runs after it.
  await runScheduledInTimeOrder(t, vi)
  const result = (await t.query(fns.getSagaResult, { workflowId })) as Result
  const workflow = (await t.query(fns.getWorkflow, { workflowId })).state
  const state = await t.run(async (ctx) => ({
    log: await ActivityLog.entries(ctx),
    orders: await ctx.db.query('shopOrders').collect(),
    customer: (await ctx.db.get(customerId))!,
    stock: (await ctx.db.get(itemId))!.available,
    charges: await ctx.db.query('shopCharges').collect(),
    refunds: await ctx.db.query('shopRefunds').collect(),
    snapshots: Object.fromEntries(
      (await ctx.db.query('tasknet_sagaSteps').collect()).filter((r) => r.workflowId === workflowId && r.snapshot !== undefined).map((r) => [r.step, r.snapshot]),
    ),
  }))
  return { t, workflowId, result, workflow, customerId, itemId, earlierOrderId, ...state }
}

const compensationOf = (result: Result, step: string) => result.steps.find((s) => s.step === step)!.compensation

describe('000: the purchase saga from JSON, compensated by the builders', () => {
  it('completes every step: an order, a promoted customer, stock taken, a captured charge; nothing compensated', async () => {
    const run = await purchase()
    expect(run.workflow).toBe('completed')
    expect(run.result.status).toBe('completed')
    expect(run.result.steps.every((s) => s.status === 'completed' && s.compensation === undefined)).toBe(true)
    expect(run.orders).toHaveLength(1)
    expect(run.customer).toMatchObject({ tier: 'gold', lastOrderId: run.orders[0]!._id })
    expect(run.stock).toBe(7)
    expect(run.charges.map((c) => [c.amount, c.status])).toEqual([[4200, 'captured']])
    expect(run.refunds).toEqual([])
    expect(run.log).toEqual(['notify warehouse', 'schedule delivery'])
  })

  it('a failure at the last step compensates all the others in reverse (LIFO), each from what its step recorded', async () => {
    const run = await purchase({ failAt: 'scheduleDelivery' })
    expect(run.workflow).toBe('failed')
    expect(run.result).toMatchObject({ status: 'compensated', cause: 'stepFailed', error: 'scheduleDelivery failed', failedAtStep: 'scheduleDelivery', compensatedSteps: ALL_COMPENSATED, skippedSteps: [] })
    // scheduleDelivery declared `compensate: null`: it has no compensation, so it is neither compensated nor skipped.
    expect(compensationOf(run.result, 'scheduleDelivery')).toBeUndefined()
    expect(ALL_COMPENSATED.map((step) => compensationOf(run.result, step)!.position)).toEqual([1, 2, 3, 4, 5])
    // The failed step's own write rolled back with it; the recall is the app's own compensation.
    expect(run.log).toEqual(['notify warehouse', 'recall warehouse notice'])
    // delete: the order the step created is gone.
    expect(run.orders).toEqual([])
    // restore: the tier as the snapshot kept it, and lastOrderId, absent then, removed.
    expect(run.snapshots.promoteCustomer).toEqual({ customerId: run.customerId, tier: 'standard' })
    expect(run.customer).not.toHaveProperty('lastOrderId')
    expect(run.customer.tier).toBe('standard')
    // increment: the 3 taken are back.
    expect(run.stock).toBe(10)
    // refund: scheduled with the charge's id and amount from the step's output, under the refund's idempotency key.
    expect(run.charges.map((c) => c.status)).toEqual(['refunded'])
    expect(run.refunds.map((r) => ({ chargeId: r.chargeId, amount: r.amount, idempotencyKey: r.idempotencyKey }))).toEqual([
      { chargeId: run.charges[0]!._id, amount: 4200, idempotencyKey: `refund:${run.workflowId}:chargeCard` },
    ])
  })

  it('restore puts back the values the snapshot held when the step ran, not just "absent"', async () => {
    const run = await purchase({ failAt: 'scheduleDelivery' }, { lastOrder: true })
    expect(run.snapshots.promoteCustomer).toEqual({ customerId: run.customerId, tier: 'standard', lastOrderId: run.earlierOrderId })
    expect(run.customer).toMatchObject({ tier: 'standard', lastOrderId: run.earlierOrderId })
    // Only the order this saga created was deleted.
    expect(run.orders.map((o) => o._id)).toEqual([run.earlierOrderId])
  })

  it('a failure midway compensates only the steps that completed; the failed step wrote nothing, the rest were not reached', async () => {
    const run = await purchase({ quantity: 20 })
    expect(run.result).toMatchObject({ status: 'compensated', failedAtStep: 'reserveStock', error: 'only 10 of lamp left', compensatedSteps: ['promoteCustomer', 'placeOrder'] })
    expect(run.result.skippedSteps).toEqual(expect.arrayContaining(['reserveStock', 'notifyWarehouse', 'chargeCard']))
    expect(compensationOf(run.result, 'chargeCard')).toMatchObject({ status: 'skipped', reason: 'not reached' })
    expect(compensationOf(run.result, 'reserveStock')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('failed') })
    expect(run.stock).toBe(10)
    expect(run.orders).toEqual([])
    expect(run.customer.tier).toBe('standard')
    expect(run.charges).toEqual([])
    expect(run.refunds).toEqual([])
    expect(run.log).toEqual([])
  })

  it('continue: a compensation that throws is recorded, its writes rolled back, and every other one still runs', async () => {
    const run = await purchase({ failAt: 'scheduleDelivery', failCompensationOf: ['notifyWarehouse'] })
    expect(run.workflow).toBe('failed')
    expect(run.result).toMatchObject({
      status: 'compensationFailed',
      failedAtStep: 'scheduleDelivery',
      compensatedSteps: ['chargeCard', 'reserveStock', 'promoteCustomer', 'placeOrder'],
      compensationErrors: [{ step: 'notifyWarehouse', error: 'the warehouse did not answer the recall' }],
    })
    expect(compensationOf(run.result, 'notifyWarehouse')).toMatchObject({ status: 'failed', position: 2, error: 'the warehouse did not answer the recall' })
    expect(run.log).toEqual(['notify warehouse'])
    expect(run.orders).toEqual([])
    expect(run.customer.tier).toBe('standard')
    expect(run.stock).toBe(10)
    expect(run.refunds).toHaveLength(1)
  })

  it('halt (the same JSON with onCompensationFailure: halt): the failed compensation stops the ones after it', async () => {
    const run = await purchase({ failAt: 'scheduleDelivery', failCompensationOf: ['notifyWarehouse'] }, { fns: internal.examples.haltingPurchaseSaga as unknown as Fns })
    expect(run.result).toMatchObject({ status: 'compensationFailed', compensatedSteps: ['chargeCard'], compensationErrors: [{ step: 'notifyWarehouse' }] })
    for (const step of ['reserveStock', 'promoteCustomer', 'placeOrder']) expect(compensationOf(run.result, step)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('halted') })
    expect(run.refunds).toHaveLength(1)
    expect(run.stock).toBe(7)
    expect(run.orders).toHaveLength(1)
    expect(run.customer.tier).toBe('gold')
  })
})

describe('the compensation builders on their own', () => {
  const context = (mutationCtx: unknown, record: { output?: unknown; snapshot?: unknown }): CompensationContext<unknown> =>
    ({ mutationCtx, workflowId: 'wf1', step: 'theStep', input: {}, cause: 'stepFailed', error: 'boom', output: record.output, snapshot: record.snapshot }) as CompensationContext<unknown>

  const refusal = async (run: () => Promise<unknown>) => {
    const thrown = await run().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isTasknetError(thrown, 'INVALID_STATE')).toBe(true)
    return (thrown as { data: { message: string } }).data.message
  }

  it('a document deleted since the step ran: delete, restore and increment succeed without writing', async () => {
    const t = backend()
    const { itemId, customerId } = await seed(t)
    await t.run(async (ctx) => {
      await ctx.db.delete(itemId)
      await ctx.db.delete(customerId)
      await deleteCreated({ table: 'shopStock', idFrom: 'output.id' })(context(ctx, { output: { id: itemId } }))
      await restoreFields({ table: 'shopCustomers', idFrom: 'snapshot.customerId', fields: ['tier'] })(context(ctx, { snapshot: { customerId, tier: 'gold' } }))
      await incrementBack({ table: 'shopStock', idFrom: 'output.id', field: 'available', amountFrom: 'output.n' })(context(ctx, { output: { id: itemId, n: 2 } }))
      expect(await ctx.db.get(itemId)).toBeNull()
      expect(await ctx.db.get(customerId)).toBeNull()
    })
  })

  it('increment adds back to the value the counter has when it runs, keeping what others changed since', async () => {
    const t = backend()
    const { itemId } = await seed(t)
    await t.run(async (ctx) => {
      await ctx.db.patch(itemId, { available: 4 })
      await incrementBack({ table: 'shopStock', idFrom: 'output.reserved.itemId', field: 'available', amountFrom: 'output.reserved.quantity' })(context(ctx, { output: { reserved: { itemId, quantity: 3 } } }))
      expect((await ctx.db.get(itemId))!.available).toBe(7)
    })
  })

  it('a value missing from the record, an id of another table or no snapshot fails the compensation, naming the step and the path', async () => {
    const t = backend()
    const { itemId, customerId } = await seed(t)
    await t.run(async (ctx) => {
      expect(await refusal(() => deleteCreated({ table: 'shopStock', idFrom: 'output.id' })(context(ctx, { output: {} })) as Promise<void>)).toBe(
        "Compensation deleteCreated of step 'theStep' (workflow wf1): expected the id of a 'shopStock' document at output.id, found nothing.",
      )
      expect(await refusal(() => deleteCreated({ table: 'shopStock', idFrom: 'output.id' })(context(ctx, { output: { id: customerId } })) as Promise<void>)).toContain(`output.id holds '${customerId}', which is not an id of table 'shopStock'`)
      expect(await refusal(() => restoreFields({ table: 'shopCustomers', idFrom: 'output.id', fields: ['tier'] })(context(ctx, { output: { id: customerId } })) as Promise<void>)).toContain('kept no snapshot')
      expect(await refusal(() => incrementBack({ table: 'shopStock', idFrom: 'output.id', field: 'available', amountFrom: 'output.n' })(context(ctx, { output: { id: itemId, n: '2' } })) as Promise<void>)).toContain('expected a number at output.n, found "2"')
      expect(await refusal(() => incrementBack({ table: 'shopStock', idFrom: 'output.id', field: 'sku', amountFrom: 'output.n' })(context(ctx, { output: { id: itemId, n: 2 } })) as Promise<void>)).toContain("field 'sku' of shopStock")
      // Nothing was written.
      expect(await ctx.db.get(itemId)).toMatchObject({ sku: 'lamp', available: 10 })
    })
  })

  it('a path that does not say where it reads from is refused when the compensation is made', () => {
    expect(() => deleteCreated({ table: 'shopStock', idFrom: 'id' as never })).toThrow(/deleteCreated: idFrom 'id' is not a path .* expected 'output.<key>'/)
    expect(() => incrementBack({ table: 'shopStock', idFrom: 'output.id', field: 'available', amountFrom: 'result.n' as never })).toThrow(/amountFrom 'result.n'/)
    expect(() => restoreFields({ table: 'shopCustomers', idFrom: 'snapshot.id', fields: [] })).toThrow(/fields is empty/)
  })
})

describe('sagaFromJson refuses a bad definition, naming the saga, the step and what is expected', () => {
  type Step = Record<string, unknown>
  const steps = (): Step[] => structuredClone(purchaseDefinition.steps) as Step[]
  const withSteps = (edit: (steps: Step[]) => void) => {
    const s = steps()
    edit(s)
    return { ...purchaseDefinition, steps: s }
  }
  const refusal = (definition: unknown, registry = purchaseRegistry) => {
    let thrown: unknown
    try {
      sagaFromJson(definition, registry).build()
    } catch (e) {
      thrown = e
    }
    expect(isTasknetError(thrown, 'INVALID_DEFINITION')).toBe(true)
    return (thrown as { data: { message: string } }).data.message
  }

  it('accepts the purchase definition after a round trip through JSON text: its steps in order, each after the one before (lifo), the null compensation kept', () => {
    const again = sagaFromJson(JSON.parse(JSON.stringify(purchaseDefinition)), purchaseRegistry).build()
    expect(again.definition.steps.map((s) => [s.name, s.after, s.compensate === null])).toEqual([
      ['placeOrder', [], false],
      ['promoteCustomer', ['placeOrder'], false],
      ['reserveStock', ['promoteCustomer'], false],
      ['notifyWarehouse', ['reserveStock'], false],
      ['chargeCard', ['notifyWarehouse'], false],
      ['scheduleDelivery', ['chargeCard'], true],
    ])
  })

  it('passes a service step, after, compensationAfter and compensateIfUncertain through to the builder', () => {
    const payment = orderSaga.definition.steps.find((s) => s.name === 'processPayment')!.service!
    const built = sagaFromJson(
      {
        name: 'graphed',
        order: 'graph',
        steps: [
          { name: 'placeOrder', action: 'placeOrder', compensate: { builder: 'delete', table: 'shopOrders', idFrom: 'output.orderId' } },
          { name: 'pay', service: 'payment', after: ['placeOrder'], compensateIfUncertain: true, compensate: 'recallWarehouseNotice' },
          { name: 'deliver', action: 'scheduleDelivery', after: ['placeOrder'], compensationAfter: ['pay'], compensate: null },
        ],
      },
      { ...purchaseRegistry, services: { payment } },
    ).build()
    const [place, pay, deliver] = built.definition.steps
    expect(built.definition.options).toEqual({ order: 'graph', onCompensationFailure: 'continue' })
    expect(place!.action).toBe(purchaseRegistry.actions!.placeOrder)
    expect(pay).toMatchObject({ service: payment, after: ['placeOrder'], compensateIfUncertain: true, compensate: purchaseRegistry.compensations!.recallWarehouseNotice })
    expect(deliver).toMatchObject({ after: ['placeOrder'], compensationAfter: ['pay'], compensate: null })
    expect(built.workflow.name).toBe('graphed')
  })

  const cases: Array<[string, unknown, string]> = [
    ['not an object', [1, 2], "Saga '(unnamed)' (JSON): expected an object { name, steps, … }."],
    ['no name', { steps: purchaseDefinition.steps }, "Saga '(unnamed)' (JSON): name: expected the saga name (a string)."],
    ['no steps', { name: 'purchase' }, "Saga 'purchase' (JSON): steps: expected an array of steps."],
    ['an empty list of steps', { name: 'purchase', steps: [] }, "Saga 'purchase' (JSON): steps: expected at least one step."],
    ['an unknown saga field', { ...purchaseDefinition, retries: 3 }, "Saga 'purchase' (JSON): unknown field 'retries'; a saga takes name, order, onCompensationFailure, deadlineMs, steps."],
    ['an unknown order', { ...purchaseDefinition, order: 'fifo' }, "Saga 'purchase' (JSON): order: expected 'lifo', 'dependencies' or 'graph'."],
    ['an unknown onCompensationFailure', { ...purchaseDefinition, onCompensationFailure: 'retry' }, "Saga 'purchase' (JSON): onCompensationFailure: expected 'continue' or 'halt'."],
    ['a deadline of 0', { ...purchaseDefinition, deadlineMs: 0 }, "Saga 'purchase' (JSON): deadlineMs: expected a number of milliseconds > 0."],
    ['a step that is not an object', withSteps((s) => void (s[1] = 'promoteCustomer' as never)), "Saga 'purchase' (JSON): step (steps[1]): expected an object { name, action or service, compensate, … }."],
    ['a step without a name', withSteps((s) => void delete s[1]!.name), "Saga 'purchase' (JSON): step (steps[1]): name: expected the step name (a string)."],
    ['an unknown step field', withSteps((s) => void (s[2]!.compensation = null)), "Saga 'purchase' (JSON): step 'reserveStock' (steps[2]): unknown field 'compensation'; a step takes name, action or service, compensate, after, compensationAfter, compensateIfUncertain."],
    ['a step with neither action nor service', withSteps((s) => void delete s[0]!.action), "Saga 'purchase' (JSON): step 'placeOrder' (steps[0]): expected exactly one of 'action' (the registry key of a local action) and 'service' (the registry key of a service step)."],
    ['a step with both action and service', withSteps((s) => void (s[0]!.service = 'charge')), "Saga 'purchase' (JSON): step 'placeOrder' (steps[0]): expected exactly one of 'action'"],
    ['an action the registry lacks', withSteps((s) => void (s[3]!.action = 'notifyWarehous')), "Saga 'purchase' (JSON): step 'notifyWarehouse' (steps[3]): action: 'notifyWarehous' is not in the registry's actions (it has 'placeOrder', 'promoteCustomer', 'reserveStock', 'notifyWarehouse', 'chargeCard', 'scheduleDelivery')."],
    ['a service the registry lacks', withSteps((s) => void (delete s[4]!.action, (s[4]!.service = 'charge'))), "Saga 'purchase' (JSON): step 'chargeCard' (steps[4]): service: 'charge' is not in the registry's services (none given)."],
    ['an action key that is not a string', withSteps((s) => void (s[0]!.action = 7)), "Saga 'purchase' (JSON): step 'placeOrder' (steps[0]): action: expected the registry key of a local action (a string)."],
    ['no compensate', withSteps((s) => void delete s[5]!.compensate), "Saga 'purchase' (JSON): step 'scheduleDelivery' (steps[5]): compensate: expected null (nothing to undo), the registry key of a compensation, or { builder: 'delete' | 'restore' | 'increment' | 'refund', … }."],
    ['a compensate that is neither null, a key nor a builder', withSteps((s) => void (s[5]!.compensate = true)), "step 'scheduleDelivery' (steps[5]): compensate: expected null (nothing to undo)"],
    ['a compensation the registry lacks', withSteps((s) => void (s[3]!.compensate = 'recall')), "Saga 'purchase' (JSON): step 'notifyWarehouse' (steps[3]): compensate: 'recall' is not in the registry's compensations (it has 'recallWarehouseNotice')."],
    ['an unknown builder', withSteps((s) => void (s[0]!.compensate = { builder: 'archive', table: 'shopOrders' })), "Saga 'purchase' (JSON): step 'placeOrder' (steps[0]): compensate.builder: 'archive' is not a builder; expected 'delete', 'restore', 'increment' or 'refund'."],
    ['a builder path that does not say where it reads', withSteps((s) => void (s[0]!.compensate = { builder: 'delete', table: 'shopOrders', idFrom: 'orderId' })), "Saga 'purchase' (JSON): step 'placeOrder' (steps[0]): compensate.idFrom: expected a path 'output.<key>', 'snapshot.<key>' or 'input.<key>'."],
    ['a builder without one of its fields', withSteps((s) => void delete (s[2]!.compensate as Step).field), "Saga 'purchase' (JSON): step 'reserveStock' (steps[2]): compensate.field: expected a field name (a string)."],
    ['a builder with a field it does not take', withSteps((s) => void ((s[0]!.compensate as Step).fields = ['x'])), "Saga 'purchase' (JSON): step 'placeOrder' (steps[0]): compensate: "],
    ['restore with no fields', withSteps((s) => void ((s[1]!.compensate as Step).fields = [])), "Saga 'purchase' (JSON): step 'promoteCustomer' (steps[1]): compensate.fields: expected at least one field to restore."],
    ['a refund handler the registry lacks', withSteps((s) => void ((s[4]!.compensate as Step).handler = 'refund')), "Saga 'purchase' (JSON): step 'chargeCard' (steps[4]): compensate.handler: 'refund' is not in the registry's handlers (it has 'shopRefund')."],
    ['after naming a step not declared before (the builder’s check)', withSteps((s) => void (s[1]!.after = ['chargeCard'])), "Saga 'purchase': step 'promoteCustomer' lists 'chargeCard' in 'after', which is not a step declared before it."],
    ['a step name used twice (the builder’s check)', withSteps((s) => void (s[2]!.name = 'placeOrder')), "Saga 'purchase': step 'placeOrder' is declared twice."],
    ['a step name that is not letters and digits (the builder’s check)', withSteps((s) => void (s[5]!.name = 'schedule-delivery')), "Saga 'purchase': step name 'schedule-delivery' must be letters and digits, starting with a letter."],
    ['lifo with steps out of order (the builder’s check at build)', withSteps((s) => void (s[2]!.after = ['placeOrder'])), "Saga 'purchase': order 'lifo' runs the steps one at a time in declaration order, so step 'reserveStock' runs after 'promoteCustomer' only"],
  ]

  it.each(cases)('%s', (_rule, definition, expected) => {
    expect(refusal(definition)).toContain(expected)
  })
})
