/**
 * WCP-16 Deferred choice: several branches are offered at once, and the
 * environment, not data known in advance, chooses one by starting it; the
 * others are withdrawn at that moment. In tasknet the offered tasks share one
 * input condition: each is enabled by its token, and the first to start (its
 * first work item starts) consumes it, so the others lose their enabling and
 * are disabled, their unstarted work items canceled. Nets: `deferredChoiceWorkflow`
 * (convex/examples/deferredChoice.ts: `accept` or `decline` take `offer`) and
 * `escalationWorkflow` (convex/examples/escalation.ts: a person's `respond`
 * against a timer's `escalate`).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.examples.deferredChoice
const marking = (start: number, offer: number, end: number) => ({ start, offer, end })
/** The work items of prepare, accept and decline, in creation order, with the states given per task. */
const workItems = (states: { accept: string; decline: string }) => ['prepare#1:completed', `accept#1:${states.accept}`, `decline#1:${states.decline}`]
const OFFERED = {
  workflow: 'started',
  tasks: { prepare: 'completed', accept: 'enabled', decline: 'enabled' },
  marking: marking(0, 1, 0),
  workItems: ['prepare#1:completed', 'accept#1:initialized', 'decline#1:initialized'],
}

async function offered() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await wf.run('prepare')
  // One token, two tasks enabled by it: both are offered, nothing is chosen yet.
  expect(await wf.snapshot()).toEqual(OFFERED)
  return { t, wf }
}

describe('WCP-16 deferred choice', () => {
  it.each([
    ['accept', 'decline'],
    ['decline', 'accept'],
  ] as const)('starting %s takes the offer: %s is disabled and its work item canceled', async (winner, loser) => {
    const { t, wf } = await offered()

    await wf.start(winner)
    const chosen = {
      workflow: 'started',
      tasks: { prepare: 'completed', [winner]: 'started', [loser]: 'disabled' },
      marking: marking(0, 0, 0),
      workItems: workItems({ [winner]: 'started', [loser]: 'canceled' } as { accept: string; decline: string }),
    }
    expect(await wf.snapshot()).toEqual(chosen)

    // The choice is final: the loser can neither be started nor offered again.
    expect((await errorOf(wf.start(loser))).code).toBe('INVALID_TRANSITION')
    const reoffer = await errorOf(
      t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName: loser }, args: { name: loser } }),
    )
    expect(reoffer.code).toBe('INVALID_STATE')
    expect(await wf.snapshot()).toEqual(chosen)

    await wf.complete(winner)
    expect(await wf.snapshot()).toEqual({
      ...chosen,
      workflow: 'completed',
      tasks: { ...chosen.tasks, [winner]: 'completed' },
      marking: marking(0, 0, 1),
      workItems: workItems({ [winner]: 'completed', [loser]: 'canceled' } as { accept: string; decline: string }),
    })
  })

  it('withdrawing one offer does not make the choice: the token stays and both tasks stay enabled', async () => {
    const { wf } = await offered()

    await wf.act('cancel', 'accept')
    expect(await wf.snapshot()).toEqual({
      ...OFFERED,
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:initialized'],
    })
  })
})

describe('WCP-16 deferred choice decided by a timer', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('when nobody responds before the timer fires, escalate starts and wins: respond is disabled', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.escalation)
    await wf.initialize()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { respond: 'enabled', escalate: 'enabled' },
      marking: { start: 1, end: 0 },
      workItems: ['respond#1:initialized', 'escalate#1:initialized'],
    })

    await runScheduledInTimeOrder(t, vi)
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { respond: 'disabled', escalate: 'completed' },
      marking: { start: 0, end: 1 },
      workItems: ['respond#1:canceled', 'escalate#1:completed'],
    })
  })
})
