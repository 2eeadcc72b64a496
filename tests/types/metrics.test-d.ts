import type { FunctionArgs, FunctionReturnType, RegisteredQuery } from 'convex/server'
import { describe, expectTypeOf, it } from 'vitest'
import { components, internal } from '../../convex/_generated/api'
import { workflowApi, workflowMetrics, type Metrics, type MetricsOptions } from '../../src'
import { fulfilmentWorkflow } from '../../src/workflows/composite'
import { sequenceWorkflow } from '../../src/workflows/basics'

/** `getMetrics` exists only where metrics are on, and names the hierarchy's workflows and tasks. */
describe('getMetrics', () => {
  it('is generated for a workflowApi given metrics, not otherwise', () => {
    expectTypeOf(workflowApi(sequenceWorkflow)).not.toHaveProperty('getMetrics')
    expectTypeOf(workflowApi(sequenceWorkflow, { log: true })).not.toHaveProperty('getMetrics')
    expectTypeOf(workflowApi(sequenceWorkflow, { metrics: workflowMetrics({ shardedCounter: components.shardedCounter }) })).toHaveProperty('getMetrics')
  })

  it('takes a workflow name of the hierarchy and, optionally, one of its task names, and returns the three outcomes', () => {
    type Args = FunctionArgs<typeof internal.examples.metered.getMetrics>
    expectTypeOf<Args>().toEqualTypeOf<{ workflowName: 'sequence'; taskName?: 'register' | 'review' | 'archive' }>()
    expectTypeOf<FunctionReturnType<typeof internal.examples.metered.getMetrics>>().toEqualTypeOf<Metrics>()
    const api = workflowApi(fulfilmentWorkflow, { metrics: workflowMetrics({ shardedCounter: components.shardedCounter }) })
    type ArgsOf<Q> = Q extends RegisteredQuery<'internal', infer A, Promise<Metrics>> ? A : never
    expectTypeOf<ArgsOf<typeof api.getMetrics>>().toEqualTypeOf<{
      workflowName: 'fulfilment' | 'packing'
      taskName?: 'pack' | 'ship' | 'pick' | 'box'
    }>()
    expectTypeOf<Metrics['canceled']>().toEqualTypeOf<{ count: number; timed: number; totalMs: number; meanMs: number | null }>()
  })

  it("accepts the installed component's API as MetricsOptions['shardedCounter']", () => {
    expectTypeOf(components.shardedCounter).toMatchTypeOf<MetricsOptions['shardedCounter']>()
  })
})
