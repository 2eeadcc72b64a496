import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Decisions } from '../../src/domain/choices'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.examples.orSplitRoute

async function notifyStarted() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await wf.start('notify')
  return { t, wf }
}

describe('OR-split (docs/semantics.md#exit)', () => {
  it('marks every chosen output: both channels are offered', async () => {
    const { wf } = await notifyStarted()
    await wf.complete('notify', { choice: 'both' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { notify: 'completed', email: 'enabled', sms: 'enabled', close: 'disabled' },
      marking: { start: 0, end: 0, notify__to__email: 1, notify__to__sms: 1, email__to__close: 0, sms__to__close: 0 },
      workItems: ['notify#1:completed', 'email#1:initialized', 'sms#1:initialized'],
    })
  })

  it('marks only the chosen output when it chooses one', async () => {
    const { wf } = await notifyStarted()
    await wf.complete('notify', { choice: 'email' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { notify: 'completed', email: 'enabled', sms: 'disabled', close: 'disabled' },
      marking: { start: 0, end: 0, notify__to__email: 1, notify__to__sms: 0, email__to__close: 0, sms__to__close: 0 },
      workItems: ['notify#1:completed', 'email#1:initialized'],
    })
  })
})

describe('scenario 7: a bad OR-split route fails the mutation and changes nothing', () => {
  it.each([
    ['no target', 'none', 'must choose at least one'],
    ['a target that is not an outgoing flow', 'unconnected', "returned route.toTask('close'), which is not one of its outgoing flows"],
  ])('a route returning %s is refused with INVALID_ROUTE', async (_label, choice, fragment) => {
    const { t, wf } = await notifyStarted()
    const before = await wf.snapshot()
    const error = await errorOf(wf.complete('notify', { choice }))
    expect(error.code).toBe('INVALID_ROUTE')
    expect(error.message).toContain("task 'notify'")
    expect(error.message).toContain(fragment)
    expect(await wf.snapshot()).toEqual(before)
    // The decision the complete action wrote rolled back with the rest of the step.
    expect(await t.run((ctx) => Decisions.find(ctx, wf.workflowId, 'notify'))).toBeNull()
  })
})
