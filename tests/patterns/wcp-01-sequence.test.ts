/**
 * WCP-1 Sequence: a task is enabled only once the task before it has
 * completed, so the tasks of a process run one after another. In tasknet it is
 * a chain of task-to-task flows (default AND-split and AND-join); the token in
 * the implicit condition between two tasks is what enables the second.
 * Net: `sequenceWorkflow` (register → review → archive), convex/examples/sequence.ts.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.examples.sequence
const tasks = (register: string, review: string, archive: string) => ({ register, review, archive })
const marking = (start: number, registerToReview: number, reviewToArchive: number, end: number) => ({
  start,
  end,
  register__to__review: registerToReview,
  review__to__archive: reviewToArchive,
})

describe('WCP-1 sequence', () => {
  it('enables each task only when its predecessor completes: one token moves register → review → archive', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: tasks('enabled', 'disabled', 'disabled'),
      marking: marking(1, 0, 0, 0),
      workItems: ['register#1:initialized'],
    })

    await wf.start('register')
    // Started, not completed: review still waits.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('started', 'disabled', 'disabled'),
      marking: marking(0, 0, 0, 0),
      workItems: ['register#1:started'],
    })

    await wf.complete('register')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'disabled'),
      marking: marking(0, 1, 0, 0),
      workItems: ['register#1:completed', 'review#1:initialized'],
    })

    await wf.start('review')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'started', 'disabled'),
      marking: marking(0, 0, 0, 0),
      workItems: ['register#1:completed', 'review#1:started'],
    })

    await wf.complete('review')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: marking(0, 0, 1, 0),
      workItems: ['register#1:completed', 'review#1:completed', 'archive#1:initialized'],
    })

    await wf.run('archive')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'completed'),
      marking: marking(0, 0, 0, 1),
      workItems: ['register#1:completed', 'review#1:completed', 'archive#1:completed'],
    })
  })

  it.each([
    ['before register has started', async () => {}],
    ['while register is started', async (wf: ReturnType<typeof driver>) => void (await wf.start('register'))],
  ])('a later task cannot be offered out of order (%s): INVALID_STATE, nothing changes', async (_label, setUp) => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    await setUp(wf)
    const before = await wf.snapshot()

    for (const taskName of ['review', 'archive'] as const) {
      const error = await errorOf(
        t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName }, args: { name: taskName } }),
      )
      expect(error.code).toBe('INVALID_STATE')
      expect(error.message).toContain("the task is 'disabled'")
    }
    expect(await wf.snapshot()).toEqual(before)
  })
})
