/**
 * WCP-12 Multiple Instances without Synchronization.
 * Within one case, several instances of a task are created; they run
 * independently and concurrently, nothing requires them to be synchronized
 * when they complete, and the thread of control that created them passes on
 * at once. tasknet: the instances are the work items of one generation of the
 * multiple-instance task `instances`, which sits on a parallel branch of its
 * own: `spawn` AND-splits into `instances` (its `onEnabled` reads the number
 * recorded as case data by the workflow's initialize action and offers that
 * many work items; `instancePolicy.all()` completes it once every one is
 * final) and `carryOn`, the thread that goes on at once. No task waits for the
 * instances, but the case ends only through its end condition (no implicit
 * termination, WCP-11; see docs/patterns.md), so `finish` AND-joins the two
 * branches: that is where the case ends, not a synchronization of the
 * instances with the thread. Net: `multipleInstancesWithoutSynchronizationWorkflow`
 * (src/workflows/patternsMi.ts, convex/patterns/multipleInstancesWithoutSynchronization.ts).
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.multipleInstancesWithoutSynchronization
const tasks = (over: Record<string, string> = {}) => ({ spawn: 'completed', instances: 'enabled', carryOn: 'enabled', finish: 'disabled', ...over })
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  spawn__to__instances: 1,
  spawn__to__carryOn: 1,
  instancesDone: 0,
  carriedOn: 0,
  end: 0,
  ...over,
})
/** spawn's work item, the instances' in creation order, then `rest`. */
const workItems = (states: string[], ...rest: string[]) => ['spawn#1:completed', ...states.map((s) => `instances#1:${s}`), ...rest]

/** The case initialized with `count` instances, and `spawn` run. */
async function spawned(count: number) {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize({ count })
  await wf.run('spawn')
  return { t, wf, inst: instances(t, fns, wf, 'instances') }
}

describe('WCP-12 multiple instances without synchronization', () => {
  it.each([1, 3])('creates as many instances as the case data says, and passes the thread of control on at once: %i instance(s)', async (count) => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize({ count })
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: tasks({ spawn: 'enabled', instances: 'disabled', carryOn: 'disabled' }),
      marking: marking({ start: 1, spawn__to__instances: 0, spawn__to__carryOn: 0 }),
      workItems: ['spawn#1:initialized'],
    })
    await drain(t)

    await wf.run('spawn')
    expect(await drain(t)).toEqual(['instances.onEnabled', ...Array<string>(count).fill('instances.item.onInitialized')])
    // The instances are offered and the thread (`carryOn`) is enabled in the same step.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks(),
      marking: marking(),
      workItems: workItems(Array<string>(count).fill('initialized'), 'carryOn#1:initialized'),
    })
  })

  it('runs carryOn to completion while every instance is still open', async () => {
    const { wf, inst } = await spawned(3)
    await inst.act('start', 1)

    await wf.run('carryOn')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ instances: 'started', carryOn: 'completed' }),
      marking: marking({ spawn__to__instances: 0, spawn__to__carryOn: 0, carriedOn: 1 }),
      workItems: workItems(['initialized', 'started', 'initialized'], 'carryOn#1:completed'),
    })
  })

  it('lets each instance complete on its own: the marking is unchanged until all are final, then instances puts its one token', async () => {
    const { t, wf, inst } = await spawned(3)
    await wf.run('carryOn')
    for (const i of [0, 1, 2]) await inst.act('start', i)
    const running = (states: string[]) => ({
      workflow: 'started',
      tasks: tasks({ instances: 'started', carryOn: 'completed' }),
      marking: marking({ spawn__to__instances: 0, spawn__to__carryOn: 0, carriedOn: 1 }),
      workItems: workItems(states, 'carryOn#1:completed'),
    })
    expect(await wf.snapshot()).toEqual(running(['started', 'started', 'started']))
    await drain(t)

    await inst.act('complete', 2)
    expect(await drain(t)).toEqual([
      'instances.item.onCompleted',
      'instances.onWorkItemStateChanged(started→completed)',
      'instances.policy(started→completed): continue',
    ])
    expect(await wf.snapshot()).toEqual(running(['started', 'started', 'completed']))

    await inst.act('complete', 0)
    expect(await wf.snapshot()).toEqual(running(['completed', 'started', 'completed']))
    await drain(t)

    await inst.act('complete', 1)
    expect(await drain(t)).toEqual([
      'instances.item.onCompleted',
      'instances.onWorkItemStateChanged(started→completed)',
      'instances.policy(started→completed): complete',
      'instances.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ instances: 'completed', carryOn: 'completed', finish: 'enabled' }),
      marking: marking({ spawn__to__instances: 0, spawn__to__carryOn: 0, carriedOn: 1, instancesDone: 1 }),
      workItems: workItems(['completed', 'completed', 'completed'], 'carryOn#1:completed', 'finish#1:initialized'),
    })
  })

  it('ends the case only through its end condition: finish waits for the instances branch as well as for the thread', async () => {
    const { wf, inst } = await spawned(2)
    await wf.run('carryOn')
    for (const i of [0, 1]) await inst.act('start', i)
    await inst.act('complete', 0)
    // The thread has finished, an instance is still running: the case goes on.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ instances: 'started', carryOn: 'completed' }),
      marking: marking({ spawn__to__instances: 0, spawn__to__carryOn: 0, carriedOn: 1 }),
      workItems: workItems(['completed', 'started'], 'carryOn#1:completed'),
    })

    await inst.act('complete', 1)
    await wf.run('finish')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ instances: 'completed', carryOn: 'completed', finish: 'completed' }),
      marking: marking({ spawn__to__instances: 0, spawn__to__carryOn: 0, end: 1 }),
      workItems: workItems(['completed', 'completed'], 'carryOn#1:completed', 'finish#1:completed'),
    })
  })

  it('takes another instance while it runs (initializeWorkItem), and completes only once that one is final too', async () => {
    const { wf, inst } = await spawned(2)
    await inst.act('start', 0)
    await inst.add()
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ instances: 'started' }),
      marking: marking({ spawn__to__instances: 0 }),
      workItems: [...workItems(['started', 'initialized'], 'carryOn#1:initialized'), 'instances#1:initialized'],
    })

    await inst.act('complete', 0)
    await inst.act('start', 1)
    await inst.act('complete', 1)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ instances: 'started' }),
      marking: marking({ spawn__to__instances: 0 }),
      workItems: [...workItems(['completed', 'completed'], 'carryOn#1:initialized'), 'instances#1:initialized'],
    })

    await inst.act('start', 2)
    await inst.act('complete', 2)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ instances: 'completed' }),
      marking: marking({ spawn__to__instances: 0, instancesDone: 1 }),
      workItems: [...workItems(['completed', 'completed'], 'carryOn#1:initialized'), 'instances#1:completed'],
    })
  })

  it('cancels the open instances when the workflow is canceled (teardown, no policy asked), and leaves the completed one alone', async () => {
    const { t, wf, inst } = await spawned(3)
    await wf.run('carryOn')
    await inst.act('start', 0)
    await inst.act('start', 1)
    await inst.act('complete', 1)
    await drain(t)

    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await drain(t)).toEqual([
      'instances.item.onCanceled',
      'instances.onWorkItemStateChanged(initialized→canceled)',
      'instances.item.onCanceled',
      'instances.onWorkItemStateChanged(started→canceled)',
      'instances.onCanceled',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'canceled',
      tasks: tasks({ instances: 'canceled', carryOn: 'completed' }),
      marking: marking({ spawn__to__instances: 0, spawn__to__carryOn: 0, carriedOn: 1 }),
      workItems: workItems(['canceled', 'completed', 'canceled'], 'carryOn#1:completed'),
    })
  })
})
