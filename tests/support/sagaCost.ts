import { internalMutationGeneric, type GenericDataModel, type GenericMutationCtx } from 'convex/server'
import { v } from 'convex/values'
import { z } from 'zod'
import { saga, sagaApi, workflowHandlers, type Saga } from '../../src'
import type { MutationCtx } from '../../src/builder/contexts'
import type { WorkflowId } from '../../src/runtime/store'
import type { SagaBuilder } from '../../src/saga/builder'
import { sagaDb, stepRecord } from '../../src/saga/records'
import { runStepAction } from '../../src/saga/runtime'
import { measure, stepper, type Runner, type StepCost } from './stepCost'

/**
 * What one saga step costs (docs/sagas.md#per-step-cost), from Convex's transaction metrics (./stepCost.ts):
 * a forward local step in the middle of a chain of `n`, and the compensation of that step, in sagas of any size.
 *
 * A local step (and a compensation) is one engine step, the scheduled `internalStartWorkItem` of its work
 * item, which runs the step's action in a sub-transaction (`ctx.runMutation` of the saga's `sagaStep`). convex-test
 * does not count a nested `runMutation`'s reads and writes in its caller's metrics (Convex's limits count them
 * against the caller's transaction), so the sub-transaction is measured on its own, on the same state, in a
 * transaction that is then rolled back, and the two are reported apart (`engine`, `action`) and summed.
 *
 * Shared by tests/integration/budgets-sagas.test.ts and scripts/bench.ts: it imports nothing from vitest.
 */

/** Where the measured saga's module is registered, under convex/: `anyApi.examples.sagaCost`. */
export const SAGA_COST_MODULE = 'examples/sagaCost'

/**
 * A `lifo` chain of `n` local steps `c1 … cn`, each with a compensation; the step named by the input's
 * `failAt` throws, so the saga compensates. Actions and compensations touch no document of their own: the
 * figures are the saga machinery's.
 */
export function chainSaga(n: number): Saga {
  let builder = saga(`sagaCost${n}`, { order: 'lifo' }).input(z.object({ failAt: z.string().optional() })) as unknown as SagaBuilder<{ failAt?: string }, string>
  for (let k = 1; k <= n; k++) {
    builder = builder.step(`c${k}`, {
      action: ({ input }) => {
        if (input.failAt === `c${k}`) throw new Error(`c${k} failed`)
        return { k }
      },
      compensate: () => {},
    })
  }
  return builder.build() as Saga
}

/**
 * The module exposing a measured saga. Its `internalStartWorkItem` is inert: the measurement makes each
 * start itself, as the scheduler would (`scheduled: true`), and a script's real timers must not run the
 * scheduled ones behind it.
 */
export function sagaCostModule(measured: Saga, self: () => unknown) {
  return {
    ...sagaApi(measured, { self }),
    internalStartWorkItem: internalMutationGeneric({ args: { workItemId: v.string(), args: v.any(), scheduled: v.optional(v.boolean()) }, returns: v.null(), handler: async () => null }),
  }
}

export type SagaStepCost = { engine: StepCost; action: StepCost; total: { documentsRead: number; documentsWritten: number } }
export type SagaCosts = { forward: SagaStepCost; compensation: SagaStepCost; middle: string }

/** Runs `step` in a transaction that is rolled back, and returns what it read and wrote. */
async function measureRolledBack(t: Runner, step: (ctx: GenericMutationCtx<GenericDataModel>) => Promise<unknown>): Promise<StepCost> {
  let cost: StepCost | undefined
  try {
    await t.run(async (ctx) => {
      const started = performance.now()
      await step(ctx)
      const ms = performance.now() - started
      const m = await ctx.meta.getTransactionMetrics()
      // In the order the other figures come back from convex-test (keys sorted), so bench lines read alike.
      cost = { bytesWritten: m.bytesWritten.used, databaseQueries: m.databaseQueries.used, documentsRead: m.documentsRead.used, documentsWritten: m.documentsWritten.used, ms: Math.round(ms * 1000) / 1000 }
      throw new Error('rolled back: measured only')
    })
  } catch (error) {
    if (!cost) throw error
  }
  return cost!
}

const stepRecordOf = (t: Runner, workflowId: WorkflowId, step: string) => t.run((ctx) => stepRecord(sagaDb(ctx), workflowId, step))

const sum = (engine: StepCost, action: StepCost) => ({ documentsRead: engine.documentsRead + action.documentsRead, documentsWritten: engine.documentsWritten + action.documentsWritten })

/**
 * Drives one run of `chainSaga(n)` (registered in `t` by `sagaCostModule` under SAGA_COST_MODULE) whose last
 * step fails: every step and compensation started through the engine's handler as the scheduler starts it. The
 * middle step's forward start (its action, its completion, the route that enables the next step) and, once
 * the last step failed, its compensation's start (the compensation and the task's completion, which enables
 * the compensation before it) are measured.
 */
export async function sagaCosts(t: Runner, measured: Saga, n: number, self: () => unknown): Promise<SagaCosts> {
  const options = { self }
  const handlers = workflowHandlers(measured.workflow, options).internal
  const wf = stepper(t, measured.workflow, options)
  await wf.initialize({ failAt: `c${n}` })
  const middle = `c${Math.ceil(n / 2)}`
  const start = async (task: string) => {
    const item = await wf.workItemOf(task)
    return (await measure(t, (ctx) => handlers.startWorkItem(ctx, { workItemId: item._id, args: { name: task }, scheduled: true }))).cost
  }
  const subTransaction = (step: string, phase: 'forward' | 'compensate') =>
    measureRolledBack(t, (ctx) => runStepAction(ctx as unknown as MutationCtx, measured.definition, { workflowId: wf.workflowId as WorkflowId, step, phase }))
  let forward: SagaStepCost | undefined
  let compensation: SagaStepCost | undefined
  for (let k = 1; k <= n; k++) {
    const step = `c${k}`
    if (step !== middle) {
      await start(step)
      continue
    }
    const action = await subTransaction(step, 'forward')
    const engine = await start(step)
    forward = { engine, action, total: sum(engine, action) }
    // The measured step did complete the step and offer the next one's work item.
    const record = await stepRecordOf(t, wf.workflowId, step)
    const next = await wf.workItemOf(`c${k + 1}`)
    if (record?.status !== 'completed' || next.state !== 'initialized') throw new Error(`sagaCost${n}: ${step} is '${record?.status}', c${k + 1}'s work item '${next.state}'`)
  }
  for (let k = n; k >= 1; k--) {
    const task = `compensate_c${k}`
    if (`c${k}` !== middle) {
      await start(task)
      continue
    }
    const action = await subTransaction(`c${k}`, 'compensate')
    const engine = await start(task)
    compensation = { engine, action, total: sum(engine, action) }
    const record = await stepRecordOf(t, wf.workflowId, `c${k}`)
    const before = await wf.workItemOf(`compensate_c${k - 1}`)
    if (record?.compensation?.status !== 'compensated' || before.state !== 'initialized') {
      throw new Error(`sagaCost${n}: c${k}'s compensation is '${record?.compensation?.status}', compensate_c${k - 1}'s work item '${before.state}'`)
    }
  }
  const state = await t.run(async (ctx) => (await ctx.db.get(wf.workflowId as never)) as { state: string } | null)
  if (state?.state !== 'failed') throw new Error(`sagaCost${n}: expected the compensated saga's workflow to have failed, it is '${state?.state}'`)
  return { forward: forward!, compensation: compensation!, middle }
}
