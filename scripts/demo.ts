/**
 * `npm run demo`: runs example workflows on the embedded in-memory Convex
 * backend and prints a readable trace of every step — which tasks were
 * enabled, started, completed, failed, disabled or canceled, and the marking
 * after each step (for the document review, in the root and in each child
 * workflow). The order-processing runs (the worked example of docs/compensation.md: happy path,
 * a charge retried, a declined payment, cancellation) run the work pool, where the payment and the
 * refund call a fake payment provider, and the scheduled functions timer by timer in fake time,
 * print each service attempt (a retry, a decline routed to compensation, a refund's retry) and the
 * domain state at the end. After each
 * run it prints the run's journal as a timeline (one line per event) and
 * writes one self-contained HTML page per run to demo-out/: the net with a
 * step slider over the journal (scripts/journal/page.ts). Exits non-zero if a
 * run ends differently from what it promises, or if its journal, replayed,
 * does not end where the live reads say the run ended.
 */
import type { FunctionReference, FunctionReturnType } from 'convex/server'
import { internal } from '../convex/_generated/api'
import FakeTimers from '@sinonjs/fake-timers'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { embeddedBackend, registerWorkpool } from './embedded'
import { replay } from '../src/journal/replay'
import type { WorkflowDefinition } from '../src/builder/definition'
import type { WorkflowId } from '../src/runtime/store'
import { deferredChoiceWorkflow, exclusiveChoiceWorkflow, loopWorkflow } from '../src/workflows/basics'
import { documentReviewWorkflow } from '../src/workflows/documentReview'
import { orderWorkflow } from '../src/workflows/order'
import { recordWorkflow, type RecordedWorkflow } from './journal/record'
import { timelineLines } from './journal/timeline'
import { journalPage } from './journal/page'

// Scheduled functions (the failure alert) and the work pool's jobs (the payment provider's attempts) run only
// when the demo says so, as they would when a deployment's scheduler picks them up later, in time order: with
// real timers convex-test would start a `runAfter(0)` job while the trace is still reading the step that scheduled it.
const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })

type Mutation = FunctionReference<'mutation', 'internal', any, any>
type Query = FunctionReference<'query', 'internal', any, any>
/** The generated functions of one workflow module (`internal.examples.x`, `internal.orders`) the demo drives. */
type Fns = {
  internalInitializeRootWorkflow: Mutation
  internalCancelRootWorkflow: Mutation
  internalStartWorkItem: Mutation
  internalCompleteWorkItem: Mutation
  getWorkflow: Query
  getWorkflowTaskStates: Query
  getMarking: Query
  getWorkItems: Query
}
type Snapshot = { workflow: string; tasks: Record<string, string>; marking: Record<string, number>; workItems: Array<{ _id: string; name: string; taskName: string; generation: number; state: string }> }

let t = embeddedBackend()
let failures = 0

// ─── The journal of each run: a timeline, and a page ──────────

const outDir = join(import.meta.dirname, '..', 'demo-out')
let pages = 0

/**
 * Prints the journal of each workflow of a run, checks that replaying it ends where the live reads
 * say the workflow is, and writes the run's page.
 */
async function publish(slug: string, title: string, root: WorkflowDefinition, workflows: Array<{ id: string; label: string; live: Snapshot }>) {
  const recorded: Array<{ workflow: RecordedWorkflow; label: string }> = []
  for (const { id, label } of workflows) recorded.push({ workflow: await recordWorkflow(t, root, id as WorkflowId), label })
  for (const [i, { workflow, label }] of recorded.entries()) {
    console.log(`  journal of ${label} (${workflow.events.length} events):`)
    const related = recorded.filter((r) => r.workflow !== workflow).map((r) => r.workflow)
    for (const line of timelineLines(workflow.events, { related })) console.log(`    ${line}`)
    const replayed = replay(workflow.net, workflow.events)
    if (!isDeepStrictEqual({ ...replayed, workflow: replayed.workflow.state }, workflows[i]!.live)) {
      console.log(`✗ the journal of ${label}, replayed, does not end where the live reads say it is`)
      failures++
    }
  }
  mkdirSync(outDir, { recursive: true })
  const file = join(outDir, `${++pages}-${slug}.html`)
  writeFileSync(file, journalPage(title, recorded))
  console.log(`  page: ${relative(process.cwd(), file)}`)
}

async function snapshot(fns: Fns, workflowId: string): Promise<Snapshot> {
  const q = <R>(f: FunctionReference<'query', 'internal'>, args: object) => t.query(f, args as never) as Promise<R>
  return {
    workflow: (await q<{ state: string }>(fns.getWorkflow, { workflowId })).state,
    tasks: await q(fns.getWorkflowTaskStates, { workflowId }),
    marking: await q(fns.getMarking, { workflowId }),
    workItems: await q(fns.getWorkItems, { workflowId }),
  }
}

function describeChanges(before: Snapshot | undefined, after: Snapshot): string[] {
  const lines: string[] = []
  for (const [task, state] of Object.entries(after.tasks)) {
    const was = before?.tasks[task] ?? 'disabled'
    if (state !== was) lines.push(`task ${task}: ${was} → ${state}`)
  }
  for (const item of after.workItems) {
    const was = before?.workItems.find((w) => w._id === item._id)?.state
    if (item.state !== was) lines.push(`work item ${item.name} (generation ${item.generation}): ${was ?? 'new'} → ${item.state}`)
  }
  if (before?.workflow !== after.workflow) lines.push(`workflow: ${before?.workflow ?? 'new'} → ${after.workflow}`)
  const marked = Object.entries(after.marking).filter(([, n]) => n > 0).map(([c, n]) => (n === 1 ? c : `${c}×${n}`))
  lines.push(`marking: ${marked.length ? marked.join(', ') : '(empty)'}`)
  return lines
}

async function run(
  slug: string,
  title: string,
  fns: Fns,
  definition: WorkflowDefinition,
  steps: Array<[string, 'start' | 'complete', string, unknown?]>,
  expect: (s: Snapshot) => string | undefined,
) {
  console.log(`\n━━ ${title} ━━`)
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, {})) as string
  let previous = await snapshot(fns, workflowId)
  console.log('▸ initializeRootWorkflow')
  for (const line of describeChanges(undefined, previous)) console.log(`    ${line}`)
  for (const [label, action, taskName, payload] of steps) {
    const item = previous.workItems.filter((w) => w.taskName === taskName).at(-1)!
    const fn = action === 'start' ? fns.internalStartWorkItem : fns.internalCompleteWorkItem
    await t.mutation(fn, { workItemId: item._id, args: { name: item.name, ...(payload ? { payload } : {}) } } as never)
    const next = await snapshot(fns, workflowId)
    console.log(`▸ ${label}`)
    for (const line of describeChanges(previous, next)) console.log(`    ${line}`)
    previous = next
  }
  const problem = expect(previous)
  console.log(problem ? `✗ ${problem}` : `✓ outcome: workflow ${previous.workflow}`)
  if (problem) failures++
  await publish(slug, title, definition, [{ id: workflowId, label: definition.name, live: previous }])
}

const both = (task: string, payload?: unknown): Array<[string, 'start' | 'complete', string, unknown?]> => [
  [`start ${task}`, 'start', task],
  [`complete ${task}${payload ? ` ${JSON.stringify(payload)}` : ''}`, 'complete', task, payload],
]

await run(
  'review-loop',
  'A review loop: draft, check, and back to draft twice before it is done (three generations)',
  internal.examples.loop,
  loopWorkflow.build(),
  [...both('open'), ...both('draft'), ...both('check', { choice: 'again' }), ...both('draft'), ...both('check', { choice: 'again' }), ...both('draft'), ...both('check', { choice: 'done' })],
  (s) => {
    const drafts = s.workItems.filter((w) => w.taskName === 'draft').map((w) => w.generation)
    if (s.workflow !== 'completed') return `expected the workflow completed, got ${s.workflow}`
    if (drafts.join() !== '1,2,3') return `expected draft generations 1,2,3, got ${drafts.join()}`
    return undefined
  },
)

await run(
  'exclusive-choice',
  'An exclusive choice: triage decides to replace, the repair branch never runs',
  internal.examples.exclusiveChoice,
  exclusiveChoiceWorkflow.build(),
  [...both('triage', { choice: 'replace' }), ...both('replace'), ...both('close')],
  (s) => (s.workflow !== 'completed' || s.tasks.repair !== 'disabled' ? `expected completed with repair never enabled, got ${s.workflow}/${s.tasks.repair}` : undefined),
)

await run(
  'deferred-choice',
  'A deferred choice: accept and decline are both offered; starting decline withdraws accept',
  internal.examples.deferredChoice,
  deferredChoiceWorkflow.build(),
  [...both('prepare'), ...both('decline')],
  (s) => {
    const accept = s.workItems.find((w) => w.taskName === 'accept')
    return s.workflow !== 'completed' || accept?.state !== 'canceled' ? `expected completed with accept's work item canceled, got ${s.workflow}/${accept?.state}` : undefined
  },
)

// ─── A hierarchy: a dynamic composite task and its child workflows ──────────

/** The child workflows of the root's `review` task, each with its own snapshot. */
async function childSnapshots(fns: Fns & { getChildWorkflows: Query }, root: string) {
  const children = (await t.query(fns.getChildWorkflows, { workflowId: root, taskName: 'review' } as never)) as Array<{ _id: string; name: string }>
  return Promise.all(children.map(async (c, k) => ({ id: c._id, label: `${c.name} #${k + 1}`, snapshot: await snapshot(fns, c._id) })))
}

/**
 * Runs the document review: `review` is a dynamic composite task that starts a contract review and an NDA
 * review as child workflows; their work items are driven through the root's functions with the child's id.
 * Each step prints what changed in the root and in every child.
 */
async function runHierarchy(title: string, steps: Array<[label: string, action: 'start' | 'complete', child: number, taskName: string]>) {
  const fns = internal.examples.documentReview
  console.log(`\n━━ ${title} ━━`)
  const root = (await t.mutation(fns.internalInitializeRootWorkflow, {})) as string
  let previous = { root: await snapshot(fns, root), children: await childSnapshots(fns, root) }
  const print = (before: typeof previous | undefined, after: typeof previous) => {
    for (const line of describeChanges(before?.root, after.root)) console.log(`    ${line}`)
    for (const child of after.children) {
      const was = before?.children.find((c) => c.id === child.id)?.snapshot
      const lines = describeChanges(was, child.snapshot)
      // A child the step did not touch is left out, marking line and all.
      if (lines.some((line) => !line.startsWith('marking'))) for (const line of lines) console.log(`    [${child.label}] ${line}`)
    }
  }
  console.log('▸ initializeRootWorkflow (review starts one child of each type)')
  print(undefined, previous)
  for (const [label, action, index, taskName] of steps) {
    const child = previous.children[index]!
    const item = child.snapshot.workItems.filter((w) => w.taskName === taskName).at(-1)!
    const fn = action === 'start' ? fns.internalStartWorkItem : fns.internalCompleteWorkItem
    await t.mutation(fn, { workItemId: item._id, args: { name: item.name } } as never)
    const next = { root: await snapshot(fns, root), children: await childSnapshots(fns, root) }
    console.log(`▸ ${label}`)
    print(previous, next)
    previous = next
  }
  const done = previous.root.tasks.review === 'completed' && previous.children.every((c) => c.snapshot.workflow === 'completed')
  console.log(done ? '✓ outcome: review completed with both children, archive enabled' : `✗ expected review completed, got ${previous.root.tasks.review}`)
  if (!done) failures++
  await publish('document-review', title, documentReviewWorkflow.build(), [
    { id: root, label: 'documentReview', live: previous.root },
    ...previous.children.map((c) => ({ id: c.id, label: c.label, live: c.snapshot })),
  ])
}

await runHierarchy('A document review: a dynamic composite task with a contract review and an NDA review as child workflows', [
  ['start countersign in the NDA review (the child starts, and review with it)', 'start', 1, 'countersign'],
  ['complete countersign (the NDA review completes; review waits for the contract)', 'complete', 1, 'countersign'],
  ['start checkClauses in the contract review', 'start', 0, 'checkClauses'],
  ['complete checkClauses (the last child completes review)', 'complete', 0, 'checkClauses'],
])

// ─── The order-processing example: all three compensation patterns ──────────

type OrderStep =
  | { kind: 'start' | 'complete'; task: string; payload?: unknown }
  | { kind: 'cancelWorkflow' }
  | { kind: 'runScheduled' }
type OrderState = FunctionReturnType<typeof internal.orders.orderState>
type Stock = Record<string, number>
type ServiceCall = FunctionReturnType<typeof internal.orders.getServiceCall>
type Calls = Record<string, ServiceCall>

const STOCK = [
  { productId: 'widget', name: 'Widget', quantity: 10 },
  { productId: 'gadget', name: 'Gadget', quantity: 5 },
]
const ORDER = {
  customerId: 'alice',
  items: [
    { productId: 'widget', quantity: 3 },
    { productId: 'gadget', quantity: 1 },
  ],
  card: '4242 4242 4242 4242',
  amount: 120,
}

/** The scheduled functions, as `name → state`. */
async function scheduledJobs(): Promise<Array<{ id: string; name: string; state: string }>> {
  return t.run(async (ctx) =>
    (await ctx.db.system.query('_scheduled_functions').collect()).map((job) => ({
      id: job._id as string,
      name: job.name.replace(/\.js:/, ':'),
      state: job.state.kind,
    })),
  )
}

function describeJobs(before: Awaited<ReturnType<typeof scheduledJobs>>, after: Awaited<ReturnType<typeof scheduledJobs>>): string[] {
  return after
    .filter((job) => before.find((b) => b.id === job.id)?.state !== job.state)
    .map((job) => `scheduled ${job.name}: ${before.find((b) => b.id === job.id)?.state ?? 'new'} → ${job.state}`)
}

/** The service call of each service work item, by task. */
async function serviceCalls(s: Snapshot): Promise<Calls> {
  const calls = await Promise.all(s.workItems.map(async (w) => [w.taskName, await t.query(internal.orders.getServiceCall, { workItemId: w._id as never })] as const))
  return Object.fromEntries(calls.filter(([, call]) => call !== null))
}

/** What changed in a service call: an attempt queued, failed (and retried), succeeded, or the call ended otherwise. */
function describeCall(task: string, before: ServiceCall | undefined, after: ServiceCall): string[] {
  if (!after || (before && before.state === after.state && before.attempt === after.attempt)) return []
  if (after.state === 'calling' && after.attempt === 1) return [`service ${task}: attempt 1 queued`]
  if (after.state === 'calling') return [`service ${task}: attempt ${after.attempt - 1} failed (${after.lastError}); attempt ${after.attempt} queued after the backoff`]
  if (after.state === 'succeeded') return [`service ${task}: attempt ${after.attempt} succeeded → ${JSON.stringify(after.result)}`]
  if (after.state === 'failed') return [`service ${task}: attempt ${after.attempt} failed (${after.lastError}), not retried`]
  return [`service ${task}: attempt ${after.attempt} ${after.state}`]
}

function printDomain(state: OrderState, stock: Stock) {
  console.log('  domain state at the end:')
  console.log(`    order: ${state.order.status} (customer ${state.order.customerId}, amount ${state.order.totalAmount})`)
  console.log(`    stock: ${Object.entries(stock).map(([p, n]) => `${p} ${n}`).join(', ')}`)
  const list = (label: string, rows: string[]) => console.log(`    ${label}: ${rows.length ? rows.join('; ') : '(none)'}`)
  list('reservations', state.reservations.map((r) => `${r.productId}×${r.quantity} ${r.status}`))
  list(
    'charges',
    state.charges.map((c) => `${c.amount} on •••• ${c.cardLast4} ${c.status}${c.providerChargeId ? ` (${c.providerChargeId})` : ''}${c.declineReason ? ` (${c.declineReason})` : ''}`),
  )
  list('refunds', state.refunds.map((r) => `${r.amount} ${r.status}${r.providerRefundId ? ` (${r.providerRefundId})` : ''}`))
  // Sorted: the operators' alert runs as a scheduled function, at its own time.
  list('notifications', state.notifications.map((n) => `${n.kind} → ${n.recipient}`).sort())
}

/**
 * Runs one order: each step is an engine call (or "run the scheduled work": the work pool's jobs and
 * the scheduled functions, one timer at a time in fake time, in time order); after each, what changed
 * in the service calls, the scheduled functions, the net and the order's status.
 */
async function runOrder(
  slug: string,
  title: string,
  payload: typeof ORDER,
  steps: OrderStep[],
  expect: (s: Snapshot, domain: OrderState, stock: Stock, initialStock: Stock, calls: Calls) => string | undefined,
) {
  console.log(`\n━━ ${title} ━━`)
  t = embeddedBackend()
  await registerWorkpool(t, 'services')
  for (const product of STOCK) await t.mutation(internal.orders.restock, product)
  const initialStock = await t.query(internal.orders.stock, {})
  const fns = internal.orders
  const workflowId = await t.mutation(fns.internalInitializeRootWorkflow, { payload })
  const orderStatus = async () => (await t.query(internal.orders.orderState, { workflowId })).order.status
  let previous = await snapshot(fns, workflowId)
  let jobs = await scheduledJobs()
  let calls: Calls = {}
  let status = await orderStatus()
  console.log(`▸ initializeRootWorkflow ${JSON.stringify(payload)}`)
  for (const line of describeChanges(undefined, previous)) console.log(`    ${line}`)
  console.log(`    order: new → ${status}`)

  /** Reads everything again and prints what changed since the last read under `label` (nothing if `quiet` and nothing changed but the marking). */
  const observe = async (label: string, quiet = false) => {
    const next = await snapshot(fns, workflowId)
    const [nextJobs, nextCalls, nextStatus] = [await scheduledJobs(), await serviceCalls(next), await orderStatus()]
    const changes = [
      ...Object.entries(nextCalls).flatMap(([task, call]) => describeCall(task, calls[task], call)),
      ...describeJobs(jobs, nextJobs),
      ...describeChanges(previous, next),
      ...(nextStatus !== status ? [`order: ${status} → ${nextStatus}`] : []),
    ]
    if (!quiet || changes.some((line) => !line.startsWith('marking'))) {
      console.log(`▸ ${label}`)
      for (const line of changes) console.log(`    ${line}`)
    }
    ;[previous, jobs, calls, status] = [next, nextJobs, nextCalls, nextStatus]
  }

  for (const step of steps) {
    if (step.kind === 'cancelWorkflow') {
      await t.mutation(fns.internalCancelRootWorkflow, { workflowId })
      await observe('cancelRootWorkflow')
    } else if (step.kind === 'runScheduled') {
      // convex-test prints every failed action with its stack; here they are the provider's planned failures, shown as service lines.
      const printError = console.error
      console.error = () => {}
      const startedAt = Date.now()
      try {
        // Timer by timer until none is left: each fires a scheduled function or one of the pool's jobs (its loop, an attempt, a completion).
        for (let fired = 0; clock.countTimers() > 0 && fired < 1_000; fired++) {
          clock.next()
          await t.finishInProgressScheduledFunctions()
          await observe(`the scheduled work runs (t+${((Date.now() - startedAt) / 1000).toFixed(1)} s)`, true)
        }
      } finally {
        console.error = printError
      }
    } else {
      const item = previous.workItems.filter((w) => w.taskName === step.task).at(-1)!
      const fn = step.kind === 'start' ? fns.internalStartWorkItem : fns.internalCompleteWorkItem
      await t.mutation(fn, { workItemId: item._id, args: { name: item.name, ...(step.payload ? { payload: step.payload } : {}) } } as never)
      await observe(`${step.kind} ${step.task}${step.payload ? ` ${JSON.stringify(step.payload)}` : ''}`)
    }
  }
  const domain = await t.query(internal.orders.orderState, { workflowId })
  const stock = await t.query(internal.orders.stock, {})
  printDomain(domain, stock)
  const problem = expect(previous, domain, stock, initialStock, calls)
  console.log(problem ? `✗ ${problem}` : `✓ outcome: workflow ${previous.workflow}, order ${domain.order.status}`)
  if (problem) failures++
  await publish(slug, title, orderWorkflow.build(), [{ id: workflowId, label: 'order', live: previous }])
}

const same = (a: Stock, b: Stock) => JSON.stringify(a) === JSON.stringify(b)
const prepare: OrderStep[] = [
  { kind: 'start', task: 'validateOrder' },
  { kind: 'complete', task: 'validateOrder' },
  { kind: 'start', task: 'reserveInventory' },
  { kind: 'complete', task: 'reserveInventory' },
]
const pay: OrderStep[] = [...prepare, { kind: 'start', task: 'chargePayment' }, { kind: 'runScheduled' }]

/** The happy path's promise, for a charge captured on `attempt`. */
const completedOrder = (attempt: number) => (s: Snapshot, d: OrderState, stock: Stock, _initial: Stock, calls: Calls) => {
  if (s.workflow !== 'completed' || d.order.status !== 'completed') return `expected workflow and order completed, got ${s.workflow}/${d.order.status}`
  if (d.charges.map((c) => c.status).join() !== 'captured') return `expected one captured charge, got ${d.charges.map((c) => c.status).join()}`
  if (calls.chargePayment?.state !== 'succeeded' || calls.chargePayment.attempt !== attempt) return `expected the charge captured on attempt ${attempt}, got ${JSON.stringify(calls.chargePayment)}`
  if (stock.widget !== 7 || stock.gadget !== 4) return `expected the ordered stock taken out, got ${JSON.stringify(stock)}`
  if (s.tasks.refundPayment !== 'disabled') return `expected the compensation section never to run, got refundPayment ${s.tasks.refundPayment}`
  return undefined
}

await runOrder('order-happy-path', 'Order, happy path: the payment provider captures the charge, routeDecision goes straight to the end', ORDER, pay, completedOrder(1))

await runOrder(
  'order-charge-retried',
  'Order, a transient failure (test card 4000 0000 0000 0003): the charge times out, is retried and captured on attempt 2',
  { ...ORDER, card: '4000 0000 0000 0003' },
  pay,
  completedOrder(2),
)

await runOrder(
  'order-payment-declined',
  'Order, payment declined (test card 4000 0000 0000 0002): no retry; the compensation section refunds (on attempt 2), releases and notifies',
  { ...ORDER, card: '4000 0000 0000 0002' },
  pay,
  (s, d, stock, initialStock, calls) => {
    const order = s.workItems.map((w) => `${w.taskName}:${w.state}`).join(' → ')
    const promised =
      'validateOrder:completed → reserveInventory:completed → chargePayment:failed → routeDecision:completed → refundPayment:completed → releaseInventory:completed → notifyFailure:completed'
    if (s.workflow !== 'completed' || d.order.status !== 'compensated') return `expected workflow completed and order compensated, got ${s.workflow}/${d.order.status}`
    if (order !== promised) return `expected the work items ${promised}, got ${order}`
    if (calls.chargePayment?.state !== 'failed' || calls.chargePayment.attempt !== 1) return `expected the charge declined on attempt 1, got ${JSON.stringify(calls.chargePayment)}`
    if (calls.refundPayment?.state !== 'succeeded' || calls.refundPayment.attempt !== 2) return `expected the refund to succeed on attempt 2, got ${JSON.stringify(calls.refundPayment)}`
    if (!same(stock, initialStock)) return `expected the stock back at ${JSON.stringify(initialStock)}, got ${JSON.stringify(stock)}`
    if (d.refunds.length !== 1 || d.refunds[0]!.status !== 'completed') return `expected one completed refund, got ${JSON.stringify(d.refunds)}`
    if (!d.notifications.some((n) => n.kind === 'payment_failure_alert')) return 'expected the failure alert scheduled by onFailed to have run'
    return undefined
  },
)

await runOrder(
  'order-canceled',
  'Order, canceled while reserveInventory holds the stock: the reservation is released (Pattern 1)',
  ORDER,
  [{ kind: 'start', task: 'validateOrder' }, { kind: 'complete', task: 'validateOrder' }, { kind: 'start', task: 'reserveInventory' }, { kind: 'cancelWorkflow' }, { kind: 'runScheduled' }],
  (s, d, stock, initialStock) => {
    if (s.workflow !== 'canceled' || d.order.status !== 'canceled') return `expected workflow and order canceled, got ${s.workflow}/${d.order.status}`
    if (!same(stock, initialStock)) return `expected the stock back at ${JSON.stringify(initialStock)}, got ${JSON.stringify(stock)}`
    if (d.reservations.some((r) => r.status !== 'released')) return `expected every reservation released, got ${d.reservations.map((r) => r.status).join()}`
    return undefined
  },
)

console.log(failures === 0 ? '\nAll runs ended as promised.' : `\n${failures} run(s) ended differently from what they promise.`)
process.exit(failures === 0 ? 0 : 1)
