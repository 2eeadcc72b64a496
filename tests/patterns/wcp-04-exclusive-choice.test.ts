/**
 * WCP-4 Exclusive choice: at a decision point exactly one of several branches
 * is taken, chosen from data known when the deciding task completes. In
 * tasknet the deciding task has an XOR-split: its route function reads domain
 * state (here the decision its complete action recorded) and returns exactly
 * one target. Net: `exclusiveChoiceWorkflow`, convex/examples/exclusiveChoice.ts:
 * `triage` routes to `repair` or `replace`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Decisions } from '../../src/domain/choices'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.examples.exclusiveChoice
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  end: 0,
  triage__to__repair: 0,
  triage__to__replace: 0,
  repair__to__close: 0,
  replace__to__close: 0,
  ...over,
})

describe('WCP-4 exclusive choice', () => {
  it.each([
    ['repair', 'replace'],
    ['replace', 'repair'],
  ] as const)("triage completed with '%s' enables that branch alone; %s is never enabled", async (chosen, other) => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    await wf.start('triage')
    // Started: nothing is decided yet, no branch holds a token.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { triage: 'started', repair: 'disabled', replace: 'disabled', close: 'disabled' },
      marking: marking(),
      workItems: ['triage#1:started'],
    })

    await wf.complete('triage', { choice: chosen })
    expect(await t.run((ctx) => Decisions.get(ctx, wf.workflowId, 'triage'))).toBe(chosen)
    const decided = {
      workflow: 'started',
      tasks: { triage: 'completed', close: 'disabled', [chosen]: 'enabled', [other]: 'disabled' },
      marking: marking({ [`triage__to__${chosen}`]: 1 }),
      workItems: ['triage#1:completed', `${chosen}#1:initialized`],
    }
    expect(await wf.snapshot()).toEqual(decided)

    // The branch not taken holds no token: it cannot be offered a work item.
    const error = await errorOf(
      t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName: other }, args: { name: other } }),
    )
    expect(error.code).toBe('INVALID_STATE')
    expect(await wf.snapshot()).toEqual(decided)
  })

  it('a choice outside the options is refused by the payload schema before anything is routed', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.start('triage')
    const before = await wf.snapshot()

    const error = await errorOf(wf.complete('triage', { choice: 'both' }))
    expect(error.code).toBe('INVALID_PAYLOAD')
    expect(await wf.snapshot()).toEqual(before)
  })
})
