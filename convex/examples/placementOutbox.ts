import { Workpool } from '@convex-dev/workpool'
import { defineOutbox } from '../../src'
import { endsSagaWork } from '../../src/workflows/sagas004'
import { components, internal } from '../_generated/api'

/**
 * The outbox of `004_…`'s sagas (convex/examples/placementSaga.ts, fulfilmentSaga.ts): one event per step and
 * per compensation (`endsSagaWork`), delivered by the `outbox` work pool to `sagaSteps`, which keeps a receipt
 * per event (convex/examples/outboxSubscribers.ts).
 */
export const placementOutbox = defineOutbox({
  pool: new Workpool(components.outbox, { maxParallelism: 10, logLevel: 'ERROR' }),
  functions: () => internal.examples.placementOutbox,
  subscribers: {
    sagaSteps: { mutation: internal.examples.outboxSubscribers.record, workflows: ['orderPlacement', 'orderFulfilment'], filter: endsSagaWork },
  },
})

export const { outboxDeliver, outboxComplete, outboxEvent, outboxResume, getOutbox } = placementOutbox.functions
