/**
 * WCP-29 Cancelling Discriminator: several branches converge; the first one
 * to complete passes control on, and the others are withdrawn at that moment,
 * whether they are running or only offered. tasknet expresses it with a dummy
 * task that XOR-joins the branches — the first token fires it at once — and
 * whose cancellation region holds the branch tasks and their (explicit) input
 * conditions, so a branch that never started leaves no token behind. Net:
 * `cancellingDiscriminatorWorkflow`, three branches `b1`–`b3` into
 * `discriminator`, then `next`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.patterns.cancellingDiscriminator
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  b1: 'enabled',
  b2: 'enabled',
  b3: 'enabled',
  discriminator: 'disabled',
  next: 'disabled',
  ...over,
})
const none = {
  start: 0,
  end: 0,
  in1: 0,
  in2: 0,
  in3: 0,
  b1__to__discriminator: 0,
  b2__to__discriminator: 0,
  b3__to__discriminator: 0,
  discriminator__to__next: 0,
}

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: { ...none, in1: 1, in2: 1, in3: 1 },
    workItems: ['b1#1:initialized', 'b2#1:initialized', 'b3#1:initialized'],
  })
  return wf
}

describe('WCP-29 cancelling discriminator', () => {
  it('the first branch to complete fires the join, which cancels the running and the offered branch', async () => {
    const wf = await opened()
    await wf.start('b2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b2: 'started' }),
      marking: { ...none, in1: 1, in3: 1 },
      workItems: ['b1#1:initialized', 'b2#1:started', 'b3#1:initialized'],
    })

    await wf.run('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b1: 'completed', b2: 'canceled', b3: 'canceled', discriminator: 'completed', next: 'enabled' }),
      marking: { ...none, discriminator__to__next: 1 },
      workItems: ['b1#1:completed', 'b2#1:canceled', 'b3#1:canceled', 'next#1:initialized'],
    })

    // The branch that was running can no longer complete: nothing changes.
    const before = await wf.snapshot()
    expect(await errorOf(wf.complete('b2'))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await wf.snapshot()).toEqual(before)

    await wf.run('next')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ b1: 'completed', b2: 'canceled', b3: 'canceled', discriminator: 'completed', next: 'completed' }),
      marking: { ...none, end: 1 },
      workItems: ['b1#1:completed', 'b2#1:canceled', 'b3#1:canceled', 'next#1:completed'],
    })
  })

  it('whichever branch is first wins: b3 first withdraws b1 and b2 and empties their inputs', async () => {
    const wf = await opened()
    await wf.run('b3')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b1: 'canceled', b2: 'canceled', b3: 'completed', discriminator: 'completed', next: 'enabled' }),
      marking: { ...none, discriminator__to__next: 1 },
      workItems: ['b1#1:canceled', 'b2#1:canceled', 'b3#1:completed', 'next#1:initialized'],
    })
  })
})
