/**
 * WCP-33 Generalized AND-Join: an AND-join in a net where a branch may
 * deliver more than one trigger. It fires once each input holds a trigger;
 * triggers that arrive on a branch beyond that are kept for later firings,
 * never lost and never merged. tasknet's AND-join is the Petri-net one: it is
 * enabled when every input condition holds a token, consumes exactly one token
 * from each when it fires (docs/semantics.md#enabling, #firing), and tokens left over enable it
 * again — a new generation — once the set is complete again. Net:
 * `generalizedAndJoinWorkflow`: `l1` and `l2` deliver into `left`, `r1` and
 * `r2` into `right`, and `sync` AND-joins the two.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.patterns.generalizedAndJoin
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  l1: 'enabled',
  l2: 'enabled',
  r1: 'enabled',
  r2: 'enabled',
  sync: 'disabled',
  pack: 'disabled',
  ...over,
})
const none = {
  start: 0,
  end: 0,
  left: 0,
  right: 0,
  fork__to__l1: 0,
  fork__to__l2: 0,
  fork__to__r1: 0,
  fork__to__r2: 0,
  sync__to__pack: 0,
}
const BRANCHES = ['l1#1:initialized', 'l2#1:initialized', 'r1#1:initialized', 'r2#1:initialized']
const done = (...names: string[]) => BRANCHES.map((w) => (names.includes(w.split('#')[0]!) ? w.replace('initialized', 'completed') : w))

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: { ...none, fork__to__l1: 1, fork__to__l2: 1, fork__to__r1: 1, fork__to__r2: 1 },
    workItems: BRANCHES,
  })
  return wf
}

describe('WCP-33 generalized AND-join', () => {
  it('fires once per complete set; the extra token on one input waits for the next set', async () => {
    const wf = await opened()

    // Two tokens on one input and none on the other: not enabled.
    await wf.run('l1')
    await wf.run('l2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed' }),
      marking: { ...none, fork__to__r1: 1, fork__to__r2: 1, left: 2 },
      workItems: done('l1', 'l2'),
    })

    await wf.run('r1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed', r1: 'completed', sync: 'enabled' }),
      marking: { ...none, fork__to__r2: 1, left: 2, right: 1 },
      workItems: [...done('l1', 'l2', 'r1'), 'sync#1:initialized'],
    })

    // Firing takes one token from each input; the second token in `left` stays.
    await wf.start('sync')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed', r1: 'completed', sync: 'started' }),
      marking: { ...none, fork__to__r2: 1, left: 1 },
      workItems: [...done('l1', 'l2', 'r1'), 'sync#1:started'],
    })

    // One token to pack; the leftover alone does not enable sync again.
    await wf.complete('sync')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed', r1: 'completed', sync: 'completed', pack: 'enabled' }),
      marking: { ...none, fork__to__r2: 1, left: 1, sync__to__pack: 1 },
      workItems: [...done('l1', 'l2', 'r1'), 'sync#1:completed', 'pack#1:initialized'],
    })

    // The second set is complete: sync is enabled again, a new generation.
    await wf.run('r2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed', r1: 'completed', r2: 'completed', sync: 'enabled', pack: 'enabled' }),
      marking: { ...none, left: 1, right: 1, sync__to__pack: 1 },
      workItems: [...done('l1', 'l2', 'r1', 'r2'), 'sync#1:completed', 'pack#1:initialized', 'sync#2:initialized'],
    })

    // Two firings for two sets: two tokens reach pack, none is left at the join.
    await wf.run('sync')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed', r1: 'completed', r2: 'completed', sync: 'completed', pack: 'enabled' }),
      marking: { ...none, sync__to__pack: 2 },
      workItems: [...done('l1', 'l2', 'r1', 'r2'), 'sync#1:completed', 'pack#1:initialized', 'sync#2:completed'],
    })
  })

  it('a set completed while the join runs enables it again as soon as it completes', async () => {
    const wf = await opened()
    await wf.run('l1')
    await wf.run('r1')
    await wf.start('sync')
    await wf.run('r2')
    await wf.run('l2')
    // One generation at a time: the second set waits while sync#1 runs.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed', r1: 'completed', r2: 'completed', sync: 'started' }),
      marking: { ...none, left: 1, right: 1 },
      workItems: [...done('l1', 'l2', 'r1', 'r2'), 'sync#1:started'],
    })

    await wf.complete('sync')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ l1: 'completed', l2: 'completed', r1: 'completed', r2: 'completed', sync: 'enabled', pack: 'enabled' }),
      marking: { ...none, left: 1, right: 1, sync__to__pack: 1 },
      workItems: [...done('l1', 'l2', 'r1', 'r2'), 'sync#1:completed', 'sync#2:initialized', 'pack#1:initialized'],
    })
  })
})
