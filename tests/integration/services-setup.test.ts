import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { Workpool } from '@convex-dev/workpool'
import { components, internal } from '../../convex/_generated/api'
import { Builder, serviceWorkItems, workflowHandlers } from '../../src'
import { chargeFirst } from '../support/serviceCost'
import { errorOf } from '../support/harness'
import { servicesBackend } from '../support/services'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** A service work item that cannot run is refused with a message that says what to fix, and nothing is written; a result its work item cannot take fails it. */
describe('service work item setup', () => {
  it('refuses to start a service work item of a workflowApi without services, naming the option', async () => {
    const t = servicesBackend({ workflows: [chargeFirst(2, true)] })
    const handlers = workflowHandlers(chargeFirst(2, true)).internal
    const workflowId = await t.run((ctx) => handlers.initializeRootWorkflow(ctx, {}))
    const [item] = await t.run((ctx) => ctx.db.query('tasknet_workItems').collect())
    const refused = await errorOf(t.run((ctx) => handlers.startWorkItem(ctx, { workItemId: item!._id, args: { name: 'charge', payload: { script: [] } } })))

    expect(refused.code).toBe('INVALID_DEFINITION')
    expect(refused.message).toContain("Work item 'charge' of workflow 'chargeFirst2' is a service work item")
    expect(refused.message).toContain('services: serviceWorkItems({ pool')
    expect(await t.run((ctx) => ctx.db.query('tasknet_serviceCalls').collect())).toEqual([])
    expect((await t.run((ctx) => ctx.db.get(item!._id)))!.state).toBe('initialized')
    expect(workflowId).toBeDefined()
  })

  it('fails the work item at once when the complete action’s schema refuses the result, instead of losing it with a refused step', async () => {
    const t = servicesBackend({ workflows: [chargeFirst(2, true, z.object({ receipt: z.string() }))] })
    const options = { self: () => internal.examples.charge, services: serviceWorkItems({ pool: new Workpool(components.services, { logLevel: 'ERROR' }) }) }
    const handlers = workflowHandlers(chargeFirst(2, true, z.object({ receipt: z.string() })), options)
    await t.run((ctx) => handlers.internal.initializeRootWorkflow(ctx, {}))
    const [item] = await t.run((ctx) => ctx.db.query('tasknet_workItems').collect())
    const workItemId = item!._id
    await t.run((ctx) => handlers.internal.startWorkItem(ctx, { workItemId, args: { name: 'charge', payload: { script: [] } } }))
    // `applying`: the step itself (these handlers' `self` is another module's, so no sub-transaction of its own).
    await t.run((ctx) => handlers.services!.serviceComplete(ctx, { workId: 'w', context: { workItemId, attempt: 1 }, result: { kind: 'success', returnValue: { chargeId: 'ch_1' } }, applying: true }))

    const call = (await t.run((ctx) => ctx.db.query('tasknet_serviceCalls').collect()))[0]!
    expect(call).toMatchObject({ state: 'failed', attempt: 1, lastError: expect.stringContaining("does not match the complete action's schema") })
    expect((await t.run((ctx) => ctx.db.get(workItemId)))!.state).toBe('failed')
  })

  it.each([
    [{ maxAttempts: 0, initialBackoffMs: 1_000, base: 2 }, 'maxAttempts a whole number ≥ 1'],
    [{ maxAttempts: 3, initialBackoffMs: -1, base: 2 }, 'initialBackoffMs ≥ 0'],
    [{ maxAttempts: 3, initialBackoffMs: 1_000, base: 0.5 }, 'base ≥ 1'],
  ])('refuses the retry policy %j when the work item is declared', (retry, expected) => {
    expect(() => Builder.workItem('charge').service({ action: internal.examples.fakeService.charge, retry })).toThrow(expected)
  })

  it('refuses a fail action whose schema would refuse the service’s { error, attempts }', () => {
    const declared = Builder.workItem('charge')
      .withActions(Builder.workItemActions().fail(z.object({ reason: z.string() }), async ({ workItem }) => workItem.fail()))
      .service({ action: internal.examples.fakeService.charge })
    expect(() => declared.toDefinition()).toThrow('its fail schema refuses that')
  })

  it('refuses a timeout that is not a positive number of milliseconds', () => {
    expect(() => Builder.workItem('charge').service({ action: internal.examples.fakeService.charge, timeoutMs: 0 })).toThrow("The service of work item 'charge' cannot run: timeoutMs 0")
  })
})
