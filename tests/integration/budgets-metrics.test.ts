import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { components } from '../../convex/_generated/api'
import { workflowMetrics, type EngineOptions } from '../../src'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { backend } from '../support/harness'
import { meteredBackend } from '../support/metrics'
import { stepper, type StepCost } from '../support/stepCost'

/**
 * What logs and metrics add to each step of the sequence workflow (register → review → archive),
 * from Convex's transaction metrics as convex-test keeps them: the component's writes run in the
 * step's transaction and count in it. One shard, so the second run finds every counter document
 * the first one created, as a busy deployment does.
 */
const definition = sequenceWorkflow.build()
const steps = ['initialize', 'start register', 'complete register', 'start review', 'complete review', 'start archive', 'complete archive'] as const
type Costs = Record<(typeof steps)[number], Pick<StepCost, 'documentsRead' | 'documentsWritten' | 'databaseQueries'>>

/** Runs the workflow to its end twice, a second between steps, and returns the second run's step costs. */
async function costs(t: ReturnType<typeof backend>, options: EngineOptions): Promise<Costs> {
  let result = {} as Costs
  for (let run = 0; run < 2; run++) {
    const wf = stepper(t, definition, options)
    const measured: StepCost[] = []
    const tick = () => vi.advanceTimersByTime(1_000)
    measured.push(await wf.initialize())
    for (const task of ['register', 'review', 'archive']) {
      tick()
      measured.push(await wf.start(task))
      tick()
      measured.push(await wf.complete(task))
    }
    result = Object.fromEntries(
      steps.map((name, i) => {
        const { documentsRead, documentsWritten, databaseQueries } = measured[i]!
        return [name, { documentsRead, documentsWritten, databaseQueries }]
      }),
    ) as Costs
  }
  return result
}

/** `with` minus `without`, step by step. */
function added(withOption: Costs, without: Costs) {
  return Object.fromEntries(
    steps.map((name) => [
      name,
      {
        documentsRead: withOption[name].documentsRead - without[name].documentsRead,
        documentsWritten: withOption[name].documentsWritten - without[name].documentsWritten,
        databaseQueries: withOption[name].databaseQueries - without[name].databaseQueries,
      },
    ]),
  )
}

const nothing = { documentsRead: 0, documentsWritten: 0, databaseQueries: 0 }
/**
 * Two counters (`count`, and `totalMs` or `untimed`): each reads its shard's document through its index
 * and patches it, which convex-test counts as a second read, as the budgets of budgets.test.ts do.
 */
const perTaskEnded = { documentsRead: 2 * 2, documentsWritten: 2, databaseQueries: 2 }

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(Date.UTC(2026, 0, 1))
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('step budgets with logs and metrics', () => {
  it('metrics add four documents read and two written per task that ends, nine read and four written when the workflow ends too; nothing elsewhere', async () => {
    const without = await costs(backend(), {})
    const withMetrics = await costs(meteredBackend(), { metrics: workflowMetrics({ shardedCounter: components.shardedCounter, shards: 1 }) })
    expect(added(withMetrics, without)).toEqual({
      initialize: nothing,
      'start register': nothing,
      'complete register': perTaskEnded,
      'start review': nothing,
      'complete review': perTaskEnded,
      'start archive': nothing,
      // archive's two counters, the workflow's first event (its initialization time) and the workflow's two counters.
      'complete archive': { documentsRead: 4 + 1 + 4, documentsWritten: 2 + 2, databaseQueries: 2 + 1 + 2 },
    })
  })

  it('logs add nothing to any step', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {})
    const without = await costs(backend(), {})
    expect(added(await costs(backend(), { log: true }), without)).toEqual(Object.fromEntries(steps.map((name) => [name, nothing])))
  })
})
