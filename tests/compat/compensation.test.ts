import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import schema from '../../convex/schema'
import { ActivityLog } from '../../src/domain/activityLog'
import { runScheduledInTimeOrder, tasknetTest } from '../../src/testing'
import { driver, modules } from '../support/harness'
import { jobs } from '../support/orders'
import { RENTAL_MODULE, rentalFunctions } from './rental'

/**
 * Compatibility: the API shapes docs/compensation.md teaches, run end to end
 * on the rental of ./rental.ts. Each callback logs what its context gave it,
 * so a shape that stops carrying what it promises (an id, a payload, a parent,
 * a route, a scheduled job) changes the log and fails the test that names it.
 */

function rentalBackend() {
  const withRental = { ...modules, [`../../convex/${RENTAL_MODULE}.ts`]: async () => (await import('./rental')).rentalModule }
  return tasknetTest(schema, withRental)
}

async function open(deposit = 50) {
  const t = rentalBackend()
  const wf = driver(t, rentalFunctions)
  await wf.initialize({ customer: 'maya', deposit })
  const log = () => t.run((ctx) => ActivityLog.entries(ctx))
  const itemId = async (task: string) => (await wf.workItemOf(task))._id
  return { t, wf, log, itemId }
}

/** Runs every scheduled job, including those scheduled by jobs, in time order. */
async function drain(t: ReturnType<typeof rentalBackend>) {
  await runScheduledInTimeOrder(t, vi)
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('compatibility with the compensation guide\'s API shapes', () => {
  it('a workflow initialize action with a payload gets the new workflow id; onEnabled initializes a work item with a typed payload', async () => {
    const { wf, log, itemId } = await open()
    const hold = await itemId('holdEquipment')
    expect(await log()).toEqual([`opened:maya:${wf.workflowId}`, `deposit-kept:${wf.workflowId}`, `hold:kayakx2:${hold}`])
    expect(await wf.tasks()).toMatchObject({ holdEquipment: 'enabled' })
  })

  it('a custom complete action reads workItem.id; the default policy completes the task; a policy returning nothing defers to it', async () => {
    const { wf, log, itemId } = await open()
    const hold = await itemId('holdEquipment')
    await wf.run('holdEquipment')
    await wf.run('takeDeposit')
    expect((await log()).slice(3)).toEqual([`hold-confirmed:${hold}`, 'deposit-stats:1/1'])
    // decide started and completed itself (auto-triggers) and routed to the end: no compensation was marked.
    expect(await wf.workflowState()).toBe('completed')
    expect(await wf.tasks()).toMatchObject({ decide: 'completed', refundDeposit: 'disabled', returnEquipment: 'disabled' })
  })

  it('inline compensation: onWorkItemStateChanged and a task-level onCanceled both see the canceled work item\'s id', async () => {
    const { t, wf, log, itemId } = await open()
    const hold = await itemId('holdEquipment')
    await t.mutation(rentalFunctions.internalCancelRootWorkflow as any, { workflowId: wf.workflowId })
    expect((await log()).slice(3)).toEqual([`hold-released:canceled:${hold}`, `hold-task-canceled:${hold}`])
    expect(await wf.workflowState()).toBe('canceled')
  })

  it('routed compensation: the policy turns a failure into a completion, the route reads the domain, a registered job completes the refund through internalCompleteWorkItem', async () => {
    const { t, wf, log, itemId } = await open()
    await wf.run('holdEquipment')
    await wf.start('takeDeposit')
    const deposit = await itemId('takeDeposit')
    await wf.act('fail', 'takeDeposit')
    const refund = await itemId('refundDeposit')
    expect((await log()).slice(4)).toEqual([
      `compensating:${wf.workflowId}`,
      'failed-in:takeDeposit#1',
      `refund-requested:${wf.workflowId}:${refund}`,
    ])
    expect(await wf.tasks()).toMatchObject({ takeDeposit: 'completed', decide: 'completed', refundDeposit: 'started' })
    expect((await jobs(t)).sort()).toEqual(['activityLog:append:pending', `${RENTAL_MODULE}:settleRefund:pending`])

    await drain(t)
    // The alert was scheduled with mutationCtx.scheduler from the failed item's onFailed and outlived it.
    expect((await log()).slice(7).sort()).toEqual([`alert:${deposit}`, `refunded:rcpt-1:${refund}`, `returned:${wf.workflowId}`].sort())
    expect(await wf.workflowState()).toBe('completed')
    expect(await wf.tasks()).toMatchObject({ refundDeposit: 'completed', returnEquipment: 'completed' })
  })

  it('a policy returning \'fail\' lets the failure through: the task\'s onFailed gets the parent workflow, the workflow fails', async () => {
    const { wf, log } = await open(0)
    await wf.run('holdEquipment')
    await wf.start('takeDeposit')
    await wf.act('fail', 'takeDeposit')
    expect(await log()).toContain(`deposit-task-failed:${wf.workflowId}`)
    expect(await wf.workflowState()).toBe('failed')
  })

  it('a registered job is canceled with its work item; it never completes a refund of a canceled rental', async () => {
    const { t, wf } = await open()
    await wf.run('holdEquipment')
    await wf.start('takeDeposit')
    await wf.act('fail', 'takeDeposit')
    await t.mutation(rentalFunctions.internalCancelRootWorkflow as any, { workflowId: wf.workflowId })
    expect((await jobs(t)).sort()).toEqual(['activityLog:append:pending', `${RENTAL_MODULE}:settleRefund:canceled`])
  })
})
