/**
 * `npm run bench`: what one engine step costs in synthetic nets of 10, 100 and
 * 500 tasks, as JSON lines on stdout (progress goes to stderr):
 *
 *   {"net":"sequential","tasks":500,"step":"completeWorkItem","task":"t250","effect":"enables t251",
 *    "documentsRead":6,"documentsWritten":5,"bytesWritten":1790,"databaseQueries":6,"ms":0.9}
 *
 * `tasks` is the size of the synthetic net (src/workflows/synthetic.ts): the
 * length of the sequence, or the number of parallel / alternative branches.
 * `task` is the task whose work item the step acts on; `effect` says what the
 * step does to the net. Documents and queries are Convex's transaction
 * metrics as convex-test counts them (a `db.patch` also reads the document);
 * `ms` is the handler's wall time inside its transaction, measured once per
 * step after a warm-up run (see tests/support/stepCost.ts). convex-test's
 * in-memory database answers every index query by scanning all its documents,
 * so `ms` grows with the size of the database even where the documents a step
 * touches do not: compare it between steps, not with a deployment's latency.
 *
 * The `orSplitJoin` lines are the OR-join: the completing step that decides and
 * enables it, behind OR-splits of 5, 10 and 20 outputs in nets of 10, 50 and
 * 200 tasks (a net smaller than its split is built at its minimum size,
 * outputs + 2); each is followed by an `orJoinDecision` line, the pure decision
 * alone on the same state (`ms` only).
 *
 * The `orRun` lines are whole runs of 10, 100 and 500 branches into one OR-join: branch completions
 * that leave it waiting, the one that enables it, and the documents the whole run read.
 *
 * The `nested(...)` lines are composite tasks: hierarchies 1, 3 and 5 levels
 * deep, and a root task with 1, 10 and 100 children (see `benchNested`).
 *
 * The `serviceFirst` lines are a service work item's start and the completions of its attempts, next to
 * the plain start and complete of the same work item (see `benchServices`).
 *
 * The `sagaChain(n steps)` lines are a saga's steps (docs/sagas.md#per-step-cost): in `lifo` chains of 10, 50
 * and 100 local steps, the middle step going forward and its compensation, each as the engine's step (the
 * scheduled `startWorkItem`) and its sub-transaction (`sagaStep`), which convex-test counts apart (see `benchSagas`).
 *
 * The last lines (`"net":"order"`) are the order workflow's happy path
 * (src/workflows/order.ts): a real workflow whose actions and activities also
 * write its domain tables, step by step, its payment a service work item (see `benchOrder`).
 *
 * The journal's cost: the `andSplit` and `order` lines also say what each step wrote to the
 * journal (docs/architecture.md#the-journal): `events`, its `tasknet_events` documents (one per
 * workflow it changed, each one of its `documentsWritten`), the `changes` they hold, and
 * `eventBytes`, their size as Convex counts a document (`getDocumentSize`, which is what each write
 * adds to `bytesWritten`). The AND-split's completion at 500 branches is the widest event here.
 *
 * The whole bench takes about a minute, most of it driving the 500 branches of
 * the widest AND-split and OR-split to their joins (each branch completion
 * reads the join's own document, whatever its fan-in: see
 * docs/architecture.md, "Settling").
 */
import { Workpool } from '@convex-dev/workpool'
import { anyApi } from 'convex/server'
import { components, internal } from '../convex/_generated/api'
import { getChildWorkflows, serviceWorkItems, workflowHandlers, type EngineOptions, type WorkflowDefinition } from '../src'
import type { WorkItemId } from '../src/runtime/store'
import { orderWorkflow } from '../src/workflows/order'
import { isOrJoinEnabled } from '../src/net/orJoin'
import { andSplit, names, nested, orSplitJoin, sequential, xorSplit } from '../src/workflows/synthetic'
import { journalCost, measure, stepper, type JournalCost, type StepCost } from '../tests/support/stepCost'
import { plainCosts, serviceCosts } from '../tests/support/serviceCost'
import { chainSaga, SAGA_COST_MODULE, sagaCostModule, sagaCosts } from '../tests/support/sagaCost'
import { embeddedBackend as backend, registerWorkpool } from './embedded'

type Line = { net: string; tasks: number; step: string; task: string; effect: string } & StepCost & Partial<JournalCost>

const print = (line: Line) => process.stdout.write(`${JSON.stringify(line)}\n`)

/**
 * Prints the steps of one instance as it drives them. With `journal`, each line also says what the
 * step wrote to the journal (`events`, `changes`, `eventBytes`: tests/support/stepCost.ts
 * `journalCost`), read in transactions of their own around the step.
 */
function recorder(net: string, tasks: number, definition: WorkflowDefinition, t = backend(), options: { journal?: boolean; engine?: EngineOptions } = {}) {
  const wf = stepper(t, definition, options.engine)
  const journal = options.journal ? journalCost(t) : undefined
  const emit = async (step: string, task: string, effect: string, run: () => Promise<StepCost>) => {
    await journal?.before()
    const cost = await run()
    print({ net, tasks, step, task, effect, ...cost, ...(journal ? await journal.written() : {}) })
  }
  return {
    wf,
    initialize: (payload?: unknown, effect = 'marks start, enables and offers the first task') => emit('initializeRootWorkflow', '-', effect, () => wf.initialize(payload)),
    start: (task: string, effect: string) => emit('startWorkItem', task, effect, () => wf.start(task)),
    complete: (task: string, effect: string, payload?: unknown) => emit('completeWorkItem', task, effect, () => wf.complete(task, payload)),
    /** The work pool reports the outcome of attempt `attempt` of `task`'s service work item: `serviceComplete`, as the pool calls it. */
    serviceComplete: (task: string, effect: string, result: { kind: 'success'; returnValue: unknown } | { kind: 'failed'; error: string }, attempt = 1) =>
      emit('serviceComplete', task, effect, async () => {
        const services = workflowHandlers(definition, options.engine).services
        if (!services) throw new Error(`${net} has no services option`)
        const workItemId = (await wf.workItemOf(task))._id as WorkItemId
        return (await measure(t, (ctx) => services.serviceComplete(ctx, { workId: 'measured', context: { workItemId, attempt }, result }))).cost
      }),
  }
}

/** The first task, the middle one, and the completion that ends the workflow. */
async function benchSequential(n: number) {
  const r = recorder('sequential', n, sequential(n))
  const middle = Math.ceil(n / 2)
  await r.initialize()
  await r.start('t1', 'fires t1, starts the workflow')
  await r.complete('t1', 'enables t2')
  for (let k = 2; k < middle; k++) await r.wf.run(`t${k}`)
  await r.start(`t${middle}`, `fires t${middle}`)
  await r.complete(`t${middle}`, `enables t${middle + 1}`)
  for (let k = middle + 1; k < n; k++) await r.wf.run(`t${k}`)
  await r.start(`t${n}`, `fires t${n}`)
  await r.complete(`t${n}`, 'marks end, completes the workflow')
}

/** The split's fan-out, one branch, the branch whose completion enables the AND-join, and the join's completion. */
async function benchAndSplit(n: number) {
  const r = recorder('andSplit', n, andSplit(n), backend(), { journal: true })
  await r.initialize()
  await r.start('split', 'fires split, starts the workflow')
  await r.complete('split', `AND-split: enables b1..b${n}`)
  await r.start('b1', 'fires b1')
  await r.complete('b1', n > 1 ? 'join not yet enabled' : 'enables join (AND-join)')
  for (let k = 2; k < n; k++) await r.wf.run(`b${k}`)
  if (n > 1) {
    await r.start(`b${n}`, `fires b${n}`)
    await r.complete(`b${n}`, 'last input marked: enables join (AND-join)')
  }
  await r.start('join', `fires join, consumes ${n} tokens`)
  await r.complete('join', 'marks end, completes the workflow')
}

/** The routed completion (to the last branch, read from a domain decision), the XOR-join's enabling and its completion. */
async function benchXorSplit(n: number) {
  const r = recorder('xorSplit', n, xorSplit(n))
  const chosen = `b${n}`
  await r.initialize()
  await r.start('choose', 'fires choose, starts the workflow')
  await r.complete('choose', `XOR-split: route reads the decision, enables ${chosen}`, { choice: chosen })
  await r.start(chosen, `fires ${chosen}`)
  await r.complete(chosen, 'enables merge (XOR-join)')
  await r.start('merge', 'fires merge')
  await r.complete('merge', 'marks end, completes the workflow')
}

/**
 * The order workflow's happy path (src/workflows/order.ts), step by step: what a real
 * workflow with domain writes in its actions and activities costs per step. Its payment is a
 * service work item: starting it also queues the provider's capture in the `services` work pool
 * (the pool's own documents are among the step's), and the capture's outcome is the
 * `serviceComplete` step the pool runs, measured as the pool calls it (the provider's action is not run).
 */
async function benchOrder() {
  const t = backend()
  await registerWorkpool(t, 'services')
  await t.mutation(internal.orders.restock, { productId: 'widget', name: 'Widget', quantity: 10 })
  await t.mutation(internal.orders.restock, { productId: 'gadget', name: 'Gadget', quantity: 5 })
  const engine: EngineOptions = { self: () => internal.orders, services: serviceWorkItems({ pool: new Workpool(components.services, { logLevel: 'ERROR' }) }) }
  const r = recorder('order', Object.keys(orderWorkflow.build().net.tasks).length, orderWorkflow.build(), t, { journal: true, engine })
  const payload = { customerId: 'alice', items: [{ productId: 'widget', quantity: 3 }, { productId: 'gadget', quantity: 1 }], card: '4242 4242 4242 4242', amount: 120 }
  await r.initialize(payload, 'creates the order (draft), offers validateOrder')
  await r.start('validateOrder', 'fires validateOrder, starts the workflow')
  await r.complete('validateOrder', 'checks the products (order processing), offers reserveInventory')
  await r.start('reserveInventory', 'fires reserveInventory')
  await r.complete('reserveInventory', 'confirms the reservations, offers chargePayment')
  await r.start('chargePayment', "places the hold, queues the provider's capture in the work pool")
  const chargeItem = await r.wf.workItemOf('chargePayment')
  await r.serviceComplete('chargePayment', 'captured; routeDecision routes to the end; order completed', {
    kind: 'success',
    returnValue: { chargeId: `ch_tasknet:${chargeItem._id}` },
  })
}

/**
 * The OR-join (docs/semantics.md#the-or-join) behind an OR-split of `outputs` branches in a
 * net of about `tasks` tasks (`orSplitJoin`: a prefix sequence, the split,
 * branches of equal length, the join). Two cases: one branch taken (the join
 * must see that the other `outputs - 1` can no longer arrive) and every branch
 * taken (the last arrival releases it). For each, the completing step that
 * decides and enables the join, through convex-test, and the decision alone
 * (`isOrJoinEnabled` on the same state, median of 5 runs).
 */
async function benchOrJoin(tasks: number, outputs: number) {
  const definition = orSplitJoin(outputs, tasks)
  const net = definition.net
  const size = Object.keys(net.tasks).length
  const length = Math.max(1, Math.floor((tasks - 2) / outputs))
  const prefix = names('p', Math.max(1, size - 2 - outputs * length)).filter((p) => net.tasks[p])
  const chain = (b: string) => [b, ...Array.from({ length: length - 1 }, (_, i) => `${b}_${i + 2}`)]
  const branches = names('b', outputs)
  for (const [label, taken] of [
    ['one branch taken', branches.slice(0, 1)],
    ['all branches taken', branches],
  ] as const) {
    const r = recorder('orSplitJoin', size, definition)
    await r.wf.initialize()
    await r.wf.run(...prefix)
    await r.wf.start('choose')
    await r.wf.complete('choose', { choice: taken.join(',') })
    for (const b of taken) await r.wf.run(...chain(b).slice(0, b === taken.at(-1) ? -1 : undefined))
    const last = chain(taken.at(-1)!).at(-1)!
    await r.wf.start(last)
    // The state the decision sees after the last arrival: every taken branch's token at the join.
    const marking = Object.fromEntries(taken.map((b) => [`${chain(b).at(-1)}__to__merge`, 1]))
    const times = Array.from({ length: 5 }, () => {
      const t0 = performance.now()
      if (!isOrJoinEnabled(net, { marking, started: [] }, 'merge')) throw new Error('the OR-join should be enabled')
      return performance.now() - t0
    }).sort((a, b) => a - b)
    const effect = `OR-split of ${outputs}, ${label}: decides and enables merge (OR-join)`
    await r.complete(last, effect)
    print({ net: 'orJoinDecision', tasks: size, step: 'isOrJoinEnabled', task: 'merge', effect, ms: Math.round(times[2]! * 1000) / 1000 } as Line)
  }
}

/**
 * A whole run of `n` branches behind an OR-split that takes them all, into one OR-join: the branch
 * completions that leave the join waiting (the first, the middle one) and the last one, which
 * enables it, then one line with the documents the whole run read (`step: "whole run"`).
 */
async function benchOrRun(n: number) {
  const definition = orSplitJoin(n)
  const r = recorder('orRun', n, definition)
  const costs: StepCost[] = []
  const measured = async (cost: Promise<StepCost>) => {
    const c = await cost
    costs.push(c)
    return c
  }
  const shown = new Map([
    ['b1', 'OR-join waits: proved by one pending input'],
    [`b${Math.ceil(n / 2)}`, 'OR-join waits: proved by one pending input'],
    [`b${n}`, `last input marked: enables merge (OR-join of ${n})`],
  ])
  await measured(r.wf.initialize())
  await measured(r.wf.start('choose'))
  await measured(r.wf.complete('choose', { choice: names('b', n).join(',') }))
  for (const b of names('b', n)) {
    await measured(r.wf.start(b))
    const cost = await measured(r.wf.complete(b))
    const effect = shown.get(b)
    if (effect) print({ net: 'orRun', tasks: n, step: 'completeWorkItem', task: b, effect, ...cost })
  }
  await measured(r.wf.start('merge'))
  await measured(r.wf.complete('merge'))
  const total = (key: 'documentsRead' | 'documentsWritten' | 'bytesWritten' | 'databaseQueries' | 'ms') => costs.reduce((sum, c) => sum + c[key], 0)
  print({
    net: 'orRun',
    tasks: n,
    step: 'whole run',
    task: '-',
    effect: `${costs.length} steps, from initialize to the OR-join's completion`,
    documentsRead: total('documentsRead'),
    documentsWritten: total('documentsWritten'),
    bytesWritten: total('bytesWritten'),
    databaseQueries: total('databaseQueries'),
    ms: Math.round(total('ms')),
  })
}

/**
 * Composite tasks (src/workflows/synthetic.ts `nested`): a hierarchy `depth`
 * levels deep whose root task starts `children` children. Initializing the
 * root creates the whole hierarchy; then, in the first leaf: the start that
 * rises through every level (each composite task starts with its first
 * child), a completion and a start inside the leaf that touch nothing above
 * it, and the completion that ends the leaf and reports to its parent (which
 * completes the levels above it when this is the last child).
 */
async function benchNested(depth: number, children: number) {
  const definition = nested(depth, children)
  const t = backend()
  const wf = stepper(t, definition)
  const emit = (step: string, task: string, effect: string, cost: StepCost) =>
    print({ net: `nested(depth ${depth}, ${children} children)`, tasks: depth + 2, step, task, effect, ...cost })
  emit('initializeRootWorkflow', '-', `creates the hierarchy: ${children * depth} child workflows`, await wf.initialize())
  let leaf = wf.workflowId
  for (let level = 0; level < depth; level++) {
    const parent = leaf
    leaf = (await t.run((ctx) => getChildWorkflows(ctx.db, definition, parent, 'work')))[0]!._id
  }
  emit('startWorkItem', 'first', `in the leaf: starts it and ${depth} composite task(s) above it`, await wf.start('first', leaf))
  emit('completeWorkItem', 'first', 'in the leaf: enables second (nothing above is read)', await wf.complete('first', undefined, leaf))
  emit('startWorkItem', 'second', 'in the leaf: fires second (nothing above is read)', await wf.start('second', leaf))
  const ends = children === 1 ? `the leaf completes, and so does every level above it` : `the leaf completes; its parent's task waits for ${children - 1} more`
  emit('completeWorkItem', 'second', ends, await wf.complete('second', undefined, leaf))
}

/**
 * A service work item (docs/api.md#service-work-items) first in sequences of 2, 50 and 200 tasks: its
 * start (attempt 1 queued), and the work pool's completions of an attempt that complete it, queue a retry,
 * or fail it; next to them, the same net's plain start and complete of that work item. The documents
 * include the work pool's own (its queue entry and loop kick; the first job of a pool also its state).
 */
async function benchServices(n: number) {
  const t = backend()
  await registerWorkpool(t, 'services')
  const costs = await serviceCosts(t, n)
  const plainT = backend()
  await registerWorkpool(plainT, 'services')
  const plain = await plainCosts(plainT, n)
  const emit = (step: string, effect: string, cost: StepCost) => print({ net: 'serviceFirst', tasks: n, step, task: 'charge', effect, ...cost })
  emit('startWorkItem', 'plain work item: starts the task', plain.start)
  emit('startWorkItem', 'service work item: starts the task, queues attempt 1 in a fresh pool', costs.start)
  emit('completeWorkItem', 'plain work item: completes, enables t1', plain.complete)
  emit('serviceComplete', 'attempt succeeded: completes the work item, enables t1', costs.success)
  emit('serviceComplete', 'attempt failed: queues the retry', costs.retry)
  emit('serviceComplete', 'last attempt failed: fails the work item and the workflow', costs.failure)
}

/**
 * A saga's local step and its compensation in a `lifo` chain of `n` steps whose last fails
 * (tests/support/sagaCost.ts): the engine's step and, on its own line, the sub-transaction it runs the action or
 * compensation in (convex-test leaves a nested `runMutation` out of its caller's metrics; Convex counts both
 * against the engine's transaction).
 */
async function benchSagas(n: number) {
  const measured = chainSaga(n)
  const self = (): unknown => anyApi.examples!.sagaCost
  const module = sagaCostModule(measured, self)
  const t = backend({ [`./${SAGA_COST_MODULE}.ts`]: async () => module })
  const { forward, compensation, middle } = await sagaCosts(t, measured, n, self)
  const net = `sagaChain(${n} steps)`
  const tasks = Object.keys(measured.workflow.net.tasks).length
  const next = `c${Number(middle.slice(1)) + 1}`
  const before = `c${Number(middle.slice(1)) - 1}`
  print({ net, tasks, step: 'startWorkItem', task: middle, effect: `local step: runs its action, completes, offers ${next}`, ...forward.engine })
  print({ net, tasks, step: 'sagaStep', task: middle, effect: `its action's sub-transaction (add to the line above)`, ...forward.action })
  print({ net, tasks, step: 'startWorkItem', task: `compensate_${middle}`, effect: `compensates ${middle}, offers compensate_${before}`, ...compensation.engine })
  print({ net, tasks, step: 'sagaStep', task: `compensate_${middle}`, effect: `its compensation's sub-transaction (add to the line above)`, ...compensation.action })
}

/** Runs the whole of a small net once, unprinted, so the first measured steps do not pay for warming up. */
async function warmUp() {
  const wf = stepper(backend(), sequential(10))
  await wf.initialize()
  for (let k = 1; k <= 10; k++) await wf.run(`t${k}`)
}

const started = performance.now()
await warmUp()
for (const n of [10, 100, 500]) {
  for (const [name, bench] of [
    ['sequential', benchSequential],
    ['andSplit', benchAndSplit],
    ['xorSplit', benchXorSplit],
  ] as const) {
    const t0 = performance.now()
    await bench(n)
    process.stderr.write(`${name}(${n}) done in ${Math.round(performance.now() - t0)} ms\n`)
  }
}
for (const tasks of [10, 50, 200]) {
  for (const outputs of [5, 10, 20]) {
    const t0 = performance.now()
    await benchOrJoin(tasks, outputs)
    process.stderr.write(`orSplitJoin(${outputs} outputs, ${tasks} tasks) done in ${Math.round(performance.now() - t0)} ms\n`)
  }
}
for (const n of [10, 100, 500]) {
  const t0 = performance.now()
  await benchOrRun(n)
  process.stderr.write(`orRun(${n}) done in ${Math.round(performance.now() - t0)} ms\n`)
}
for (const [depth, children] of [[1, 1], [3, 1], [5, 1], [1, 10], [1, 100]] as const) {
  const t0 = performance.now()
  await benchNested(depth, children)
  process.stderr.write(`nested(depth ${depth}, ${children} children) done in ${Math.round(performance.now() - t0)} ms\n`)
}
for (const n of [2, 50, 200]) {
  const t0 = performance.now()
  await benchServices(n)
  process.stderr.write(`serviceFirst(${n}) done in ${Math.round(performance.now() - t0)} ms\n`)
}
for (const n of [10, 50, 100]) {
  const t0 = performance.now()
  await benchSagas(n)
  process.stderr.write(`sagaChain(${n}) done in ${Math.round(performance.now() - t0)} ms\n`)
}
{
  const t0 = performance.now()
  await benchOrder()
  process.stderr.write(`order happy path done in ${Math.round(performance.now() - t0)} ms\n`)
}
process.stderr.write(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
// The work pools of the serviceFirst lines keep timers of their own (their loops); every line is printed.
process.exit(0)
