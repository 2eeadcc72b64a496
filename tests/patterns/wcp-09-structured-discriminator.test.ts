/**
 * WCP-9 Structured Discriminator: branches opened by one split converge; the
 * first branch to arrive passes control on at once, the later arrivals are
 * ignored, and once every branch has arrived the construct resets, ready for
 * the next time the block runs (e.g. in a loop).
 *
 * tasknet has no discriminator join type; it is expressed as a net fragment
 * (`structuredDiscriminatorWorkflow`):
 * - the split (`fork`) also marks `armed`, a bookkeeping condition;
 * - every branch `bN` marks a shared `signal` and its own `arrivedN`;
 * - the dummy task `discriminator` AND-joins `signal` and `armed`: the first
 *   arrival fires it and takes `armed`, so later arrivals only pile up in
 *   `signal` and pass nothing on;
 * - the dummy task `reset` AND-joins every `arrivedN`, so it fires exactly
 *   when all branches have arrived; its cancellation region empties `signal`,
 *   throwing the ignored arrivals away. The next round's `fork` marks `armed`
 *   again.
 * The behaviour is the pattern's: control passes on the first arrival, the
 * others are ignored, and the reset happens when the last branch arrives. It
 * costs one condition per branch plus three elements, and it relies on the
 * structured context (each branch arrives once per round), as the pattern does.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.patterns.structuredDiscriminator
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  b1: 'enabled',
  b2: 'enabled',
  b3: 'enabled',
  discriminator: 'disabled',
  next: 'disabled',
  reset: 'disabled',
  again: 'disabled',
  ...over,
})
const none = {
  start: 0,
  ready: 0,
  end: 0,
  armed: 0,
  signal: 0,
  arrived1: 0,
  arrived2: 0,
  arrived3: 0,
  fork__to__b1: 0,
  fork__to__b2: 0,
  fork__to__b3: 0,
  discriminator__to__next: 0,
  next__to__again: 0,
  reset__to__again: 0,
}
const OPEN = { ...none, fork__to__b1: 1, fork__to__b2: 1, fork__to__b3: 1, armed: 1 }

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: OPEN,
    workItems: ['b1#1:initialized', 'b2#1:initialized', 'b3#1:initialized'],
  })
  return wf
}

describe('WCP-9 structured discriminator', () => {
  it('the first arrival passes control on, later ones are ignored, the last one resets it for the next round', async () => {
    const wf = await opened()

    // b2 arrives first: the discriminator fires at once and next is offered.
    await wf.run('b2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b2: 'completed', discriminator: 'completed', next: 'enabled' }),
      marking: { ...none, fork__to__b1: 1, fork__to__b3: 1, arrived2: 1, discriminator__to__next: 1 },
      workItems: ['b1#1:initialized', 'b2#1:completed', 'b3#1:initialized', 'next#1:initialized'],
    })

    // b1 arrives second: its signal is ignored — no second firing, no second next.
    await wf.run('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b1: 'completed', b2: 'completed', discriminator: 'completed', next: 'enabled' }),
      marking: { ...none, fork__to__b3: 1, signal: 1, arrived1: 1, arrived2: 1, discriminator__to__next: 1 },
      workItems: ['b1#1:completed', 'b2#1:completed', 'b3#1:initialized', 'next#1:initialized'],
    })

    // The thread after the discriminator goes on without waiting for b3.
    await wf.run('next')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b1: 'completed', b2: 'completed', discriminator: 'completed', next: 'completed' }),
      marking: { ...none, fork__to__b3: 1, signal: 1, arrived1: 1, arrived2: 1, next__to__again: 1 },
      workItems: ['b1#1:completed', 'b2#1:completed', 'b3#1:initialized', 'next#1:completed'],
    })

    // b3 arrives last: ignored too, and the discriminator resets (the ignored signals are thrown away).
    await wf.run('b3')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({
        b1: 'completed',
        b2: 'completed',
        b3: 'completed',
        discriminator: 'completed',
        next: 'completed',
        reset: 'completed',
        again: 'enabled',
      }),
      marking: { ...none, next__to__again: 1, reset__to__again: 1 },
      workItems: ['b1#1:completed', 'b2#1:completed', 'b3#1:completed', 'next#1:completed', 'again#1:initialized'],
    })

    // Round two: the block runs again, and the discriminator fires again on its first arrival.
    await wf.run('again', { choice: 'again' })
    const ROUND_ONE = ['b1#1:completed', 'b2#1:completed', 'b3#1:completed', 'next#1:completed', 'again#1:completed']
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ discriminator: 'completed', next: 'completed', reset: 'completed', again: 'completed' }),
      marking: OPEN,
      workItems: [...ROUND_ONE, 'b1#2:initialized', 'b2#2:initialized', 'b3#2:initialized'],
    })

    await wf.run('b3')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b3: 'completed', discriminator: 'completed', next: 'enabled', reset: 'completed', again: 'completed' }),
      marking: { ...none, fork__to__b1: 1, fork__to__b2: 1, arrived3: 1, discriminator__to__next: 1 },
      workItems: [...ROUND_ONE, 'b1#2:initialized', 'b2#2:initialized', 'b3#2:completed', 'next#2:initialized'],
    })

    await wf.run('b1')
    await wf.run('b2')
    await wf.run('next')
    await wf.run('again', { choice: 'done' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({
        b1: 'completed',
        b2: 'completed',
        b3: 'completed',
        discriminator: 'completed',
        next: 'completed',
        reset: 'completed',
        again: 'completed',
      }),
      marking: { ...none, end: 1 },
      workItems: [
        ...ROUND_ONE,
        'b1#2:completed',
        'b2#2:completed',
        'b3#2:completed',
        'next#2:completed',
        'again#2:completed',
      ],
    })
  })

  it('with every branch arriving before next has run, control was still passed on exactly once', async () => {
    const wf = await opened()
    await wf.run('b1')
    await wf.run('b3')
    await wf.run('b2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({
        b1: 'completed',
        b2: 'completed',
        b3: 'completed',
        discriminator: 'completed',
        next: 'enabled',
        reset: 'completed',
      }),
      marking: { ...none, discriminator__to__next: 1, reset__to__again: 1 },
      workItems: ['b1#1:completed', 'b2#1:completed', 'b3#1:completed', 'next#1:initialized'],
    })
  })
})
