import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { components, internal } from '../../convex/_generated/api'
import { Builder, getChildWorkflows, getMetrics, workflowMetrics, getWorkItems, isTasknetError, workflowHandlers, type Metrics, type OutcomeMetrics, type WorkflowId } from '../../src'
import { metricKey, metricShard } from '../../src/runtime/observers/metrics'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { fulfilmentWorkflow } from '../../src/workflows/composite'
import { backend, driver, errorOf } from '../support/harness'
import { counterDocs, meteredBackend, type CounterDoc } from '../support/metrics'
import { measure, stepper } from '../support/stepCost'

/** convex/examples/metered.ts: the sequence workflow (register → review → archive) with metrics in 4 shards. */
const metered = internal.examples.metered
const meteredOptions = workflowMetrics({ shardedCounter: components.shardedCounter, shards: 4 })
const sequence = sequenceWorkflow.build()

const t0 = Date.UTC(2026, 0, 1)
/** Sets the clock to `t0 + ms`, then acts: every step below runs at a time it names. */
async function at(ms: number, act: () => Promise<unknown> = async () => {}) {
  vi.setSystemTime(t0 + ms)
  await act()
}

const none: OutcomeMetrics = { count: 0, timed: 0, totalMs: 0, meanMs: null }
const outcome = (count: number, timed: number, totalMs: number): OutcomeMetrics => ({ count, timed, totalMs, meanMs: timed ? totalMs / timed : null })
const metrics = (m: Partial<Metrics>): Metrics => ({ completed: none, failed: none, canceled: none, ...m })

beforeEach(async () => {
  vi.useFakeTimers()
  await at(0)
  // The metered module prints a log line per step (tests/integration/logs.test.ts reads them).
  vi.spyOn(console, 'log').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('metrics: outcomes and durations per workflow name and task', () => {
  it('counts completed, failed and canceled tasks and workflows, timing tasks from their start and workflows from their initialization', async () => {
    const t = meteredBackend()

    // A completes: register 3 s, review 2 s, archive 1 s; the workflow 9 s.
    const a = driver(t, metered)
    await a.initialize()
    await at(1_000, () => a.start('register'))
    await at(4_000, () => a.complete('register'))
    await at(5_000, () => a.start('review'))
    await at(7_000, () => a.complete('review'))
    await at(8_000, () => a.start('archive'))
    await at(9_000, () => a.complete('archive'))
    expect(await a.state()).toBe('completed')

    // B fails in review after 4 s; register took 1 s; the workflow 7 s.
    await at(10_000)
    const b = driver(t, metered)
    await b.initialize()
    await at(11_000, () => b.start('register'))
    await at(12_000, () => b.complete('register'))
    await at(13_000, () => b.start('review'))
    await at(17_000, () => b.fail('review'))
    expect(await b.state()).toBe('failed')

    // C is canceled while register has run 2 s; the workflow after 2.5 s.
    await at(20_000)
    const c = driver(t, metered)
    await c.initialize()
    await at(20_500, () => c.start('register'))
    await at(22_500, () => c.cancelWorkflow())

    // D is canceled 0.1 s after its initialization: register was only enabled, so it has no duration.
    await at(30_000)
    const d = driver(t, metered)
    await d.initialize()
    await at(30_100, () => d.cancelWorkflow())
    expect([await c.state(), await d.state()]).toEqual(['canceled', 'canceled'])

    const read = (taskName?: 'register' | 'review' | 'archive') =>
      t.query(metered.getMetrics, taskName ? { workflowName: 'sequence', taskName } : { workflowName: 'sequence' })
    expect(await read()).toEqual(
      metrics({ completed: outcome(1, 1, 9_000), failed: outcome(1, 1, 7_000), canceled: outcome(2, 2, 2_500 + 100) }),
    )
    expect(await read('register')).toEqual(metrics({ completed: outcome(2, 2, 3_000 + 1_000), canceled: outcome(2, 1, 2_000) }))
    expect(await read('review')).toEqual(metrics({ completed: outcome(1, 1, 2_000), failed: outcome(1, 1, 4_000) }))
    expect(await read('archive')).toEqual(metrics({ completed: outcome(1, 1, 1_000) }))
  })

  it('times each run of a task that ends and starts again in one step from its own start', async () => {
    // `work` starts itself when enabled and routes back to itself once: completing its first run
    // enables and starts the second in the same step, which overwrites the task's start time.
    const loop = Builder.workflow('selfRestart')
      .startCondition('start')
      .condition('again')
      .task(
        'work',
        Builder.task(
          Builder.workItem('work').withActivities({
            onInitialized: async ({ workItem }) => {
              workItem.start({})
            },
          }),
        )
          .withJoinType('xor')
          .withSplitType('xor')
          .withActivities({
            onEnabled: async ({ workItem }) => {
              await workItem.initialize()
            },
          }),
      )
      .endCondition('end')
      .connectCondition('start', (to) => to.task('work'))
      .connectCondition('again', (to) => to.task('work'))
      .connectTask('work', (to) =>
        to
          .condition('again')
          .condition('end')
          .route(({ task, route }) => (task.generation < 2 ? route.toCondition('again') : route.toCondition('end'))),
      )
      .build()
    const t = meteredBackend({ workflows: [loop] })
    const handlers = workflowHandlers(loop, { metrics: meteredOptions }).internal
    const completeWork = async (workflowId: WorkflowId) => {
      const [item] = await t.run((ctx) => getWorkItems(ctx.db, loop, workflowId, 'work', { currentGeneration: true }))
      await t.run((ctx) => handlers.completeWorkItem(ctx, { workItemId: item!._id, args: { name: 'work' } }))
    }

    const workflowId = await t.run((ctx) => handlers.initializeRootWorkflow(ctx, {}))
    await at(5_000, () => completeWork(workflowId))
    await at(8_000, () => completeWork(workflowId))

    const read = (taskName?: string) => t.run((ctx) => getMetrics(ctx, loop, meteredOptions, { workflowName: 'selfRestart', ...(taskName ? { taskName } : {}) }))
    // Both runs timed from their own start: 5 s and 3 s (the first would read 0 s from the task's document).
    expect(await read('work')).toEqual(metrics({ completed: outcome(2, 2, 5_000 + 3_000) }))
    expect(await read()).toEqual(metrics({ completed: outcome(1, 1, 8_000) }))
  })

  it('counts a child workflow under its own name, and the composite task that ran it under its parent', async () => {
    const t = meteredBackend()
    const definition = fulfilmentWorkflow.build()
    const wf = stepper(t, definition, { metrics: meteredOptions })
    await wf.initialize()
    const [child] = await t.run((ctx) => getChildWorkflows(ctx.db, definition, wf.workflowId, 'pack'))
    await at(1_000, () => wf.start('pick', child!._id))
    await at(3_000, () => wf.complete('pick', undefined, child!._id))
    await at(4_000, () => wf.start('box', child!._id))
    await at(6_000, () => wf.complete('box', undefined, child!._id))

    const read = (workflowName: string, taskName?: string) =>
      t.run((ctx) => getMetrics(ctx, definition, meteredOptions, { workflowName, ...(taskName ? { taskName } : {}) }))
    // packing ran from its initialization (0) to box's completion (6 s); pack started with pick (1 s) and ended with packing.
    expect(await read('packing', 'pick')).toEqual(metrics({ completed: outcome(1, 1, 2_000) }))
    expect(await read('packing', 'box')).toEqual(metrics({ completed: outcome(1, 1, 2_000) }))
    expect(await read('packing')).toEqual(metrics({ completed: outcome(1, 1, 6_000) }))
    expect(await read('fulfilment', 'pack')).toEqual(metrics({ completed: outcome(1, 1, 5_000) }))
    expect(await read('fulfilment')).toEqual(metrics({}))
  })

  it('reads nine counters whatever the number of runs: its documents read stay at one per shard written, while the events grow', async () => {
    // It measures a read (as the budget tests do): the journal checks would only slow its thirty runs down.
    const t = meteredBackend({ journal: false })
    let clock = 0
    /** Completes `runs` workflows, each step a second after the last, so every duration is counted. */
    const complete = async (runs: number) => {
      for (let i = 0; i < runs; i++) {
        const wf = driver(t, metered)
        await at((clock += 1_000), () => wf.initialize())
        for (const task of ['register', 'review', 'archive']) {
          await at((clock += 1_000), () => wf.start(task))
          await at((clock += 1_000), () => wf.complete(task))
        }
      }
    }
    const completedShards = async () =>
      new Set((await counterDocs(t)).filter((doc) => doc.name === metricKey('sequence', null, 'completed', 'count')).map((doc) => doc.shard))
    const cost = async () => {
      const { result, cost } = await measure(t, (ctx) => getMetrics(ctx, sequence, meteredOptions, { workflowName: 'sequence' }))
      const events = await t.run(async (ctx) => (await ctx.db.query('tasknet_events').collect()).length)
      return { completed: result.completed.count, documentsRead: cost.documentsRead, databaseQueries: cost.databaseQueries, events }
    }

    // Runs until each of the 4 shards holds the workflow's `completed` count and total (ids decide the shards).
    let runs = 0
    while ((await completedShards()).size < 4 && runs < 40) {
      await complete(1)
      runs++
    }
    const first = await cost()
    await complete(30)
    const later = await cost()

    expect(first).toEqual({ completed: runs, documentsRead: 2 * 4, databaseQueries: 9, events: runs * 7 })
    expect(later).toEqual({ completed: runs + 30, documentsRead: 2 * 4, databaseQueries: 9, events: (runs + 30) * 7 })
  })

  it('adds the outcomes of two workflows of one name to different counter documents when their ids fall in different shards', async () => {
    const t = meteredBackend()
    const runs = []
    for (let i = 0; i < 4; i++) {
      const wf = driver(t, metered)
      runs.push({ wf, workflowId: await wf.initialize() })
      await wf.start('register')
    }
    // A second later, so each completion adds a duration too.
    await at(1_000)
    const a = runs[0]!
    const b = runs.find((r) => metricShard(r.workflowId, 4) !== metricShard(a.workflowId, 4))!
    expect(b).toBeDefined()

    /** The counter documents a step created or changed. */
    const written = async (act: () => Promise<unknown>) => {
      const before = new Map((await counterDocs(t)).map((doc) => [doc._id, doc.value]))
      await act()
      return (await counterDocs(t)).filter((doc) => before.get(doc._id) !== doc.value)
    }
    const names = (docs: CounterDoc[]) => docs.map((doc) => doc.name).sort()
    const byA = await written(() => a.wf.complete('register'))
    const byB = await written(() => b.wf.complete('register'))

    // The same two counters, in documents of their own: no document is shared by the two steps.
    const counters = [metricKey('sequence', 'register', 'completed', 'count'), metricKey('sequence', 'register', 'completed', 'totalMs')].sort()
    expect(names(byA)).toEqual(counters)
    expect(names(byB)).toEqual(counters)
    expect(byA.every((doc) => doc.shard === metricShard(a.workflowId, 4))).toBe(true)
    expect(byB.every((doc) => doc.shard === metricShard(b.workflowId, 4))).toBe(true)
    expect(byA.map((doc) => doc._id).filter((id) => byB.some((other) => other._id === id))).toEqual([])
  })

  it('refuses a workflow name or task name the hierarchy does not have', async () => {
    const t = meteredBackend()
    // @ts-expect-error the generated query's types name the hierarchy's workflows; a caller without them reaches the check
    expect(await errorOf(t.query(metered.getMetrics, { workflowName: 'order' }))).toEqual({
      code: 'NOT_FOUND',
      message: "No workflow named 'order' in the 'sequence' hierarchy; its workflows are 'sequence'.",
    })
    // @ts-expect-error and its tasks
    expect(await errorOf(t.query(metered.getMetrics, { workflowName: 'sequence', taskName: 'ship' }))).toEqual({
      code: 'NOT_FOUND',
      message: "Workflow 'sequence' has no task named 'ship'.",
    })
  })

  it('refuses a shard count outside 1 … 256 when the functions are made', () => {
    for (const shards of [0, 1.5, 257]) {
      let error: unknown
      try {
        workflowHandlers(sequence, { metrics: workflowMetrics({ shardedCounter: components.shardedCounter, shards }) })
      } catch (e) {
        error = e
      }
      expect(isTasknetError(error, 'INVALID_DEFINITION')).toBe(true)
    }
  })

  it('never fails a step for a counter the component refuses: the step commits and the error is logged', async () => {
    // The component is not registered in this backend, so every counter call fails.
    const t = backend()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const wf = driver(t, metered)
    await wf.initialize()
    await wf.start('register')
    await wf.complete('register')
    expect(await wf.tasks()).toMatchObject({ register: 'completed', review: 'enabled' })
    // One counter: register's run took 0 ms on the frozen clock, and a zero duration adds nothing.
    expect(errors).toHaveBeenCalledTimes(1)
    expect(String(errors.mock.calls[0]![0])).toMatch(
      `tasknet metrics: adding 1 to counter ${metricKey('sequence', 'register', 'completed', 'count')} failed, and the step went on without it: `,
    )
  })
})
