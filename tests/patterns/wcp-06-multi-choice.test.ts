/**
 * WCP-6 Multi-choice: at a decision point one or more of several branches are
 * taken, as many as the data calls for. In tasknet the deciding task has an
 * OR-split: its route function returns every target it chooses, and each gets
 * one token; a route that chooses none is refused. Net: `multiChoiceWorkflow`
 * (src/workflows/patterns.ts, convex/patterns/multiChoice.ts): `dispatch` sends
 * `police`, `fire` and/or `ambulance`; the OR-join `report` closes the block.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Decisions } from '../../src/domain/choices'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.patterns.multiChoice
type Service = 'police' | 'fire' | 'ambulance'
const SERVICES: Service[] = ['police', 'fire', 'ambulance']
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  end: 0,
  dispatch__to__police: 0,
  dispatch__to__fire: 0,
  dispatch__to__ambulance: 0,
  police__to__report: 0,
  fire__to__report: 0,
  ambulance__to__report: 0,
  ...over,
})
const tasks = (over: Record<string, string>) => ({ dispatch: 'completed', police: 'disabled', fire: 'disabled', ambulance: 'disabled', report: 'disabled', ...over })

async function dispatching() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await wf.start('dispatch')
  return { t, wf }
}

describe('WCP-6 multi-choice', () => {
  it.each([[['fire']], [['police', 'ambulance']], [['police', 'fire', 'ambulance']]] as Service[][][])(
    'dispatch completed with %j marks exactly those branches and enables them together',
    async (services) => {
      const { wf } = await dispatching()
      await wf.complete('dispatch', { services })
      expect(await wf.snapshot()).toEqual({
        workflow: 'started',
        tasks: tasks(Object.fromEntries(services.map((s) => [s, 'enabled']))),
        marking: marking(Object.fromEntries(services.map((s) => [`dispatch__to__${s}`, 1]))),
        workItems: ['dispatch#1:completed', ...SERVICES.filter((s) => services.includes(s)).map((s) => `${s}#1:initialized`)],
      })
    },
  )

  it('the chosen branches run concurrently; the branch left out takes no part, and the block closes once both chosen ones are done', async () => {
    const { wf } = await dispatching()
    await wf.complete('dispatch', { services: ['police', 'ambulance'] })

    await wf.start('police')
    await wf.start('ambulance')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ police: 'started', ambulance: 'started' }),
      marking: marking(),
      workItems: ['dispatch#1:completed', 'police#1:started', 'ambulance#1:started'],
    })

    await wf.complete('ambulance')
    // police is still running, so report waits; fire, never chosen, is not waited for.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ police: 'started', ambulance: 'completed' }),
      marking: marking({ ambulance__to__report: 1 }),
      workItems: ['dispatch#1:completed', 'police#1:started', 'ambulance#1:completed'],
    })

    await wf.complete('police')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ police: 'completed', ambulance: 'completed', report: 'enabled' }),
      marking: marking({ police__to__report: 1, ambulance__to__report: 1 }),
      workItems: ['dispatch#1:completed', 'police#1:completed', 'ambulance#1:completed', 'report#1:initialized'],
    })

    await wf.run('report')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ police: 'completed', ambulance: 'completed', report: 'completed' }),
      marking: marking({ end: 1 }),
      workItems: ['dispatch#1:completed', 'police#1:completed', 'ambulance#1:completed', 'report#1:completed'],
    })
  })

  it('choosing no branch is refused with INVALID_ROUTE: the completion rolls back, decision included', async () => {
    const { t, wf } = await dispatching()
    const before = await wf.snapshot()

    const error = await errorOf(wf.complete('dispatch', { services: [] }))
    expect(error.code).toBe('INVALID_ROUTE')
    expect(error.message).toContain('must choose at least one')
    expect(await wf.snapshot()).toEqual(before)
    expect(await t.run((ctx) => Decisions.find(ctx, wf.workflowId, 'dispatch'))).toBeNull()
  })
})
