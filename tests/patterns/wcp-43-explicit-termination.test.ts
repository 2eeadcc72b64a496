/**
 * WCP-43 Explicit termination: the process ends as soon as it reaches a
 * designated end state, even if work is still going on elsewhere; that work
 * is canceled. In tasknet the first token in the end condition completes the
 * workflow (docs/semantics.md#exit): tasks still enabled are disabled and
 * tasks still started are canceled, each with its open work items. Net:
 * `explicitTerminationWorkflow` (src/workflows/patterns.ts,
 * convex/patterns/explicitTermination.ts): `accept` AND-splits to `ship`,
 * `invoice` → `archive` and `survey`, each of which leads to `end`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.patterns.explicitTermination
const tasks = (over: Record<string, string>) => ({
  accept: 'completed',
  ship: 'enabled',
  invoice: 'enabled',
  archive: 'disabled',
  survey: 'enabled',
  ...over,
})
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  end: 0,
  accept__to__ship: 1,
  accept__to__invoice: 1,
  accept__to__survey: 1,
  invoice__to__archive: 0,
  ...over,
})

async function accepted() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await wf.run('accept')
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: marking(),
    workItems: ['accept#1:completed', 'ship#1:initialized', 'invoice#1:initialized', 'survey#1:initialized'],
  })
  return { t, wf }
}

describe('WCP-43 explicit termination', () => {
  it('ship reaches the end while invoice is started and survey enabled: the workflow completes, invoice is canceled, survey disabled', async () => {
    const { wf } = await accepted()
    await wf.start('invoice')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ invoice: 'started' }),
      marking: marking({ accept__to__invoice: 0 }),
      workItems: ['accept#1:completed', 'ship#1:initialized', 'invoice#1:started', 'survey#1:initialized'],
    })

    await wf.run('ship')
    const completed = {
      workflow: 'completed',
      // archive, never enabled, stays disabled; survey's token is left where it was.
      tasks: tasks({ ship: 'completed', invoice: 'canceled', survey: 'disabled' }),
      marking: marking({ accept__to__ship: 0, accept__to__invoice: 0, end: 1 }),
      workItems: ['accept#1:completed', 'ship#1:completed', 'invoice#1:canceled', 'survey#1:canceled'],
    }
    expect(await wf.snapshot()).toEqual(completed)

    // The remaining work is gone for good: neither the started nor the offered work item can go on.
    expect((await errorOf(wf.complete('invoice'))).code).toBe('INVALID_TRANSITION')
    expect((await errorOf(wf.start('survey'))).code).toBe('INVALID_TRANSITION')
    expect(await wf.snapshot()).toEqual(completed)
  })

  it('the longer branch can end it too: archive reaches the end while ship is started, and ship is canceled', async () => {
    const { wf } = await accepted()
    await wf.start('ship')
    await wf.run('invoice')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'started', invoice: 'completed', archive: 'enabled' }),
      marking: marking({ accept__to__ship: 0, accept__to__invoice: 0, invoice__to__archive: 1 }),
      workItems: ['accept#1:completed', 'ship#1:started', 'invoice#1:completed', 'survey#1:initialized', 'archive#1:initialized'],
    })

    await wf.run('archive')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ ship: 'canceled', invoice: 'completed', archive: 'completed', survey: 'disabled' }),
      marking: marking({ accept__to__ship: 0, accept__to__invoice: 0, end: 1 }),
      workItems: ['accept#1:completed', 'ship#1:canceled', 'invoice#1:completed', 'survey#1:canceled', 'archive#1:completed'],
    })
  })
})
