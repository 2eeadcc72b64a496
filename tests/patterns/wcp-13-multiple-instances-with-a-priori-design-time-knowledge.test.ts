/**
 * WCP-13 Multiple Instances with a priori Design-Time Knowledge.
 * A task runs a number of instances fixed in the model; they run concurrently
 * and the task completes, passing control on, once all of them have completed.
 * tasknet: the instances are the work items of one generation. The task's
 * `onEnabled` offers `SIGNATURES` (3) of them, and `instancePolicy.all()` —
 * the default policy — completes the task once every one is final. Net:
 * `multipleInstancesDesignTimeWorkflow` (src/workflows/patternsMi.ts,
 * convex/patterns/multipleInstancesDesignTime.ts): `sign`, then `archive`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { SIGNATURES } from '../../src/workflows/patternsMi'
import { backend, driver } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.multipleInstancesDesignTime
const marking = (over: Record<string, number> = {}) => ({ start: 0, sign__to__archive: 0, end: 0, ...over })
const signing = (workItems: string[]) => ({
  workflow: 'started',
  tasks: { sign: 'started', archive: 'disabled' },
  marking: marking(),
  workItems,
})

async function offered() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  return { t, wf, sign: instances(t, fns, wf, 'sign') }
}

describe('WCP-13 multiple instances with a priori design-time knowledge', () => {
  it('creates exactly the number of instances given in the definition when the task is enabled', async () => {
    const { t, wf } = await offered()
    expect(SIGNATURES).toBe(3)
    expect(await drain(t)).toEqual(['sign.onEnabled', 'sign.item.onInitialized', 'sign.item.onInitialized', 'sign.item.onInitialized'])
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { sign: 'enabled', archive: 'disabled' },
      marking: marking({ start: 1 }),
      workItems: ['sign#1:initialized', 'sign#1:initialized', 'sign#1:initialized'],
    })
  })

  it('keeps the task started while any instance is open, and completes it, once, after the last (order 2, 0, 1)', async () => {
    const { t, wf, sign } = await offered()
    await sign.act('start', 0)
    await sign.act('start', 1)
    await sign.act('start', 2)
    expect(await wf.snapshot()).toEqual(signing(['sign#1:started', 'sign#1:started', 'sign#1:started']))
    await drain(t)

    await sign.act('complete', 2)
    expect(await wf.snapshot()).toEqual(signing(['sign#1:started', 'sign#1:started', 'sign#1:completed']))
    await sign.act('complete', 0)
    expect(await wf.snapshot()).toEqual(signing(['sign#1:completed', 'sign#1:started', 'sign#1:completed']))
    expect(await drain(t)).toEqual([
      'sign.item.onCompleted',
      'sign.onWorkItemStateChanged(started→completed)',
      'sign.policy(started→completed): continue',
      'sign.item.onCompleted',
      'sign.onWorkItemStateChanged(started→completed)',
      'sign.policy(started→completed): continue',
    ])

    await sign.act('complete', 1)
    expect(await drain(t)).toEqual([
      'sign.item.onCompleted',
      'sign.onWorkItemStateChanged(started→completed)',
      'sign.policy(started→completed): complete',
      'sign.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { sign: 'completed', archive: 'enabled' },
      marking: marking({ sign__to__archive: 1 }),
      workItems: ['sign#1:completed', 'sign#1:completed', 'sign#1:completed', 'archive#1:initialized'],
    })

    await wf.run('archive')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { sign: 'completed', archive: 'completed' },
      marking: marking({ end: 1 }),
      workItems: ['sign#1:completed', 'sign#1:completed', 'sign#1:completed', 'archive#1:completed'],
    })
  })

  it('an instance still only offered keeps the task waiting: it starts with the first instance and waits for all', async () => {
    const { wf, sign } = await offered()
    await sign.act('start', 1)
    await sign.act('complete', 1)
    expect(await wf.snapshot()).toEqual(signing(['sign#1:initialized', 'sign#1:completed', 'sign#1:initialized']))

    await sign.act('start', 0)
    await sign.act('complete', 0)
    expect(await wf.snapshot()).toEqual(signing(['sign#1:completed', 'sign#1:completed', 'sign#1:initialized']))

    await sign.act('start', 2)
    await sign.act('complete', 2)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { sign: 'completed', archive: 'enabled' },
      marking: marking({ sign__to__archive: 1 }),
      workItems: ['sign#1:completed', 'sign#1:completed', 'sign#1:completed', 'archive#1:initialized'],
    })
  })

  it('a failed instance fails the task and the workflow (instancePolicy.all() has maxFailures 0), tearing the others down', async () => {
    const { t, wf, sign } = await offered()
    await sign.act('start', 0)
    await sign.act('start', 1)
    await drain(t)

    await sign.act('fail', 1)
    expect(await drain(t)).toEqual([
      'sign.item.onFailed',
      'sign.onWorkItemStateChanged(started→failed)',
      'sign.policy(started→failed): fail',
      'sign.item.onCanceled',
      'sign.onWorkItemStateChanged(initialized→canceled)',
      'sign.item.onCanceled',
      'sign.onWorkItemStateChanged(started→canceled)',
      'sign.onFailed',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'failed',
      tasks: { sign: 'failed', archive: 'disabled' },
      marking: marking(),
      workItems: ['sign#1:canceled', 'sign#1:failed', 'sign#1:canceled'],
    })
  })
})
