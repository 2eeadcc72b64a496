import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, errorOf, type Backend } from '../support/harness'

/**
 * Composite tasks through the generated functions (docs/semantics.md#composite-tasks): the
 * child's work items are driven through the root's functions with the
 * child's ids. Nets: src/workflows/composite.ts.
 */

type Fns = typeof internal.examples.fulfilment

/** Reads and drives any workflow of one root's hierarchy through that root's functions. */
function hierarchy(t: Backend, fns: Fns) {
  const h = {
    workflow: (workflowId: any) => t.query(fns.getWorkflow, { workflowId }),
    tasks: (workflowId: any) => t.query(fns.getWorkflowTaskStates, { workflowId }) as Promise<Record<string, string>>,
    marking: (workflowId: any) => t.query(fns.getMarking, { workflowId }),
    children: (workflowId: any, taskName: string) => t.query(fns.getChildWorkflows, { workflowId, taskName: taskName as never }),
    async onlyChild(workflowId: any, taskName: string) {
      const children = await h.children(workflowId, taskName)
      expect(children).toHaveLength(1)
      return children[0]!._id
    },
    async act(action: 'start' | 'complete' | 'fail', workflowId: any, taskName: string) {
      const items = await t.query(fns.getWorkItems, { workflowId, taskName: taskName as never })
      const item = items.at(-1)!
      const fn = { start: fns.internalStartWorkItem, complete: fns.internalCompleteWorkItem, fail: fns.internalFailWorkItem }[action]
      await t.mutation(fn, { workItemId: item._id, args: { name: item.name } as never })
    },
    async run(workflowId: any, taskName: string) {
      await h.act('start', workflowId, taskName)
      await h.act('complete', workflowId, taskName)
    },
  }
  return h
}

/** The warehouse hierarchy, depth two: `run` starts a fulfilment child, whose `pack` starts a packing grandchild. */
async function warehouse() {
  const t = backend()
  const fns = internal.examples.warehouse as unknown as Fns
  const h = hierarchy(t, fns)
  const root = await t.mutation(fns.internalInitializeRootWorkflow, {})
  const child = await h.onlyChild(root, 'run')
  const grandchild = await h.onlyChild(child, 'pack')
  return { t, fns, h, root, child, grandchild }
}

async function fulfilment(fns: Fns = internal.examples.fulfilment) {
  const t = backend()
  const h = hierarchy(t, fns)
  const root = await t.mutation(fns.internalInitializeRootWorkflow, {})
  const child = await h.onlyChild(root, 'pack')
  return { t, h, root, child }
}

describe('a composite task whose child completes', () => {
  it('starts with its first child, completes with it, and the parent goes on', async () => {
    const { h, root, child } = await fulfilment()
    // Enabled: its onEnabled started one packing child, which offers pick.
    expect(await h.tasks(root)).toEqual({ pack: 'enabled', ship: 'disabled' })
    expect(await h.workflow(child)).toEqual({
      _id: child,
      name: 'packing',
      state: 'initialized',
      parent: { workflowId: root, taskName: 'pack', taskGeneration: 1 },
    })
    expect(await h.tasks(child)).toEqual({ pick: 'enabled', box: 'disabled' })

    // The child's first work item starts: the child starts, and so do pack and the root.
    await h.act('start', child, 'pick')
    expect((await h.workflow(child)).state).toBe('started')
    expect(await h.tasks(root)).toEqual({ pack: 'started', ship: 'disabled' })
    expect((await h.workflow(root)).state).toBe('started')
    expect(await h.marking(root)).toEqual({ start: 0, end: 0, pack__to__ship: 0 })

    await h.act('complete', child, 'pick')
    await h.run(child, 'box')
    // The child completed; pack's default policy completes pack, which enables ship.
    expect((await h.workflow(child)).state).toBe('completed')
    expect(await h.tasks(root)).toEqual({ pack: 'completed', ship: 'enabled' })
    expect(await h.marking(root)).toEqual({ start: 0, end: 0, pack__to__ship: 1 })

    await h.run(root, 'ship')
    expect((await h.workflow(root)).state).toBe('completed')
    expect(await h.children(root, 'pack')).toEqual([{ _id: child, name: 'packing', state: 'completed', generation: 1 }])
  })
})

describe('a child that fails', () => {
  it('fails its composite task by default, and the failure goes up to the root', async () => {
    const { h, root, child } = await fulfilment()
    await h.act('start', child, 'pick')
    await h.act('fail', child, 'pick')
    expect(await h.workflow(child)).toMatchObject({ state: 'failed' })
    expect(await h.tasks(child)).toEqual({ pick: 'failed', box: 'disabled' })
    expect(await h.tasks(root)).toEqual({ pack: 'failed', ship: 'disabled' })
    expect((await h.workflow(root)).state).toBe('failed')
  })

  it('in a grandchild, goes up through every level: each composite task fails with its child, then the root', async () => {
    const { h, root, child, grandchild } = await warehouse()
    await h.act('start', grandchild, 'pick')
    await h.act('fail', grandchild, 'pick')
    expect((await h.workflow(grandchild)).state).toBe('failed')
    expect(await h.tasks(child)).toEqual({ pack: 'failed', ship: 'disabled' })
    expect((await h.workflow(child)).state).toBe('failed')
    expect(await h.tasks(root)).toEqual({ run: 'failed' })
    expect((await h.workflow(root)).state).toBe('failed')
  })

  it('is stopped at the composite task by a policy that completes it instead', async () => {
    const { h, root, child } = await fulfilment(internal.examples.tolerantFulfilment as unknown as Fns)
    await h.act('start', child, 'pick')
    await h.act('fail', child, 'pick')
    expect((await h.workflow(child)).state).toBe('failed')
    expect(await h.tasks(root)).toEqual({ pack: 'completed', ship: 'enabled' })
    expect((await h.workflow(root)).state).toBe('started')
  })
})

describe('canceling', () => {
  it('a root with a started child and grandchild cancels them top-down', async () => {
    const { t, fns, h, root, child, grandchild } = await warehouse()
    await h.act('start', grandchild, 'pick')
    // The start rose through every level: each composite task started with its first child.
    expect((await h.workflow(grandchild)).state).toBe('started')
    expect(await h.tasks(child)).toEqual({ pack: 'started', ship: 'disabled' })
    expect(await h.tasks(root)).toEqual({ run: 'started' })

    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: root })
    expect((await h.workflow(root)).state).toBe('canceled')
    expect(await h.tasks(root)).toEqual({ run: 'canceled' })
    expect((await h.workflow(child)).state).toBe('canceled')
    expect(await h.tasks(child)).toEqual({ pack: 'canceled', ship: 'disabled' })
    expect((await h.workflow(grandchild)).state).toBe('canceled')
    expect(await h.tasks(grandchild)).toEqual({ pick: 'canceled', box: 'disabled' })
    const items = await t.query(fns.getWorkItems, { workflowId: grandchild })
    expect(items.map((w) => `${w.taskName}:${w.state}`)).toEqual(['pick:canceled'])
  })

  it('a child canceled by cancelWorkflow asks its composite task: the default completes it', async () => {
    const { t, h, root, child } = await fulfilment()
    await h.act('start', child, 'pick')
    await t.mutation(internal.examples.fulfilment.internalCancelWorkflow, { workflowId: child, args: { name: 'packing' } })
    expect((await h.workflow(child)).state).toBe('canceled')
    expect(await h.tasks(root)).toEqual({ pack: 'completed', ship: 'enabled' })
  })
})

describe('refusals', () => {
  it('a child is canceled with cancelWorkflow, a root with cancelRootWorkflow; names must match', async () => {
    const { t, h, root, child } = await fulfilment()
    const fns = internal.examples.fulfilment
    const before = await h.workflow(child)
    expect(await errorOf(t.mutation(fns.internalCancelRootWorkflow, { workflowId: child }))).toMatchObject({ code: 'INVALID_STATE' })
    // @ts-expect-error 'fulfilment' is the root, not a child workflow: refused on the server too
    expect(await errorOf(t.mutation(fns.internalCancelWorkflow, { workflowId: root, args: { name: 'fulfilment' } }))).toMatchObject({
      code: 'INVALID_STATE',
    })
    // @ts-expect-error there is no 'boxing' workflow: refused on the server too
    expect(await errorOf(t.mutation(fns.internalCancelWorkflow, { workflowId: child, args: { name: 'boxing' } }))).toMatchObject({
      code: 'NAME_MISMATCH',
    })
    expect(
      // @ts-expect-error there is no 'boxing' workflow: refused on the server too
      await errorOf(t.mutation(fns.internalInitializeWorkflow, { target: { workflowId: root, taskName: 'pack' }, args: { name: 'boxing' } })),
    ).toMatchObject({ code: 'NAME_MISMATCH' })
    expect(
      await errorOf(t.mutation(fns.internalInitializeWorkflow, { target: { workflowId: root, taskName: 'ship' }, args: { name: 'packing' } })),
    ).toMatchObject({ code: 'INVALID_STATE' })
    // A composite task does its work through children, never work items.
    expect(
      await errorOf(t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: root, taskName: 'pack' }, args: { name: 'pack' } as never })),
    ).toEqual({ code: 'INVALID_STATE', message: "Task 'pack' of workflow 'fulfilment' is a composite task and has no work items." })
    expect(await h.workflow(child)).toEqual(before)
  })

  it('initializeWorkflow starts another child of the same generation; the task completes when both are final', async () => {
    const { t, h, root, child } = await fulfilment()
    const second = await t.mutation(internal.examples.fulfilment.internalInitializeWorkflow, {
      target: { workflowId: root, taskName: 'pack' },
      args: { name: 'packing' },
    })
    expect((await h.children(root, 'pack')).map((c) => c._id)).toEqual([child, second])
    await h.run(child, 'pick')
    await h.run(child, 'box')
    // One child is still initialized: the default policy waits for it.
    expect(await h.tasks(root)).toEqual({ pack: 'started', ship: 'disabled' })
    await h.run(second, 'pick')
    await h.run(second, 'box')
    expect(await h.tasks(root)).toEqual({ pack: 'completed', ship: 'enabled' })
  })
})
