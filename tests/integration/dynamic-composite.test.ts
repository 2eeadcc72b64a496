import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { backend, errorOf } from '../support/harness'

/**
 * A dynamic composite task through the generated functions: `review` starts
 * child workflows of two types, a contract review and an NDA review
 * (src/workflows/documentReview.ts). The children's work items are driven
 * through the root's functions with the child's id; the task's policy and
 * `getStats()` count every child of the generation, whatever its type.
 */

const fns = internal.examples.documentReview

async function documentReview() {
  const t = backend()
  const root = await t.mutation(fns.internalInitializeRootWorkflow, {})
  const read = {
    children: () => t.query(fns.getChildWorkflows, { workflowId: root, taskName: 'review' }),
    tasks: () => t.query(fns.getWorkflowTaskStates, { workflowId: root }),
    workflow: (workflowId: typeof root) => t.query(fns.getWorkflow, { workflowId }),
    log: () => t.run((ctx) => ActivityLog.drain(ctx)),
  }
  /** Starts and completes the one work item of `taskName` in child `workflowId`. */
  const run = async (workflowId: typeof root, taskName: 'checkClauses' | 'countersign') => {
    const [item] = await t.query(fns.getWorkItems, { workflowId, taskName })
    await t.mutation(fns.internalStartWorkItem, { workItemId: item!._id, args: { name: taskName } })
    await t.mutation(fns.internalCompleteWorkItem, { workItemId: item!._id, args: { name: taskName } })
  }
  return { t, root, read, run }
}

describe('a dynamic composite task with two child types', () => {
  it('starts one child of each type, with the payload its type declares', async () => {
    const { read } = await documentReview()
    const children = await read.children()
    expect(children.map(({ name, state, generation }) => ({ name, state, generation }))).toEqual([
      { name: 'contractReview', state: 'initialized', generation: 1 },
      { name: 'ndaReview', state: 'initialized', generation: 1 },
    ])
    expect(await read.workflow(children[0]!._id)).toMatchObject({ parent: { taskName: 'review', taskGeneration: 1 } })
    expect(await read.log()).toEqual(['contractReview initialized: Master services agreement'])
    expect(await read.tasks()).toEqual({ review: 'enabled', archive: 'disabled' })
  })

  it('starts with its first child, counts both types in its stats, and completes when both are final', async () => {
    const { read, run } = await documentReview()
    const [contract, nda] = await read.children()
    await read.log()

    await run(nda!._id, 'countersign')
    expect(await read.tasks()).toEqual({ review: 'started', archive: 'disabled' })
    expect(await read.log()).toEqual([
      'review saw ndaReview initialized → started',
      'review saw ndaReview started → completed',
      'review policy on ndaReview completed: 1 completed, 1 open, 0 failed or canceled, 2 in all',
    ])

    await run(contract!._id, 'checkClauses')
    expect(await read.log()).toEqual([
      'review saw contractReview initialized → started',
      'review saw contractReview started → completed',
      'review policy on contractReview completed: 2 completed, 0 open, 0 failed or canceled, 2 in all',
    ])
    expect(await read.tasks()).toEqual({ review: 'completed', archive: 'enabled' })
    expect((await read.children()).map((c) => c.state)).toEqual(['completed', 'completed'])
  })

  it('initializeWorkflow starts a child of the type it names, checked by that type’s schema; the task waits for it too', async () => {
    const { t, root, read, run } = await documentReview()
    const [contract, nda] = await read.children()
    const second = await t.mutation(fns.internalInitializeWorkflow, {
      target: { workflowId: root, taskName: 'review' },
      args: { name: 'contractReview', payload: { title: 'Data processing addendum' } },
    })
    expect((await read.children()).map((c) => c.name)).toEqual(['contractReview', 'ndaReview', 'contractReview'])
    expect((await read.log()).at(-1)).toBe('contractReview initialized: Data processing addendum')

    await run(contract!._id, 'checkClauses')
    await run(nda!._id, 'countersign')
    expect(await read.tasks()).toEqual({ review: 'started', archive: 'disabled' })
    await run(second, 'checkClauses')
    expect(await read.tasks()).toEqual({ review: 'completed', archive: 'enabled' })
  })

  it('refuses a payload that fails the named type’s schema, a type the task does not start, and the root’s name, changing nothing', async () => {
    const { t, root, read } = await documentReview()
    const before = { children: await read.children(), tasks: await read.tasks() }
    const initialize = (args: unknown) =>
      errorOf(t.mutation(fns.internalInitializeWorkflow, { target: { workflowId: root, taskName: 'review' }, args: args as never }))

    expect(await initialize({ name: 'contractReview', payload: { title: '' } })).toMatchObject({ code: 'INVALID_PAYLOAD' })
    expect(await initialize({ name: 'contractReview' })).toMatchObject({ code: 'INVALID_PAYLOAD' })
    expect(await initialize({ name: 'packing' })).toMatchObject({
      code: 'NAME_MISMATCH',
      message: "Task 'review' starts 'contractReview', 'ndaReview' workflows, not 'packing'.",
    })
    expect(await initialize({ name: 'documentReview' })).toMatchObject({ code: 'NAME_MISMATCH' })
    expect({ children: await read.children(), tasks: await read.tasks() }).toEqual(before)
  })

  it('a failed child of either type fails the task by default, and the root with it; the other child is canceled', async () => {
    const { t, root, read } = await documentReview()
    const [contract, nda] = await read.children()
    const [item] = await t.query(fns.getWorkItems, { workflowId: nda!._id, taskName: 'countersign' })
    await t.mutation(fns.internalStartWorkItem, { workItemId: item!._id, args: { name: 'countersign' } })
    await t.mutation(fns.internalFailWorkItem, { workItemId: item!._id, args: { name: 'countersign' } })
    expect((await read.children()).map((c) => c.state)).toEqual(['canceled', 'failed'])
    expect(await read.tasks()).toEqual({ review: 'failed', archive: 'disabled' })
    expect((await read.workflow(root)).state).toBe('failed')
    expect((await read.workflow(contract!._id)).state).toBe('canceled')
  })
})
