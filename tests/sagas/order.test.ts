import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { runScheduledInTimeOrder } from '../../src/testing'
import { PAYMENT_RETRY, PAYMENT_TIMEOUT_MS } from '../../src/workflows/sagas'
import type { Backend } from '../support/harness'
import { requests, runUntil, servicesBackend } from '../support/services'

/**
 * `003_…`'s order saga (SagaOrchestrator) on tasknet: src/workflows/sagas.ts `orderSaga`. Its payment is a
 * service step (retries with a delay, a non-retryable decline, a per-attempt timeout) run by the work pool;
 * each outcome is one of the three `SagaResult` variants.
 */

const fns = internal.examples.orderSaga
type Result = SagaResult & { compensatedSteps: string[]; skippedSteps: string[]; compensationErrors: Array<{ step: string; error: string }>; steps: Array<{ step: string; status: string; output?: unknown; compensation?: unknown }> }

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  vi.useFakeTimers()
  // convex-test prints each failed action: here the provider's planned failures.
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
  vi.useRealTimers()
})

type Input = { payment: Array<'ok' | 'fail' | 'decline' | 'slow'>; failAt?: string; failCompensationOf?: string[] }

async function start(t: Backend, input: Input) {
  return (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { orderId: 'ORD-12345', ...input } as never })) as Id<'tasknet_workflows'>
}

async function outcome(t: Backend, workflowId: Id<'tasknet_workflows'>) {
  const result = (await t.query(fns.getSagaResult, { workflowId })) as Result
  const workflow = (await t.query(fns.getWorkflow, { workflowId })).state
  return { result, workflow, log: await t.run((ctx) => ActivityLog.entries(ctx)) }
}

async function run(input: Input) {
  const t = servicesBackend()
  const workflowId = await start(t, input)
  await runScheduledInTimeOrder(t, vi, { components: ['services'] })
  return { t, workflowId, ...(await outcome(t, workflowId)) }
}

const paymentWorkItem = async (t: Backend, workflowId: Id<'tasknet_workflows'>) => (await t.query(fns.getWorkItems, { workflowId, taskName: 'processPayment' as never }))[0]!._id as Id<'tasknet_workItems'>

describe('003: the order saga', () => {
  it('Completed: the payment succeeds on its third attempt, after the policy’s delays, with one idempotency key', async () => {
    const { t, workflowId, result, workflow, log } = await run({ payment: ['fail', 'fail', 'ok'] })
    expect(workflow).toBe('completed')
    expect(result.status).toBe('completed')
    expect(log).toEqual(['reserveInventory', 'sendConfirmation'])
    const workItemId = await paymentWorkItem(t, workflowId)
    const attempts = await requests(t, workItemId)
    expect(attempts.map((r) => [r.attempt, r.idempotencyKey])).toEqual([1, 2, 3].map((n) => [n, `tasknet:${workItemId}`]))
    expect(attempts[1]!.startedAt - attempts[0]!.finishedAt!).toBeGreaterThanOrEqual(PAYMENT_RETRY.initialBackoffMs - 100)
    expect(attempts[2]!.startedAt - attempts[1]!.finishedAt!).toBeGreaterThanOrEqual(PAYMENT_RETRY.initialBackoffMs * PAYMENT_RETRY.base - 100)
    expect(result.steps.find((s) => s.step === 'processPayment')).toMatchObject({ status: 'completed', output: { chargeId: `ch_tasknet:${workItemId}` } })
  })

  it('Compensated: a declined card is not retried; the reservation is released', async () => {
    const { t, workflowId, result, workflow, log } = await run({ payment: ['decline', 'ok'] })
    expect(workflow).toBe('failed')
    expect(await requests(t, await paymentWorkItem(t, workflowId))).toHaveLength(1)
    expect(log).toEqual(['reserveInventory', 'release res_ORD-12345'])
    expect(result).toMatchObject({
      status: 'compensated',
      cause: 'stepFailed',
      failedAtStep: 'processPayment',
      error: expect.stringContaining('card_declined'),
      compensatedSteps: ['reserveInventory'],
      skippedSteps: ['sendConfirmation', 'processPayment'],
    })
  })

  it('Compensated: a failed confirmation refunds the payment, then releases the reservation', async () => {
    const { result, log } = await run({ payment: ['ok'], failAt: 'sendConfirmation' })
    expect(log).toEqual(['reserveInventory', expect.stringMatching(/^refund ch_tasknet:/), 'release res_ORD-12345'])
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'sendConfirmation', compensatedSteps: ['processPayment', 'reserveInventory'], skippedSteps: ['sendConfirmation'] })
  })

  it('CompensationFailed: the refund fails; the reservation is still released, and the error is reported with the step it failed at', async () => {
    const { result, workflow, log } = await run({ payment: ['ok'], failAt: 'sendConfirmation', failCompensationOf: ['processPayment'] })
    expect(workflow).toBe('failed')
    expect(log).toEqual(['reserveInventory', 'release res_ORD-12345'])
    expect(result).toMatchObject({
      status: 'compensationFailed',
      error: 'sendConfirmation failed',
      failedAtStep: 'sendConfirmation',
      compensationErrors: [{ step: 'processPayment', error: 'compensating processPayment failed' }],
      compensatedSteps: ['reserveInventory'],
    })
  })

  it('a payment whose every attempt times out fails the step, and the saga compensates', { timeout: 30_000 }, async () => {
    const t = servicesBackend()
    const workflowId = await start(t, { payment: ['slow', 'slow', 'slow'] })
    await runUntil(t, async () => (await t.query(fns.getSagaResult, { workflowId }))!.status !== 'running' && (await t.query(fns.getWorkflow, { workflowId })).state !== 'started')
    const { result, log } = await outcome(t, workflowId)
    expect(result).toMatchObject({ status: 'compensated', failedAtStep: 'processPayment', error: `attempt 3 timed out after ${PAYMENT_TIMEOUT_MS} ms`, compensatedSteps: ['reserveInventory'] })
    expect(log).toEqual(['reserveInventory', 'release res_ORD-12345'])
  })
})

describe('canceling the order saga', () => {
  it('cancelSaga while the payment call is in flight: the call is uncertain, so the payment is refunded by its key, then the reservation released', { timeout: 30_000 }, async () => {
    const t = servicesBackend()
    const workflowId = await start(t, { payment: ['slow'] })
    // Until the provider received the charge: the attempt runs (10 s, longer than the wait here).
    const received = async () => (await t.run((ctx) => ctx.db.query('fakeServiceRequests').collect())).length === 1
    await runUntil(t, received)
    await t.mutation(fns.cancelSaga, { workflowId, reason: 'customer asked' })
    await runUntil(t, async () => (await t.query(fns.getWorkflow, { workflowId })).state !== 'started')
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('failed')
    expect(log).toEqual(['reserveInventory', 'refund by idempotency key (outcome unknown)', 'release res_ORD-12345'])
    expect(result).toMatchObject({ status: 'compensated', cause: 'canceled', error: 'canceled: customer asked', compensatedSteps: ['processPayment', 'reserveInventory'] })
    expect(result.steps.find((s) => s.step === 'processPayment')).toMatchObject({ status: 'uncertain' })
  })

  it('cancelSaga refuses a saga that already ended, changing nothing', async () => {
    const { t, workflowId } = await run({ payment: ['ok'] })
    await expect(t.mutation(fns.cancelSaga, { workflowId, reason: 'too late' })).rejects.toThrow(/Saga 'orderSaga' .* is 'completed'; only a running saga can be canceled/)
  })
})
