import { Workpool } from '@convex-dev/workpool'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { components, internal } from '../../convex/_generated/api'
import { defineOutbox, type EngineOptions } from '../../src'
import { shipmentWorkflow } from '../../src/workflows/outbox'
import { outboxBackend, settle } from '../support/outbox'
import { documents, stepper, type StepCost } from '../support/stepCost'

/**
 * What the outbox adds to a step (docs/api.md#outbox), from Convex's transaction metrics as in
 * budgets.test.ts. A workflow without an outbox runs no outbox code at all (those budgets are
 * unchanged). With one, per subscriber that wants the event:
 * - its chain for the workflow is running (an earlier event is in delivery): one read, no write;
 * - no chain runs: the step starts one — a read (of nothing), the chain's insert, and the work pool's
 *   enqueue (`@convex-dev/workpool` 0.4.12: its work item and start marker, and the kick of its loop).
 * A subscriber that does not want the workflow costs nothing.
 */
const busyChain = { documentsRead: 1, documentsWritten: 0 }
const newChain = { documentsRead: 8, documentsWritten: 6 }
/** The first delivery ever queued in a pool also writes the pool's own state documents. */
const firstChainOfPool = { documentsRead: 6, documentsWritten: 8 }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const pool = new Workpool(components.outbox, { logLevel: 'ERROR' })
// The deliveries run the functions of convex/examples/outbox.ts, whose outbox has an `audit` subscriber too.
const functions = () => internal.examples.outbox
const audited = defineOutbox({ pool, functions, subscribers: { audit: { mutation: internal.examples.outboxSubscribers.record } } })
const elsewhere = defineOutbox({ pool, functions, subscribers: { audit: { mutation: internal.examples.outboxSubscribers.record, workflows: ['elsewhere'] } } })

type Costs = { initialize: StepCost; startPack: StepCost; completePack: StepCost; startShip: StepCost }

/** The first four steps of a shipment, measured; with `deliverBetween`, every delivery finishes before the next step. */
async function firstSteps(options: EngineOptions, deliverBetween: boolean): Promise<Costs> {
  const t = outboxBackend()
  const wf = stepper(t, shipmentWorkflow.build(), options)
  const between = () => (deliverBetween ? settle(t) : Promise.resolve())
  const initialize = await wf.initialize()
  await between()
  const startPack = await wf.start('pack')
  await between()
  const completePack = await wf.complete('pack')
  await between()
  const startShip = await wf.start('ship')
  return { initialize, startPack, completePack, startShip }
}

const added = (cost: StepCost, base: StepCost) => ({
  documentsRead: cost.documentsRead - base.documentsRead,
  documentsWritten: cost.documentsWritten - base.documentsWritten,
})

describe('the cost of a step with an outbox of one subscriber', () => {
  let none: Costs
  beforeEach(async () => {
    none ??= await firstSteps({}, false)
  })

  it('starting a chain (none runs for the workflow): the chain and the work pool enqueue', async () => {
    const costs = await firstSteps({ outbox: audited }, true)
    expect(added(costs.initialize, none.initialize)).toEqual(firstChainOfPool)
    for (const step of ['startPack', 'completePack', 'startShip'] as const) expect(added(costs[step], none[step]), step).toEqual(newChain)
  })

  it('while a chain runs: one read', async () => {
    const costs = await firstSteps({ outbox: audited }, false)
    for (const step of ['startPack', 'completePack', 'startShip'] as const) expect(added(costs[step], none[step]), step).toEqual(busyChain)
  })

  it('a subscriber that does not want the workflow: nothing', async () => {
    const costs = await firstSteps({ outbox: elsewhere }, false)
    for (const step of ['initialize', 'startPack', 'completePack', 'startShip'] as const) expect(documents(costs[step]), step).toEqual(documents(none[step]))
  })
})
