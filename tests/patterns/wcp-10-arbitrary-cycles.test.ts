/**
 * WCP-10 Arbitrary cycles: a part of the process can be repeated along a
 * cycle that has more than one way in or out, so it is not a structured loop
 * with a single entry and a single exit. In tasknet a cycle is any path of
 * flows that leads back to an earlier condition; XOR-splits choose where to
 * enter, go round and leave, and every time a task is enabled again it starts
 * a new generation. Net: `arbitraryCyclesWorkflow` (src/workflows/patterns.ts,
 * convex/patterns/arbitraryCycles.ts): `draft` ⇄ `review`, entered at
 * `drafting` or at `reviewing`, left from `draft` (withdraw) or from `review`
 * (approve).
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, type Backend } from '../support/harness'

const fns = internal.patterns.arbitraryCycles
const tasks = (draft: string, review: string) => ({ enter: 'completed', draft, review })
const marking = (drafting: number, reviewing: number, end = 0) => ({ start: 0, end, drafting, reviewing })
const DRAFTING = marking(1, 0)
const REVIEWING = marking(0, 1)

/** How often each decision inside the cycle was made, as `{ task: count }`. */
async function decisionCounts(t: Backend) {
  return t.run(async (ctx) =>
    Object.fromEntries((await ctx.db.query('decisions').collect()).map(({ taskName, choice, count }) => [taskName, `${choice}×${count}`])),
  )
}

describe('WCP-10 arbitrary cycles', () => {
  it('entered at drafting: draft → review → (revise) draft → review → (approve) end; each pass is a new generation', async () => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { enter: 'enabled', draft: 'disabled', review: 'disabled' },
      marking: { ...marking(0, 0), start: 1 },
      workItems: ['enter#1:initialized'],
    })

    await wf.run('enter', { choice: 'draft' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'disabled'),
      marking: DRAFTING,
      workItems: ['enter#1:completed', 'draft#1:initialized'],
    })

    await wf.run('draft', { choice: 'submit' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled'),
      marking: REVIEWING,
      workItems: ['enter#1:completed', 'draft#1:completed', 'review#1:initialized'],
    })

    await wf.run('review', { choice: 'revise' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed'),
      marking: DRAFTING,
      workItems: ['enter#1:completed', 'draft#1:completed', 'review#1:completed', 'draft#2:initialized'],
    })

    await wf.run('draft', { choice: 'submit' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled'),
      marking: REVIEWING,
      workItems: ['enter#1:completed', 'draft#1:completed', 'review#1:completed', 'draft#2:completed', 'review#2:initialized'],
    })

    await wf.run('review', { choice: 'approve' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed'),
      marking: marking(0, 0, 1),
      workItems: ['enter#1:completed', 'draft#1:completed', 'review#1:completed', 'draft#2:completed', 'review#2:completed'],
    })
    expect(await decisionCounts(t)).toEqual({ enter: 'draft×1', draft: 'submit×2', review: 'approve×2' })
  })

  it('entered at reviewing: review → (revise) draft → (withdraw) end, leaving the cycle from the other task', async () => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()

    await wf.run('enter', { choice: 'review' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('disabled', 'enabled'),
      marking: REVIEWING,
      workItems: ['enter#1:completed', 'review#1:initialized'],
    })

    await wf.run('review', { choice: 'revise' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed'),
      marking: DRAFTING,
      workItems: ['enter#1:completed', 'review#1:completed', 'draft#1:initialized'],
    })

    await wf.run('draft', { choice: 'withdraw' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed'),
      marking: marking(0, 0, 1),
      workItems: ['enter#1:completed', 'review#1:completed', 'draft#1:completed'],
    })
    expect(await decisionCounts(t)).toEqual({ enter: 'review×1', review: 'revise×1', draft: 'withdraw×1' })
  })
})
