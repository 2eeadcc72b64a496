import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { Faults, faultMessage } from '../../src/domain/faults'
import { workflowDriver } from '../../src/testing'
import type { Backend } from '../support/harness'
import { receipts, requests, runUntil, servicesBackend } from '../support/services'

/**
 * An outcome arrives once, so a work item whose callbacks throw on it must not lose it
 * (docs/api.md#service-work-items): the charge workflow with fault sites (convex/examples/faultCharge.ts)
 * makes its complete or fail action throw. A success whose complete action throws fails the work item
 * instead, with the result kept on the call; when failing throws too, the call keeps the outcome as
 * `unapplied` and the work item is left as it was, for the app to end.
 */

const fns = internal.examples.faultCharge

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  vi.useFakeTimers()
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
  vi.useRealTimers()
})

const arm = (t: Backend, ...sites: string[]) => t.run(async (ctx) => void (await Promise.all(sites.map((site) => Faults.arm(ctx, site)))))
const disarm = (t: Backend) => t.run((ctx) => Faults.disarm(ctx))

async function startCharge(t: Backend, script: string[]) {
  const wf = workflowDriver(t, fns)
  await wf.initialize()
  // withFaultSites returns an untyped definition, so the generated functions do not know the payloads.
  const workItem = await wf.start('charge', { script } as never)
  const workItemId = workItem._id as Id<'tasknet_workItems'>
  const call = () => t.query(fns.getServiceCall, { workItemId })
  const changes = async () =>
    (await t.query(fns.getEvents, { workflowId: wf.workflowId, limit: 100 })).events.flatMap((e) =>
      e.changes.flatMap((c) => (c.kind === 'service' ? [`${c.attempt} ${c.outcome}`] : [])),
    )
  return { wf, workItemId, call, changes, ended: async () => (await call())?.state !== 'calling' }
}

describe('an outcome its work item cannot take', () => {
  it('a success whose complete action throws fails the work item, and the call keeps the result', async () => {
    const t = servicesBackend()
    await arm(t, 'chargeItem.complete')
    const { wf, workItemId, call, changes, ended } = await startCharge(t, ['ok'])
    await runUntil(t, ended)

    const key = `tasknet:${workItemId}`
    expect(await call()).toMatchObject({
      state: 'failed',
      attempt: 1,
      result: { chargeId: `ch_${key}` },
      lastError: expect.stringMatching(/^the result of attempt 1 could not be applied: .*Fault injected at 'chargeItem.complete'/),
    })
    expect((await wf.workItems('charge')).map((w) => w.state)).toEqual(['failed'])
    expect(await wf.state()).toBe('failed')
    // The complete action's own write rolled back with it; the charge was not asked again.
    expect(await receipts(t)).toEqual([])
    expect(await requests(t, workItemId)).toHaveLength(1)
    expect(await changes()).toEqual(['1 queued', '1 failed'])
  })

  it('a success whose complete and fail actions both throw stays on the call as unapplied; the work item waits for the app', async () => {
    const t = servicesBackend()
    await arm(t, 'chargeItem.complete', 'chargeItem.fail')
    const { wf, workItemId, call, changes, ended } = await startCharge(t, ['ok'])
    await runUntil(t, ended)

    const key = `tasknet:${workItemId}`
    const unapplied = await call()
    expect(unapplied).toMatchObject({ state: 'unapplied', attempt: 1, result: { chargeId: `ch_${key}` } })
    expect(unapplied!.lastError).toContain(`attempt 1 ended but its result could not be applied to work item ${workItemId}`)
    expect(unapplied!.lastError).toContain(faultMessage('chargeItem.complete'))
    expect(unapplied!.lastError).toContain(faultMessage('chargeItem.fail'))
    expect((await wf.workItems('charge')).map((w) => w.state)).toEqual(['started'])
    expect(await changes()).toEqual(['1 queued', '1 unapplied'])

    // The app, told by the call, ends the work item itself once its bug is fixed.
    await disarm(t)
    await t.mutation(fns.internalCompleteWorkItem, { workItemId, args: { name: 'charge', payload: unapplied!.result } as never })
    expect(await wf.state()).toBe('completed')
    expect((await receipts(t)).map((r) => r.chargeId)).toEqual([`ch_${key}`])
    expect(await call()).toMatchObject({ state: 'unapplied' })
  })

  it('a last failure whose fail action throws stays on the call as unapplied', async () => {
    const t = servicesBackend()
    await arm(t, 'chargeItem.fail')
    const { wf, call, changes, ended } = await startCharge(t, ['decline'])
    await runUntil(t, ended)

    const unapplied = await call()
    expect(unapplied).toMatchObject({ state: 'unapplied', attempt: 1 })
    expect(unapplied!.lastError).toMatch(/ended but its failure \(.*card_declined.*\) could not be applied/)
    expect(unapplied!.lastError).toContain(faultMessage('chargeItem.fail'))
    expect(unapplied).not.toHaveProperty('result')
    expect((await wf.workItems('charge')).map((w) => w.state)).toEqual(['started'])
    expect(await changes()).toEqual(['1 queued', '1 unapplied'])
  })

  it('a last timeout whose fail action throws stays on the call as unapplied, and the slow result is then recorded late', async () => {
    const t = servicesBackend()
    await arm(t, 'chargeItem.fail')
    const { wf, call, changes, ended } = await startCharge(t, ['slow', 'slow', 'slow'])
    await runUntil(t, ended)

    const unapplied = await call()
    expect(unapplied).toMatchObject({ state: 'unapplied', attempt: 3 })
    expect(unapplied!.lastError).toMatch(/attempt 3 ended but its timeout could not be applied/)
    expect((await wf.workItems('charge')).map((w) => w.state)).toEqual(['started'])

    await runUntil(t)
    const late = (await call())!.late
    expect(late.map((l) => [l.attempt, l.reason, l.outcome.kind])).toEqual([
      [1, 'timedOut', 'success'],
      [2, 'timedOut', 'success'],
      [3, 'timedOut', 'success'],
    ])
    expect(await changes()).toEqual(['1 queued', '1 timedOut', '2 queued', '1 late', '2 timedOut', '3 queued', '2 late', '3 unapplied', '3 late'])
  })
})
