import { describe, expect, it } from 'vitest'
import { Faults, faultMessage } from '../../src/domain/faults'
import { dumpTables } from '../support/dump'
import { faultWorld, type FaultWorkflow } from '../support/faults'
import { scenarios, type Scenario } from '../support/faultScenarios'

/**
 * The fault matrix (issue 10, point 4). Workflows: src/workflows/faults.ts, whose every callback
 * calls `Faults.at(site)`; steps and the sites each calls: tests/support/faultScenarios.ts. For every
 * step and every site it calls, a callback that throws there makes the mutation reject with the
 * callback's own error, and no table changes.
 */

const sitesOf = (scenario: Scenario) => scenario.sites.split(' ')
const name = (scenario: Scenario) => `${scenario.workflow}: ${scenario.step}`

/** What kind of callback a site is: `<workflow>.x` → `workflow.x`, `<task>Item.x` → `workItem.x`, `<task>.x` → `task.x`. */
const kindOf = (site: string) => {
  const [element, callback] = site.split('.') as [string, string]
  return `${element.startsWith('fault') ? 'workflow' : element.endsWith('Item') ? 'workItem' : 'task'}.${callback}`
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

async function prepared(scenario: Scenario) {
  const w = await faultWorld(scenario.workflow)
  await scenario.prepare(w)
  return w
}

describe('the fault matrix covers every kind of callback in every workflow', () => {
  it.each<[FaultWorkflow, string[]]>([
    ['faultPlain', everyKind],
    ['faultComposite', [...everyKind, 'task.onWorkflowStateChanged']],
    ['faultOrJoin', everyKind],
  ])('%s', (workflow, kinds) => {
    const reached = scenarios.filter((s) => s.workflow === workflow).flatMap(sitesOf)
    expect([...new Set(reached.map(kindOf))].sort()).toEqual([...kinds].sort())
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

describe('a callback that throws fails the step with its own error and changes nothing', () => {
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
    expect(await dumpTables(w.t)).toEqual(before)
  })
})
