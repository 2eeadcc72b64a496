/**
 * WCP-5 Simple merge: alternative branches, of which only one runs, converge
 * into one, and the task after them runs once for the branch that arrived,
 * without waiting for the others. In tasknet that is an XOR-join: the task is
 * enabled by a token in any one of its inputs. Net: `exclusiveChoiceWorkflow`,
 * convex/examples/exclusiveChoice.ts, where `close` XOR-joins `repair` and
 * `replace` after `triage`'s exclusive choice.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

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

describe('WCP-5 simple merge', () => {
  it.each([
    ['repair', 'replace'],
    ['replace', 'repair'],
  ] as const)('close follows %s at once, without waiting for %s, and runs once', async (taken, notTaken) => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('triage', { choice: taken })

    await wf.run(taken)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { triage: 'completed', [taken]: 'completed', [notTaken]: 'disabled', close: 'enabled' },
      marking: marking({ [`${taken}__to__close`]: 1 }),
      workItems: ['triage#1:completed', `${taken}#1:completed`, 'close#1:initialized'],
    })

    await wf.start('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { triage: 'completed', [taken]: 'completed', [notTaken]: 'disabled', close: 'started' },
      marking: marking(),
      workItems: ['triage#1:completed', `${taken}#1:completed`, 'close#1:started'],
    })

    await wf.complete('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { triage: 'completed', [taken]: 'completed', [notTaken]: 'disabled', close: 'completed' },
      marking: marking({ end: 1 }),
      workItems: ['triage#1:completed', `${taken}#1:completed`, 'close#1:completed'],
    })
  })
})
