/**
 * WCP-14 Multiple Instances with a priori Run-Time Knowledge.
 * Like WCP-13, but the number of instances is known only at run time (from the
 * case data), before the instances are created; the task completes once all of
 * them have completed. tasknet: the workflow's initialize action records the
 * number of order lines as case data; `pick`'s `onEnabled` reads it and offers
 * one work item per line; `instancePolicy.all()` completes the task once
 * every one is final. Net: `multipleInstancesRunTimeWorkflow`
 * (src/workflows/patternsMi.ts, convex/patterns/multipleInstancesRunTime.ts):
 * `pick`, then `ship`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Decisions } from '../../src/domain/choices'
import { backend, driver, errorOf } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.multipleInstancesRunTime
const marking = (over: Record<string, number> = {}) => ({ start: 0, pick__to__ship: 0, end: 0, ...over })
const picks = (...states: string[]) => states.map((s) => `pick#1:${s}`)

async function initialized(lines: number) {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize({ lines })
  return { t, wf, pick: instances(t, fns, wf, 'pick') }
}

describe('WCP-14 multiple instances with a priori run-time knowledge', () => {
  it.each([1, 2, 5])('creates as many instances as the case data says when the task is enabled: %i line(s)', async (lines) => {
    const { t, wf } = await initialized(lines)
    expect(await drain(t)).toEqual(['pick.onEnabled', ...Array<string>(lines).fill('pick.item.onInitialized')])
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { pick: 'enabled', ship: 'disabled' },
      marking: marking({ start: 1 }),
      workItems: picks(...Array<string>(lines).fill('initialized')),
    })
  })

  it('completes the task once all of those instances have completed, and not before', async () => {
    const { wf, pick } = await initialized(4)
    for (const i of [0, 1, 2, 3]) await pick.act('start', i)
    for (const i of [3, 0, 2]) await pick.act('complete', i)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { pick: 'started', ship: 'disabled' },
      marking: marking(),
      workItems: picks('completed', 'started', 'completed', 'completed'),
    })

    await pick.act('complete', 1)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { pick: 'completed', ship: 'enabled' },
      marking: marking({ pick__to__ship: 1 }),
      workItems: [...picks('completed', 'completed', 'completed', 'completed'), 'ship#1:initialized'],
    })
  })

  it('uses the count read when the task is enabled: changing the case data afterwards adds no instance', async () => {
    const { t, wf, pick } = await initialized(2)
    await t.run((ctx) => Decisions.record(ctx, wf.workflowId, 'lines', '5'))
    await pick.act('start', 0)
    await pick.act('start', 1)
    await pick.act('complete', 0)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { pick: 'started', ship: 'disabled' },
      marking: marking(),
      workItems: picks('completed', 'started'),
    })

    await pick.act('complete', 1)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { pick: 'completed', ship: 'enabled' },
      marking: marking({ pick__to__ship: 1 }),
      workItems: [...picks('completed', 'completed'), 'ship#1:initialized'],
    })
  })

  it('refuses a case with no line: the initialize action\'s schema says at least one, and nothing is created', async () => {
    const t = backend()
    const wf = driver(t, fns)
    expect(await errorOf(wf.initialize({ lines: 0 }))).toMatchObject({ code: 'INVALID_PAYLOAD' })
    expect(await t.run((ctx) => ctx.db.query('tasknet_workflows').collect())).toEqual([])
  })
})
