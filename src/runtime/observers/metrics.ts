import type { FunctionReference, GenericDataModel, GenericQueryCtx } from 'convex/server'
import { v, type Infer } from 'convex/values'
import type { WorkflowDefinition } from '../../builder/definition'
import { eventAt } from '../events'
import { tasknetError } from '../../errors'
import type { TaskState, WorkflowState } from '../../net/lifecycle'
import { definitionsOf, type EngineCtx, type StepObserver } from '../step'
import type { WorkflowId } from '../store'

/**
 * Metrics per workflow name and per task (docs/api.md#logs-and-metrics): how many ended in each
 * outcome and how long they took, kept in `@convex-dev/sharded-counter`, which the app installs.
 *
 * Every number is a sum, so a counter holds it: per outcome a `count`, a `totalMs` of the durations
 * measured and an `untimed` count of those without a start time (a task canceled before it started).
 * A step adds to the shard its workflow's id hashes to: steps of one workflow are serialised anyway
 * (they append to its journal), and two workflows share a counter document only when their ids fall
 * in the same shard. Reading sums the shards of nine counters, however many runs there were.
 *
 * tasknet does not import the component's package: `ShardedCounterComponent` is the part of its API
 * (`components.shardedCounter`) it calls, so an app without metrics installs nothing.
 */

/** The functions of `@convex-dev/sharded-counter` that metrics call: pass `components.shardedCounter`. */
export type ShardedCounterComponent = {
  public: {
    add: FunctionReference<'mutation', 'internal', { name: string; count: number; shard?: number; shards?: number }, number, string | undefined>
    count: FunctionReference<'query', 'internal', { name: string }, number, string | undefined>
  }
}

export type MetricsOptions = {
  /** The installed component: `components.shardedCounter` (convex/convex.config.ts: `app.use(shardedCounter)`). */
  shardedCounter: ShardedCounterComponent
  /**
   * Documents per counter (default 16, at most 256): more lets more workflows of one name end their
   * tasks at once without touching the same document; reading costs one document per shard written.
   */
  shards?: number
}

export type Outcome = 'completed' | 'failed' | 'canceled'
/** What each outcome's counters hold. */
type Measure = 'count' | 'totalMs' | 'untimed'

/**
 * One outcome's figures: `count` ended so; `timed` of them have a duration (all but tasks canceled
 * before they started); `totalMs` sums those durations (a task's from its start, a workflow's from
 * its initialization); `meanMs` is `totalMs / timed`, or null when none was timed.
 */
const vOutcomeMetrics = v.object({ count: v.number(), timed: v.number(), totalMs: v.number(), meanMs: v.union(v.number(), v.null()) })
/** What `getMetrics` returns. */
export const vMetrics = v.object({ completed: vOutcomeMetrics, failed: vOutcomeMetrics, canceled: vOutcomeMetrics })

export type OutcomeMetrics = Infer<typeof vOutcomeMetrics>
export type Metrics = Infer<typeof vMetrics>

export const defaultShards = 16
const maxShards = 256

const isOutcome = (state: TaskState | WorkflowState | null): state is Outcome => state === 'completed' || state === 'failed' || state === 'canceled'

/** The counter of one measure: a workflow's (`task` null) or one of its tasks'. Prefixed, so the app's own counters in the same component never collide. */
export function metricKey(workflowName: string, task: string | null, outcome: Outcome, measure: Measure): string {
  return JSON.stringify(['tasknet', workflowName, task, outcome, measure])
}

/** The shard a workflow's steps add to: FNV-1a of its id, so the same workflow always picks the same one. */
export function metricShard(workflowId: WorkflowId, shards: number): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < workflowId.length; i++) {
    hash ^= workflowId.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % shards
}

export function checkedShards(options: MetricsOptions): number {
  const shards = options.shards ?? defaultShards
  if (!Number.isInteger(shards) || shards < 1 || shards > maxShards) {
    throw tasknetError('INVALID_DEFINITION', `metrics.shards is ${shards}; it must be a whole number from 1 to ${maxShards} (default ${defaultShards}).`, { shards })
  }
  return shards
}

/** When a workflow was initialized: its first event's time (one point read), or undefined if that event is gone. */
async function initializedAt(ctx: EngineCtx, workflowId: WorkflowId): Promise<number | undefined> {
  return (await eventAt(ctx.db, workflowId, 1))?.time
}

/**
 * Adds each step's outcomes to the counters: per task and workflow that ended, one to `count` and its
 * duration to `totalMs` (or one to `untimed`). Equal counters of one step are added once. A counter the
 * component refuses is reported with `console.error` and skipped: metrics never fail a step.
 */
export function metricsObserver(options: MetricsOptions): StepObserver {
  const shards = checkedShards(options)
  const { add } = options.shardedCounter.public
  return async (ctx, step) => {
    const sums = new Map<string, { name: string; shard: number; count: number }>()
    const sum = (name: string, shard: number, count: number) => {
      const k = `${shard}:${name}`
      const entry = sums.get(k)
      if (entry) entry.count += count
      else sums.set(k, { name, shard, count })
    }
    const ended = (workflowName: string, task: string | null, outcome: Outcome, shard: number, startedAt: number | undefined) => {
      sum(metricKey(workflowName, task, outcome, 'count'), shard, 1)
      if (startedAt === undefined) sum(metricKey(workflowName, task, outcome, 'untimed'), shard, 1)
      else sum(metricKey(workflowName, task, outcome, 'totalMs'), shard, step.info.time - startedAt)
    }
    for (const event of step.events) {
      const shard = metricShard(event.workflowId, shards)
      for (const change of event.changes) {
        if (change.kind === 'task' && isOutcome(change.to)) {
          const startedAt = change.from === 'started' ? step.runStartedAt(event.workflowId, change.task, change.generation) : undefined
          ended(event.workflowName, change.task, change.to, shard, startedAt)
        } else if (change.kind === 'workflow' && isOutcome(change.to)) {
          const startedAt = event.sequence === 1 ? step.info.time : await initializedAt(ctx, event.workflowId)
          ended(event.workflowName, null, change.to, shard, startedAt)
        }
      }
    }
    for (const { name, shard, count } of sums.values()) {
      // A zero duration adds nothing: no write.
      if (count === 0) continue
      try {
        await ctx.runMutation(add, { name, count, shard })
      } catch (error) {
        console.error(`tasknet metrics: adding ${count} to counter ${name} failed, and the step went on without it: ${String(error)}`)
      }
    }
  }
}

type QueryCtx = Pick<GenericQueryCtx<GenericDataModel>, 'runQuery'>

/**
 * The metrics of a workflow name (`taskName` absent) or of one of its tasks: nine counters, each the
 * sum of its shards, so the reads are at most `9 × shards` documents whatever the number of runs.
 * The generated `getMetrics` query is this function.
 */
export async function getMetrics(
  ctx: QueryCtx,
  root: WorkflowDefinition,
  options: MetricsOptions,
  args: { workflowName: string; taskName?: string },
): Promise<Metrics> {
  const { workflowName, taskName } = args
  const definition = definitionsOf(root).get(workflowName)
  if (!definition) {
    throw tasknetError('NOT_FOUND', `No workflow named '${workflowName}' in the '${root.name}' hierarchy; its workflows are ${[...definitionsOf(root).keys()].map((n) => `'${n}'`).join(', ')}.`, {
      workflowName,
    })
  }
  if (taskName !== undefined && !Object.hasOwn(definition.tasks, taskName)) {
    throw tasknetError('NOT_FOUND', `Workflow '${workflowName}' has no task named '${taskName}'.`, { workflowName, taskName })
  }
  const { count } = options.shardedCounter.public
  const read = (outcome: Outcome, measure: Measure) => ctx.runQuery(count, { name: metricKey(workflowName, taskName ?? null, outcome, measure) })
  const figures = async (outcome: Outcome): Promise<OutcomeMetrics> => {
    const [ended, totalMs, untimed] = [await read(outcome, 'count'), await read(outcome, 'totalMs'), await read(outcome, 'untimed')]
    const timed = ended - untimed
    return { count: ended, timed, totalMs, meanMs: timed > 0 ? totalMs / timed : null }
  }
  return { completed: await figures('completed'), failed: await figures('failed'), canceled: await figures('canceled') }
}

/**
 * What `workflowApi`'s `metrics` option takes: the options, with the code that counts and reads. Made
 * by `workflowMetrics`, so a bundle that never counts does not carry that code (tasknet's share of a
 * Convex module is measured by `npm run size`), as `serviceWorkItems` does for services.
 */
export type WorkflowMetrics = MetricsOptions & {
  readonly runtime: { readonly observer: typeof metricsObserver; readonly getMetrics: typeof getMetrics; readonly vMetrics: typeof vMetrics }
}

/**
 * The `metrics` option of `workflowApi`: `metrics: workflowMetrics({ shardedCounter: components.shardedCounter })`.
 * Refuses a shard count outside 1 … 256 with `INVALID_DEFINITION`.
 */
export function workflowMetrics(options: MetricsOptions): WorkflowMetrics {
  checkedShards(options)
  return { ...options, runtime: { observer: metricsObserver, getMetrics, vMetrics } }
}
