import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { randomPlan, runPlan, summaryOf, violations } from '../support/sagaProperty'

/**
 * The saga guarantees (docs/sagas.md#guarantees) over random sagas: up to 8 steps in random `after` DAGs
 * (`lifo` chains, `dependencies`, `graph` with random `compensationAfter`), local steps and service steps
 * against the fake service (attempts that fail, are declined, or time out and answer late), injected step
 * and compensation failures under `continue` and `halt`, and `cancelSaga` at a random moment. Each run is
 * checked from its records, its journal (checked itself by the harness) and the domain log
 * (tests/support/sagaProperty.ts `violations`).
 *
 * Seeds are `SAGA_SEED` (default 1) and the `SAGA_RUNS - 1` (default 80) after it; a failing run's test name
 * and message say its seed and plan: `SAGA_SEED=<seed> SAGA_RUNS=1 npx vitest run tests/sagas/property.test.ts`
 * replays it; `SAGA_DEBUG=1` prints every run's summary.
 */

const first = Number(process.env.SAGA_SEED ?? 1)
const runs = Number(process.env.SAGA_RUNS ?? 80)
const seeds = Array.from({ length: runs }, (_, k) => first + k)

let errors: MockInstance<typeof console.error>
beforeEach(() => {
  vi.useFakeTimers()
  // convex-test prints each failed action: here the fake service's planned failures.
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
  vi.useRealTimers()
})

describe('random sagas keep the four guarantees', () => {
  it.each(seeds)('seed %i', { timeout: 30_000 }, async (seed) => {
    const plan = randomPlan(seed)
    const run = await runPlan(plan)
    if (process.env.SAGA_DEBUG) process.stdout.write(`${summaryOf(run)}\n`)
    expect(violations(run), summaryOf(run)).toEqual([])
  })
})
