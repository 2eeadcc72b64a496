/**
 * WCP-22 Recursion: a task may invoke its own workflow as its implementation,
 * down to a case that does not recurse. In tasknet the task is a composite
 * task whose child is the workflow it belongs to, referenced lazily
 * (`Builder.compositeTask((): AnyWorkflowBuilder => assemblyWorkflow)`). Net:
 * `assemblyWorkflow` (src/workflows/patternsRecursion.ts,
 * convex/patterns/recursion.ts): `plan` decides 'decompose' (then
 * `subassemble` starts one assembly child of the same definition) or 'make'
 * (then `make` builds the part); either way the level ends. Every level is
 * driven through the root's functions with its own workflow id.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { backend, errorOf, type Backend } from '../support/harness'

const fns = internal.patterns.recursion
type WorkflowId = Id<'tasknet_workflows'>
type TaskName = 'plan' | 'subassemble' | 'make'

const PLANNING = { plan: 'enabled', subassemble: 'disabled', make: 'disabled' }
const DECOMPOSED = { plan: 'completed', subassemble: 'enabled', make: 'disabled' }
const EMPTY = { start: 0, end: 0, plan__to__subassemble: 0, plan__to__make: 0 }

/** One level of the recursion: its state, tasks, marking and work items (`task#generation:state`). */
async function levelOf(t: Backend, workflowId: WorkflowId) {
  const items = await t.query(fns.getWorkItems, { workflowId })
  return {
    workflow: (await t.query(fns.getWorkflow, { workflowId })).state,
    tasks: await t.query(fns.getWorkflowTaskStates, { workflowId }),
    marking: await t.query(fns.getMarking, { workflowId }),
    workItems: items.map((w) => `${w.taskName}#${w.generation}:${w.state}`),
  }
}

async function assembly() {
  const t = backend()
  const root = await t.mutation(fns.internalInitializeRootWorkflow, {})
  const act = async (action: 'start' | 'complete' | 'fail', workflowId: WorkflowId, taskName: TaskName, payload?: unknown) => {
    const item = (await t.query(fns.getWorkItems, { workflowId, taskName })).at(-1)!
    const fn = { start: fns.internalStartWorkItem, complete: fns.internalCompleteWorkItem, fail: fns.internalFailWorkItem }[action]
    await t.mutation(fn, { workItemId: item._id, args: { name: taskName, ...(payload ? { payload } : {}) } as never })
  }
  const plan = async (workflowId: WorkflowId, choice: 'decompose' | 'make') => {
    await act('start', workflowId, 'plan')
    await act('complete', workflowId, 'plan', { choice })
  }
  /** The one child `subassemble` started in `workflowId`. */
  const childOf = async (workflowId: WorkflowId) => {
    const children = await t.query(fns.getChildWorkflows, { workflowId, taskName: 'subassemble' })
    expect(children).toHaveLength(1)
    return children[0]!._id
  }
  /** root decomposes, the child decomposes: three levels, the grandchild planning. */
  const threeLevels = async () => {
    await plan(root, 'decompose')
    const child = await childOf(root)
    await plan(child, 'decompose')
    const grandchild = await childOf(child)
    return { child, grandchild }
  }
  const level = (workflowId: WorkflowId) => levelOf(t, workflowId)
  return { t, root, act, plan, childOf, threeLevels, level }
}

describe('WCP-22 recursion', () => {
  it('a composite task starts a child workflow of the same definition as its parent', async () => {
    const { t, root, plan, childOf, level } = await assembly()
    await plan(root, 'decompose')
    expect(await level(root)).toEqual({ workflow: 'started', tasks: DECOMPOSED, marking: { ...EMPTY, plan__to__subassemble: 1 }, workItems: ['plan#1:completed'] })
    const child = await childOf(root)
    expect(await t.query(fns.getWorkflow, { workflowId: child })).toEqual({
      _id: child,
      name: 'assembly',
      state: 'initialized',
      parent: { workflowId: root, taskName: 'subassemble', taskGeneration: 1 },
    })
    expect(await level(child)).toEqual({ workflow: 'initialized', tasks: PLANNING, marking: { ...EMPTY, start: 1 }, workItems: ['plan#1:initialized'] })
  })

  it('stops at a level that makes its part, and each level completes its parent task in turn, up to the root', async () => {
    const { root, act, plan, threeLevels, level } = await assembly()
    const { child, grandchild } = await threeLevels()
    // subassemble starts with its child's first task: the child's plan started the root's; the
    // grandchild has not started, so the child's subassemble is still only enabled.
    expect((await level(child)).tasks).toEqual(DECOMPOSED)
    expect((await level(root)).tasks).toEqual({ ...DECOMPOSED, subassemble: 'started' })

    await plan(grandchild, 'make')
    expect(await level(grandchild)).toEqual({
      workflow: 'started',
      tasks: { plan: 'completed', subassemble: 'disabled', make: 'enabled' },
      marking: { ...EMPTY, plan__to__make: 1 },
      workItems: ['plan#1:completed', 'make#1:initialized'],
    })
    // The grandchild's first start started the child's subassemble.
    expect((await level(child)).tasks).toEqual({ ...DECOMPOSED, subassemble: 'started' })
    expect((await level(root)).tasks).toEqual({ ...DECOMPOSED, subassemble: 'started' })

    await act('start', grandchild, 'make')
    await act('complete', grandchild, 'make')
    const ended = { plan: 'completed', subassemble: 'completed', make: 'disabled' }
    expect(await level(grandchild)).toEqual({
      workflow: 'completed',
      tasks: { plan: 'completed', subassemble: 'disabled', make: 'completed' },
      marking: { ...EMPTY, end: 1 },
      workItems: ['plan#1:completed', 'make#1:completed'],
    })
    expect(await level(child)).toEqual({ workflow: 'completed', tasks: ended, marking: { ...EMPTY, end: 1 }, workItems: ['plan#1:completed'] })
    expect(await level(root)).toEqual({ workflow: 'completed', tasks: ended, marking: { ...EMPTY, end: 1 }, workItems: ['plan#1:completed'] })
  })

  it('a failure at the innermost level goes up through every level (no policy stops it)', async () => {
    const { root, act, plan, threeLevels, level } = await assembly()
    const { child, grandchild } = await threeLevels()
    await plan(grandchild, 'make')
    await act('start', grandchild, 'make')
    await act('fail', grandchild, 'make')
    const failed = { plan: 'completed', subassemble: 'failed', make: 'disabled' }
    expect((await level(grandchild)).workflow).toBe('failed')
    expect(await level(child)).toMatchObject({ workflow: 'failed', tasks: failed })
    expect(await level(root)).toMatchObject({ workflow: 'failed', tasks: failed })
  })

  it('canceling the root cancels every level top-down, and a canceled level takes no more work', async () => {
    const { t, root, act, plan, threeLevels, level } = await assembly()
    const { child, grandchild } = await threeLevels()
    await plan(grandchild, 'make')
    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: root })
    const canceled = { plan: 'completed', subassemble: 'canceled', make: 'disabled' }
    expect(await level(root)).toMatchObject({ workflow: 'canceled', tasks: canceled })
    expect(await level(child)).toMatchObject({ workflow: 'canceled', tasks: canceled })
    expect(await level(grandchild)).toEqual({
      workflow: 'canceled',
      tasks: { plan: 'completed', subassemble: 'disabled', make: 'canceled' },
      marking: { ...EMPTY, plan__to__make: 1 },
      workItems: ['plan#1:completed', 'make#1:canceled'],
    })
    expect((await errorOf(act('start', grandchild, 'make'))).code).toBe('INVALID_TRANSITION')
  })
})
