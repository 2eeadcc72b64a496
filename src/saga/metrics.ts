import type { GenericDataModel, GenericQueryCtx } from 'convex/server'
import type { MutationCtx, WorkflowId } from '../builder/contexts'
import { defaultShards, metricShard, type MetricsOptions } from '../runtime/observers/metrics'

/**
 * Saga metrics (`001_…`'s `compensation_total`, `compensation_failures_total`, durations), on the same
 * `@convex-dev/sharded-counter` as `workflowApi`'s `metrics` (docs/api.md#logs-and-metrics): given
 * `sagaApi(saga, { metrics: workflowMetrics({ shardedCounter }) })`, the saga counts, per saga name, the
 * compensations run and failed, and how its runs ended with their durations. Every figure is a sum, so each
 * is one counter, sharded by run so that runs of one saga do not write the same document.
 */

/** How a saga run ended, for its counters. */
export type SagaOutcome = 'completed' | 'compensated' | 'compensationFailed'

const key = (saga: string, what: string) => `saga:${saga}:${what}`

async function add(ctx: MutationCtx, metrics: MetricsOptions, workflowId: WorkflowId, name: string, count: number) {
  if (count === 0) return
  const shard = metricShard(workflowId, metrics.shards ?? defaultShards)
  try {
    await ctx.runMutation(metrics.shardedCounter.public.add, { name, count, shard })
  } catch (error) {
    // As the engine's metrics: a counter never fails the step it counts.
    console.error(`tasknet saga metrics: adding ${count} to ${name} failed, and the step went on without it: ${String(error)}`)
  }
}

/** A compensation ran: it succeeded, or failed. */
export async function countCompensation(ctx: MutationCtx, metrics: MetricsOptions | undefined, saga: string, workflowId: WorkflowId, failed: boolean) {
  if (!metrics) return
  await add(ctx, metrics, workflowId, key(saga, 'compensations'), 1)
  if (failed) await add(ctx, metrics, workflowId, key(saga, 'compensationFailures'), 1)
}

/** A run ended: its outcome and how long it took from its start. */
export async function countEnd(ctx: MutationCtx, metrics: MetricsOptions | undefined, saga: string, workflowId: WorkflowId, outcome: SagaOutcome, durationMs: number) {
  if (!metrics) return
  await add(ctx, metrics, workflowId, key(saga, `${outcome}:count`), 1)
  await add(ctx, metrics, workflowId, key(saga, `${outcome}:totalMs`), durationMs)
}

export type SagaOutcomeMetrics = { count: number; totalMs: number; meanMs: number | null }
export type SagaMetrics = Record<SagaOutcome, SagaOutcomeMetrics> & { compensations: number; compensationFailures: number }

/** `getSagaMetrics`: eight counters, each the sum of its shards, whatever the number of runs. */
export async function getSagaMetrics(ctx: Pick<GenericQueryCtx<GenericDataModel>, 'runQuery'>, metrics: MetricsOptions, saga: string): Promise<SagaMetrics> {
  const read = (what: string) => ctx.runQuery(metrics.shardedCounter.public.count, { name: key(saga, what) })
  const outcome = async (o: SagaOutcome): Promise<SagaOutcomeMetrics> => {
    const [count, totalMs] = [await read(`${o}:count`), await read(`${o}:totalMs`)]
    return { count, totalMs, meanMs: count > 0 ? totalMs / count : null }
  }
  return {
    completed: await outcome('completed'),
    compensated: await outcome('compensated'),
    compensationFailed: await outcome('compensationFailed'),
    compensations: await read('compensations'),
    compensationFailures: await read('compensationFailures'),
  }
}
