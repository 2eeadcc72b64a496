import { anyApi } from 'convex/server'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { backend } from '../support/harness'
import { chainSaga, SAGA_COST_MODULE, sagaCostModule, sagaCosts, type SagaCosts } from '../support/sagaCost'
import { documents } from '../support/stepCost'

/**
 * A saga step costs the same whatever the saga's size (docs/sagas.md#per-step-cost): the forward local step in
 * the middle of a chain of 10, 50 and 100 steps, and that step's compensation once the last step failed, read
 * and write the same documents. Each is the engine's step (the scheduled start of the step's work item) plus its
 * sub-transaction (`sagaStep`), which convex-test's metrics leave out of the caller's and
 * tests/support/sagaCost.ts measures on its own.
 */

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const SIZES = [10, 50, 100]
const self = (): unknown => anyApi.examples!.sagaCost

async function costsOf(n: number): Promise<SagaCosts> {
  const measured = chainSaga(n)
  // Made now: sagaApi binds the saga to its module, which the engine reads before convex-test loads the module.
  const module = sagaCostModule(measured, self)
  const t = backend({ journal: false, modules: { [`../../convex/${SAGA_COST_MODULE}.ts`]: async () => module } })
  return sagaCosts(t, measured, n, self)
}

describe('the cost of a saga step', () => {
  const costs = new Map<number, SagaCosts>()
  beforeAll(async () => {
    vi.useFakeTimers()
    for (const n of SIZES) costs.set(n, await costsOf(n))
    vi.useRealTimers()
  }, 120_000)

  it.each(['forward', 'compensation'] as const)('the middle step’s %s reads and writes the same documents in sagas of 10, 50 and 100 steps', (kind) => {
    const [first, ...others] = SIZES.map((n) => costs.get(n)![kind])
    for (const other of others) {
      expect(documents(other.engine)).toEqual(documents(first!.engine))
      expect(documents(other.action)).toEqual(documents(first!.action))
    }
  })

  // The engine's part is an ordinary start whose work item completes and whose route enables the next task, plus the
  // saga's records (the step's own, the saga's, and the next step's, inserted when it is reached) and the next
  // start's scheduling (the saga's record read for the module that runs it). The sub-transaction reads the saga's record
  // (the input) and step records: the step's own (its attempt) and the previous step's (its output) going forward, the
  // step's own (its output and snapshot) when compensating.
  it('the figures docs/sagas.md quotes (`npm run bench`’s saga lines)', () => {
    const { forward, compensation } = costs.get(50)!
    expect({ engine: documents(forward.engine), action: documents(forward.action), total: forward.total }).toEqual({
      engine: { documentsRead: 18, documentsWritten: 11 },
      action: { documentsRead: 3, documentsWritten: 0 },
      total: { documentsRead: 21, documentsWritten: 11 },
    })
    expect({ engine: documents(compensation.engine), action: documents(compensation.action), total: compensation.total }).toEqual({
      engine: { documentsRead: 17, documentsWritten: 11 },
      action: { documentsRead: 2, documentsWritten: 0 },
      total: { documentsRead: 19, documentsWritten: 11 },
    })
  })
})
