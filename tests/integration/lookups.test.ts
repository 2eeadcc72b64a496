import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { getChildWorkflows, getMarking, getWorkflow, getWorkflowTaskStates, getWorkItems, workflowHandlers } from '../../src'
import { fulfilmentWorkflow } from '../../src/workflows/composite'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { dumpTables } from '../support/dump'
import { backend, driver, errorOf, type Backend } from '../support/harness'

/**
 * Names and ids a caller gives are looked up strictly (issue 10): a name that is an
 * `Object.prototype` key is no task or child workflow, an id of another table or of another
 * definition's workflow is `NOT_FOUND`, and the refusal changes nothing.
 */

const prototypeKeys = ['constructor', 'toString', '__proto__', 'hasOwnProperty']
const sequence = internal.examples.sequence
const fulfilment = internal.examples.fulfilment

/** `attempt`'s error, checking that no table changed. */
async function refused(t: Backend, attempt: () => Promise<unknown>) {
  const before = await dumpTables(t)
  const error = await errorOf(attempt())
  expect(await dumpTables(t)).toEqual(before)
  return error
}

async function fulfilmentStarted() {
  const t = backend()
  const wf = driver(t, fulfilment)
  await wf.initialize()
  return { t, wf }
}

describe('a name that is an Object.prototype key is no task, work item or child workflow', () => {
  it.each(prototypeKeys)('%s', async (key) => {
    const { t, wf } = await fulfilmentStarted()
    const workflowId = wf.workflowId
    const target = { workflowId, taskName: key as never }

    expect(
      await refused(t, () => t.mutation(fulfilment.internalInitializeWorkItem, { target, args: { name: 'ship' } as never })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: `Workflow 'fulfilment' has no task '${key}'.`,
    })
    expect(
      await refused(t, () => t.mutation(fulfilment.internalInitializeWorkflow, { target, args: { name: 'packing' } as never })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    })
    const pack = { workflowId, taskName: 'pack' as const }
    expect(
      await refused(t, () => t.mutation(fulfilment.internalInitializeWorkflow, { target: pack, args: { name: key } as never })),
    ).toMatchObject({
      code: 'NAME_MISMATCH',
      message: `Task 'pack' starts 'packing' workflows, not '${key}'.`,
    })
    expect(await errorOf(t.query(fulfilment.getWorkItems, { workflowId, taskName: key as never }))).toMatchObject({
      code: 'NOT_FOUND',
    })
    expect(await errorOf(t.query(fulfilment.getChildWorkflows, { workflowId, taskName: key as never }))).toMatchObject({
      code: 'NOT_FOUND',
    })
  })

  it.each(prototypeKeys)('a work item initialized under the name %s is NAME_MISMATCH', async (key) => {
    const t = backend()
    const wf = driver(t, sequence)
    await wf.initialize()
    const target = { workflowId: wf.workflowId, taskName: 'register' as const }
    expect(
      await refused(t, () => t.mutation(sequence.internalInitializeWorkItem, { target, args: { name: key } as never })),
    ).toMatchObject({
      code: 'NAME_MISMATCH',
    })
  })
})

describe("an id of another definition's workflow is NOT_FOUND before its name is compared", () => {
  it('a work item of a parallel workflow, given to the sequence functions under a wrong name, is NOT_FOUND and its name is not told', async () => {
    const t = backend()
    const parallel = driver(t, internal.examples.parallel)
    await parallel.initialize()
    const pick = await parallel.workItemOf('pick')

    const error = await refused(t, () =>
      t.mutation(sequence.internalStartWorkItem, { workItemId: pick._id as never, args: { name: 'register' } as never }),
    )
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toContain(pick._id)
    expect(error.message).not.toContain("'pick'")
  })

  it('a child workflow of another hierarchy, given to cancelWorkflow under a wrong name, is NOT_FOUND', async () => {
    const { t, wf } = await fulfilmentStarted()
    const [packing] = await t.query(fulfilment.getChildWorkflows, { workflowId: wf.workflowId, taskName: 'pack' })
    const other = internal.examples.documentReview

    const error = await refused(t, () =>
      t.mutation(other.internalCancelWorkflow, { workflowId: packing!._id, args: { name: 'ndaReview' } as never }),
    )
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toContain(packing!._id)
  })
})

describe('an id of another table is NOT_FOUND, naming the id and the table expected', () => {
  async function sequenceWithWorkItem() {
    const t = backend()
    const wf = driver(t, sequence)
    await wf.initialize()
    return { t, workflowId: wf.workflowId, workItemId: (await wf.workItemOf('register'))._id as never }
  }

  it('the read helpers refuse a work item id as a workflow id', async () => {
    const { t, workItemId } = await sequenceWithWorkItem()
    const definition = sequenceWorkflow.build()
    const reads: Array<(db: never) => Promise<unknown>> = [
      (db: never) => getWorkflow(db, definition, workItemId),
      (db: never) => getWorkflowTaskStates(db, definition, workItemId),
      (db: never) => getWorkItems(db, definition, workItemId),
      (db: never) => getMarking(db, definition, workItemId),
      (db: never) => getChildWorkflows(db, fulfilmentWorkflow.build(), workItemId, 'pack'),
    ]
    for (const read of reads) {
      expect(await errorOf(t.run((ctx) => read(ctx.db as never)))).toEqual({
        code: 'NOT_FOUND',
        message: `No workflow with id ${workItemId}: it is not an id of table 'tasknet_workflows'.`,
      })
    }
  })

  it('the handlers refuse a workflow id as a work item id, and a work item id as a workflow id', async () => {
    const { t, workflowId, workItemId } = await sequenceWithWorkItem()
    const handlers = workflowHandlers(sequenceWorkflow).internal

    const asWorkItem = await refused(t, () =>
      t.run((ctx) => handlers.startWorkItem(ctx as never, { workItemId: workflowId as never, args: { name: 'register' } })),
    )
    expect(asWorkItem).toEqual({
      code: 'NOT_FOUND',
      message: `No work item with id ${workflowId}: it is not an id of table 'tasknet_workItems'.`,
    })
    const asWorkflow = await refused(t, () =>
      t.run((ctx) => handlers.cancelRootWorkflow(ctx as never, { workflowId: workItemId })),
    )
    expect(asWorkflow).toEqual({
      code: 'NOT_FOUND',
      message: `No workflow with id ${workItemId}: it is not an id of table 'tasknet_workflows'.`,
    })
  })

  it('the generated functions refuse it already in their argument validators', async () => {
    const { t, workItemId } = await sequenceWithWorkItem()
    await expect(t.query(sequence.getWorkflow, { workflowId: workItemId })).rejects.toThrow(/tasknet_workflows/)
  })
})
