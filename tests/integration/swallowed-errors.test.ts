import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Faults, faultMessage } from '../../src/domain/faults'
import { dumpTables } from '../support/dump'
import { backend, driver, errorOf } from '../support/harness'

/**
 * A failed engine call made from a callback fails the step, whatever the callback does with the
 * error (issue 10): the mutation rejects with that error and no table changes. Workflow:
 * src/workflows/swallowing.ts, whose callbacks catch and drop the errors of the engine functions.
 */

const fns = internal.examples.swallowing

async function sortStarted() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await wf.start('sort')
  return { t, wf }
}

describe('an error the callback swallows still fails the step', () => {
  it('a complete action that swallows the INVALID_ROUTE of its own workItem.complete(): the mutation rejects with it, nothing changes', async () => {
    const { t, wf } = await sortStarted()
    const before = await dumpTables(t)

    const error = await errorOf(wf.complete('sort', { choice: 'stray' }))
    expect(error.code).toBe('INVALID_ROUTE')
    expect(error.message).toContain("route.toTask('nowhere')")
    expect(await dumpTables(t)).toEqual(before)
  })

  it('the same action with a legal choice completes the task (control)', async () => {
    const { wf } = await sortStarted()
    await wf.complete('sort', { choice: 'keep' })
    expect(await wf.tasks()).toMatchObject({ sort: 'completed', archive: 'enabled' })
  })

  it("an onEnabled that swallows its child initializer's error (the child's onInitialized throws): the mutation rejects with that error", async () => {
    const { t, wf } = await sortStarted()
    await t.run((ctx) => Faults.arm(ctx, 'swallowedChild.onInitialized'))
    const before = await dumpTables(t)

    await expect(wf.complete('sort', { choice: 'pack' })).rejects.toThrow(faultMessage('swallowedChild.onInitialized'))
    expect(await dumpTables(t)).toEqual(before)
  })

  it('the same step without the fault starts the child (control)', async () => {
    const { t, wf } = await sortStarted()
    await wf.complete('sort', { choice: 'pack' })
    expect(await t.query(fns.getChildWorkflows, { workflowId: wf.workflowId, taskName: 'pack' })).toMatchObject([
      { name: 'swallowedChild', state: 'initialized' },
    ])
  })

  it(
    "a cancel action that swallows the error of workflow.cancel() (a task's onCanceled throws): the mutation rejects with it",
    async () => {
      const { t, wf } = await sortStarted()
      await t.run((ctx) => Faults.arm(ctx, 'sort.onCanceled'))
      const before = await dumpTables(t)

      await expect(t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId })).rejects.toThrow(
        faultMessage('sort.onCanceled'),
      )
      expect(await dumpTables(t)).toEqual(before)
    },
  )
})
