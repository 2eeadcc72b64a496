import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { ActivityLog } from '../../src/domain/activityLog'
import { Faults } from '../../src/domain/faults'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, type Backend } from '../support/harness'

/**
 * A saga as the child of an ordinary workflow's composite task (src/workflows/sagas.ts `shopWorkflow`): the shop's
 * module exports `workflowApi(shopWorkflow)` and `sagaFunctions(shopWorkflow, [packAndShipSaga])`, through which the
 * saga's steps run.
 */

const fns = internal.examples.shop

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function shop(t: Backend) {
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, {})) as Id<'tasknet_workflows'>
  await runScheduledInTimeOrder(t, vi)
  const [child] = await t.query(fns.getChildWorkflows, { workflowId, taskName: 'checkout' as never })
  return {
    workflow: (await t.query(fns.getWorkflow, { workflowId })).state,
    saga: await t.query(fns.getSagaResult, { workflowId: child!._id as Id<'tasknet_workflows'> }),
    log: await t.run((ctx) => ActivityLog.entries(ctx)),
  }
}

describe('a saga hosted by an ordinary workflow', () => {
  it('the checkout completes when the saga completes', async () => {
    const { workflow, saga, log } = await shop(backend())
    expect(workflow).toBe('completed')
    expect(saga).toMatchObject({ status: 'completed', name: 'packAndShip' })
    expect(log).toEqual(['pack', 'ship'])
  })

  it('a saga that compensated fails the checkout, and the shop with it', async () => {
    const t = backend()
    await t.run((ctx) => Faults.arm(ctx, 'packAndShip.ship'))
    const { workflow, saga, log } = await shop(t)
    expect(log).toEqual(['pack', 'unpack'])
    expect(saga).toMatchObject({ status: 'compensated', failedAtStep: 'ship', compensatedSteps: ['pack'] })
    expect(workflow).toBe('failed')
  })
})
