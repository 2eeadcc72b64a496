/**
 * WCP-15 Multiple Instances without a priori Run-Time Knowledge.
 * The number of instances is not known even when the task starts: new
 * instances may be added while others run, and the task completes once every
 * instance, the added ones included, has completed. tasknet: `quote` offers
 * one work item when it is enabled. More are added while it runs, from
 * outside with `initializeWorkItem`, and by the task itself: a quote completed
 * with `{ referral: true }` names another supplier, and
 * `onWorkItemStateChanged` offers one more work item before the policy is
 * asked, so `instancePolicy.all()` sees it open and continues. Net:
 * `multipleInstancesDynamicWorkflow` (src/workflows/patternsMi.ts,
 * convex/patterns/multipleInstancesDynamic.ts): `quote`, then `choose`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.multipleInstancesDynamic
const marking = (over: Record<string, number> = {}) => ({ start: 0, quote__to__choose: 0, end: 0, ...over })
const quotes = (...states: string[]) => states.map((s) => `quote#1:${s}`)
const quoting = (...states: string[]) => ({
  workflow: 'started',
  tasks: { quote: 'started', choose: 'disabled' },
  marking: marking(),
  workItems: quotes(...states),
})

async function quoteStarted() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  const quote = instances(t, fns, wf, 'quote')
  await quote.act('start', 0)
  expect(await wf.snapshot()).toEqual(quoting('started'))
  await drain(t)
  return { t, wf, quote }
}

describe('WCP-15 multiple instances without a priori run-time knowledge', () => {
  it('adds instances to a started task from outside while another is still running', async () => {
    const { t, wf, quote } = await quoteStarted()

    await quote.add()
    await quote.add()
    expect(await drain(t)).toEqual(['quote.item.onInitialized', 'quote.item.onInitialized'])
    expect(await wf.snapshot()).toEqual(quoting('started', 'initialized', 'initialized'))

    await quote.act('complete', 0, { referral: false })
    await quote.act('start', 2)
    await quote.act('complete', 2, { referral: false })
    expect(await wf.snapshot()).toEqual(quoting('completed', 'initialized', 'completed'))

    await quote.act('start', 1)
    await quote.act('complete', 1, { referral: false })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { quote: 'completed', choose: 'enabled' },
      marking: marking({ quote__to__choose: 1 }),
      workItems: [...quotes('completed', 'completed', 'completed'), 'choose#1:initialized'],
    })
  })

  it('does not complete when every existing instance has completed but the last one adds another', async () => {
    const { t, wf, quote } = await quoteStarted()

    await quote.act('complete', 0, { referral: true })
    expect(await drain(t)).toEqual([
      'quote.item.onCompleted',
      'quote.onWorkItemStateChanged(started→completed)',
      // The referral is offered before the policy is asked, so the policy sees it open.
      'quote.item.onInitialized',
      'quote.policy(started→completed): continue',
    ])
    expect(await wf.snapshot()).toEqual(quoting('completed', 'initialized'))

    await quote.act('start', 1)
    await quote.act('complete', 1, { referral: true })
    expect(await wf.snapshot()).toEqual(quoting('completed', 'completed', 'initialized'))
    await drain(t)

    await quote.act('start', 2)
    await quote.act('complete', 2, { referral: false })
    expect(await drain(t)).toEqual([
      'quote.item.onStarted',
      'quote.onWorkItemStateChanged(initialized→started)',
      'quote.item.onCompleted',
      'quote.onWorkItemStateChanged(started→completed)',
      'quote.policy(started→completed): complete',
      'quote.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { quote: 'completed', choose: 'enabled' },
      marking: marking({ quote__to__choose: 1 }),
      workItems: [...quotes('completed', 'completed', 'completed'), 'choose#1:initialized'],
    })
  })

  it('takes no more instances once it has completed: initializeWorkItem is refused and nothing changes', async () => {
    const { wf, quote } = await quoteStarted()
    await quote.act('complete', 0, { referral: false })
    const done = {
      workflow: 'started',
      tasks: { quote: 'completed', choose: 'enabled' },
      marking: marking({ quote__to__choose: 1 }),
      workItems: [...quotes('completed'), 'choose#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(done)

    const refused = await errorOf(quote.add())
    expect(refused.code).toBe('INVALID_STATE')
    expect(refused.message).toContain("the task is 'completed'")
    expect(await wf.snapshot()).toEqual(done)
  })
})
