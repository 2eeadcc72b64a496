import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const sequenceTasks = (register: string, review: string, archive: string) => ({ register, review, archive })
const sequenceMarking = (start: number, registerToReview: number) => ({
  start,
  end: 0,
  register__to__review: registerToReview,
  review__to__archive: 0,
})
/** Freshly initialized: register is enabled with its token in `start`. */
const REGISTER_ENABLED = sequenceTasks('enabled', 'disabled', 'disabled')
const TOKEN_IN_START = sequenceMarking(1, 0)

describe('canceling the only work item of an enabled task (docs/semantics.md#scenarios, scenario 4)', () => {
  it('leaves the token in place and the task enabled; a new work item can then be initialized, started and completed', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.sequence)
    await wf.initialize()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: REGISTER_ENABLED,
      marking: TOKEN_IN_START,
      workItems: ['register#1:initialized'],
    })

    await wf.act('cancel', 'register')
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: REGISTER_ENABLED,
      marking: TOKEN_IN_START,
      workItems: ['register#1:canceled'],
    })

    const workItemId = await t.mutation(internal.examples.sequence.internalInitializeWorkItem, {
      target: { workflowId: wf.workflowId, taskName: 'register' },
      args: { name: 'register' },
    })
    expect((await wf.workItemOf('register'))._id).toBe(workItemId)
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: REGISTER_ENABLED,
      marking: TOKEN_IN_START,
      workItems: ['register#1:canceled', 'register#1:initialized'],
    })

    await wf.start('register')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: sequenceTasks('started', 'disabled', 'disabled'),
      marking: sequenceMarking(0, 0),
      workItems: ['register#1:canceled', 'register#1:started'],
    })

    // The canceled work item counts as final: the default policy completes the task with the new one.
    await wf.complete('register')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: sequenceTasks('completed', 'enabled', 'disabled'),
      marking: sequenceMarking(0, 1),
      workItems: ['register#1:canceled', 'register#1:completed', 'review#1:initialized'],
    })
  })

  it('in a deferred choice, canceling the work item of accept keeps the offer token, and decline stays offered', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.deferredChoice)
    await wf.initialize()
    await wf.run('prepare')
    const offered = {
      workflow: 'started',
      tasks: { prepare: 'completed', accept: 'enabled', decline: 'enabled' },
      marking: { start: 0, offer: 1, end: 0 },
    }
    expect(await wf.snapshot()).toEqual({
      ...offered,
      workItems: ['prepare#1:completed', 'accept#1:initialized', 'decline#1:initialized'],
    })

    await wf.act('cancel', 'accept')
    expect(await wf.snapshot()).toEqual({
      ...offered,
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:initialized'],
    })

    await wf.run('decline')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { prepare: 'completed', accept: 'disabled', decline: 'completed' },
      marking: { start: 0, offer: 0, end: 1 },
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:completed'],
    })
  })
})
