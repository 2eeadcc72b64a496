import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Faults, faultMessage } from '../../src/domain/faults'
import { faultOrderWorkflow } from '../../src/workflows/faults'
import { faultSitesOf, withFaultSites } from '../../src/workflows/faultSites'
import { orderWorkflow } from '../../src/workflows/order'
import { assemblyWorkflow } from '../../src/workflows/patternsRecursion'
import { dumpTables } from '../support/dump'
import { faultWorld, type FaultWorkflow } from '../support/faults'
import { scenarios, type Scenario } from '../support/faultScenarios'

/**
 * The fault matrix (issue 10, point 4). For every step and every callback site it calls, a callback
 * that throws there makes the mutation reject with the callback's own error, and no table changes
 * (engine, domain and scheduled functions alike). Steps and the sites each calls:
 * tests/support/faultScenarios.ts; a control run checks each step calls exactly its listed sites.
 * Every callback calls `Faults.at(site)` (src/domain/faults.ts) after doing its job. The workflows:
 *
 * - `faultOrder`: the order workflow of src/workflows/order.ts, not edited, with a site added to each
 *   of its callbacks by `withFaultSites` (src/workflows/faultSites.ts): the workflow's initialize
 *   action (with its payload), onCompleted and onCanceled; the tasks' onEnabled,
 *   reserveInventory's onWorkItemStateChanged, chargePayment's policy, routeDecision's route; the work
 *   items' custom initialize / start / complete / fail actions (payloads included) and their
 *   onInitialized / onStarted / onFailed. Steps: the happy path, starting the payment (its service
 *   call queued) and the payment provider's outcomes — a capture, a decline routed into compensation,
 *   the refund — as the steps `serviceComplete` applies them in, called directly; canceling
 *   the reservation's work item, canceling the workflow with stock reserved and with the refund
 *   queued. A test checks its steps reach every site it has.
 * - `faultPlain`, `faultComposite` (and its child `faultChild`), `faultOrJoin`: written for the
 *   matrix (src/workflows/faults.ts), each with every kind of callback, including the ones the order
 *   workflow does not have (the workflow's cancel action and onInitialized / onStarted / onFailed;
 *   task onDisabled / onStarted / onCompleted / onFailed / onCanceled and onWorkflowStateChanged;
 *   the work item actions cancel and reset and onCompleted / onCanceled / onReset), at the points only
 *   they reach: a deferred choice (plain), reset, a child workflow's initializer and its cancel and
 *   failure going up (composite), an OR-join that waits and one enabled because its other branch was
 *   routed away (OR-join).
 */

const sitesOf = (scenario: Scenario) => scenario.sites.split(' ')
const name = (scenario: Scenario) => `${scenario.workflow}: ${scenario.step}`

const workflowNames = new Set(['order', 'faultPlain', 'faultComposite', 'faultChild', 'faultOrJoin'])

/** What kind of callback a site is: `<workflow>.x` → `workflow.x`, `<task>Item.x` → `workItem.x`, `<task>.x` → `task.x`. */
const kindOf = (site: string) => {
  const [element, callback] = site.split('.') as [string, string]
  return `${workflowNames.has(element) ? 'workflow' : element.endsWith('Item') ? 'workItem' : 'task'}.${callback}`
}

const everyKind = [
  ...['initialize', 'cancel', 'onInitialized', 'onStarted', 'onCompleted', 'onFailed', 'onCanceled'].map((c) => `workflow.${c}`),
  ...[
    'onEnabled',
    'onDisabled',
    'onStarted',
    'onWorkItemStateChanged',
    'onCompleted',
    'onFailed',
    'onCanceled',
    'policy',
    'route',
  ].map((c) => `task.${c}`),
  ...['initialize', 'start', 'complete', 'fail', 'cancel', 'reset'].map((c) => `workItem.${c}`),
  ...['onInitialized', 'onStarted', 'onCompleted', 'onFailed', 'onCanceled', 'onReset'].map((c) => `workItem.${c}`),
]

// The order workflow schedules functions (the operators' alert) and queues service attempts: they must not run behind a test's back.
beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function prepared(scenario: Scenario) {
  const w = await faultWorld(scenario.workflow)
  await scenario.prepare(w)
  return w
}

describe('withFaultSites: a copy of a built workflow with a site on every callback it has', () => {
  it('keeps the net, the names and the action schemas, wraps only the callbacks there are, and leaves the original as it was', () => {
    const original = orderWorkflow.build()
    const callbacksBefore = [original.actions.initialize!.callback, original.tasks.chargePayment!.policy, original.tasks.routeDecision!.route]
    const copy = withFaultSites(original)
    expect(copy).not.toBe(original)
    expect(copy.net).toBe(original.net)
    expect(copy.name).toBe('order')
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.tasks) && Object.isFrozen(copy.tasks.chargePayment)).toBe(true)
    expect(copy.actions.initialize!.schema).toBe(original.actions.initialize!.schema)
    expect(copy.actions.initialize!.callback).not.toBe(original.actions.initialize!.callback)
    expect(copy.tasks.chargePayment!.policy).not.toBe(original.tasks.chargePayment!.policy)
    expect(copy.tasks.chargePayment!.workItem!.actions.fail!.schema).toBe(original.tasks.chargePayment!.workItem!.actions.fail!.schema)
    // A service work item stays one: the payment and the refund still call their provider, with the same policy.
    for (const task of ['chargePayment', 'refundPayment']) {
      expect(original.tasks[task]!.workItem!.service).toBeDefined()
      expect(copy.tasks[task]!.workItem!.service).toBe(original.tasks[task]!.workItem!.service)
    }
    // Absent callbacks stay absent: a default action, a task without policy, a workflow activity not declared.
    expect(copy.tasks.validateOrder!.workItem!.actions.start).toBeUndefined()
    expect(copy.tasks.validateOrder!.policy).toBeUndefined()
    expect(copy.activities.onStarted).toBeUndefined()
    expect(Object.keys(copy.tasks)).toEqual(Object.keys(original.tasks))
    expect([original.actions.initialize!.callback, original.tasks.chargePayment!.policy, original.tasks.routeDecision!.route]).toEqual(callbacksBefore)
    expect(faultSitesOf(faultOrderWorkflow)).toEqual(faultSitesOf(original))
  })

  it('copies a recursive hierarchy once: the child of the copy is the copy', () => {
    const copy = withFaultSites(assemblyWorkflow.build())
    expect(copy.tasks.subassemble!.childWorkflows!.assembly).toBe(copy)
    expect(faultSitesOf(assemblyWorkflow.build())).toContain('subassemble.onEnabled')
  })
})

const reachedBy = (workflow: FaultWorkflow) => [...new Set(scenarios.filter((s) => s.workflow === workflow).flatMap(sitesOf))].sort()

describe('the fault matrix covers every kind of callback in every workflow', () => {
  it('faultOrder: every callback of the order workflow, at some step', () => {
    expect(reachedBy('faultOrder')).toEqual(faultSitesOf(orderWorkflow.build()))
  })

  it.each<[FaultWorkflow, string[]]>([
    [
      'faultOrder',
      [
        ...['initialize', 'onCompleted', 'onCanceled'].map((c) => `workflow.${c}`),
        ...['onEnabled', 'onWorkItemStateChanged', 'policy', 'route'].map((c) => `task.${c}`),
        ...['initialize', 'start', 'complete', 'fail', 'onInitialized', 'onStarted', 'onFailed'].map((c) => `workItem.${c}`),
      ],
    ],
    ['faultPlain', everyKind],
    ['faultComposite', [...everyKind, 'task.onWorkflowStateChanged']],
    ['faultOrJoin', everyKind],
  ])('%s', (workflow, kinds) => {
    expect([...new Set(reachedBy(workflow).map(kindOf))].sort()).toEqual([...kinds].sort())
  })
})

describe('control: each step succeeds when no fault is armed, and calls exactly its sites', () => {
  it.each(scenarios.map((s) => [name(s), s] as const))('%s', async (_, scenario) => {
    const w = await prepared(scenario)
    await w.t.run((ctx) => Faults.drainReached(ctx))
    await scenario.run(w)
    expect((await w.t.run((ctx) => Faults.drainReached(ctx))).sort()).toEqual(sitesOf(scenario))
  })
})

describe('a callback that throws fails the step with its own error and changes nothing, its journal included; run again, the step journals without a gap', () => {
  const cases = scenarios.flatMap((s) => sitesOf(s).map((site) => [`${name(s)} — ${site} throws`, s, site] as const))
  it.each(cases)('%s', async (_, scenario, site) => {
    const w = await prepared(scenario)
    await w.t.run((ctx) => Faults.arm(ctx, site))
    const before = await dumpTables(w.t)

    const error = await scenario.run(w).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ message: faultMessage(site) })
    expect(error).not.toHaveProperty('data') // not rewrapped in a ConvexError
    const after = await dumpTables(w.t)
    expect(after).toEqual(before)
    // The journal is one of those tables: the throwing step wrote no event.
    expect(after.tasknet_events).toEqual(before.tasknet_events)

    // Run again with nothing armed, the step journals each workflow it changes once, numbered right
    // after that workflow's last event: the failed attempt left no gap.
    await w.t.run((ctx) => Faults.disarm(ctx))
    await scenario.run(w)
    const journal = (await dumpTables(w.t)).tasknet_events!
    const lastBefore = new Map<string, number>()
    for (const e of before.tasknet_events!) lastBefore.set(e.workflowId, Math.max(lastBefore.get(e.workflowId) ?? 0, e.sequence))
    const written = journal.filter((e) => !before.tasknet_events!.some((b) => b._id === e._id))
    expect(written.length).toBeGreaterThan(0)
    expect(written.map((e) => [e.workflowId, e.sequence]).sort()).toEqual(
      [...new Set(written.map((e) => e.workflowId))].map((id) => [id, (lastBefore.get(id) ?? 0) + 1]).sort(),
    )
  })
})
