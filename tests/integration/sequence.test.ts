import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const tasks = (register: string, review: string, archive: string) => ({ register, review, archive })
const marking = (start: number, registerToReview: number, reviewToArchive: number, end: number) => ({
  start,
  end,
  register__to__review: registerToReview,
  review__to__archive: reviewToArchive,
})

describe('sequence (WCP-1)', () => {
  it('moves one token through register → review → archive, one task at a time', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.sequence)
    await wf.initialize()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: tasks('enabled', 'disabled', 'disabled'),
      marking: marking(1, 0, 0, 0),
      workItems: ['register#1:initialized'],
    })

    await wf.start('register')
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

    await wf.run('review')
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
})
