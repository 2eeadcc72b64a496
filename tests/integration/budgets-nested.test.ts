import { beforeAll, describe, expect, it } from 'vitest'
import { getChildWorkflows, type WorkflowId } from '../../src'
import { nested, sequential } from '../../src/workflows/synthetic'
import { backend } from '../support/harness'
import { documents, stepper, type StepCost } from '../support/stepCost'

/**
 * Cost stays local in a hierarchy (issue 5 §5): a step inside a child workflow
 * reads and writes what the same step in a root does, however deep the child
 * and however many siblings it has, and a child that finishes its parent's
 * task costs its own completion plus its parent task's. The nets are
 * `nested(depth, children)`: the leaf runs `first` then `second`, like the
 * root net `sequential(2)` (`t1` then `t2`), which gives the figures to match.
 */

type Steps = { completeFirst: StepCost; startSecond: StepCost; completeSecond: StepCost }

/** Runs the first leaf of `nested(depth, children)` to its end and keeps the costs of its steps. */
async function leafSteps(depth: number, children: number): Promise<Steps> {
  const definition = nested(depth, children)
  const t = backend({ journal: false })
  const wf = stepper(t, definition)
  await wf.initialize()
  let leaf: WorkflowId = wf.workflowId
  for (let level = 0; level < depth; level++) {
    const parent = leaf
    leaf = (await t.run((ctx) => getChildWorkflows(ctx.db, definition, parent, 'work')))[0]!._id
  }
  await wf.start('first', leaf)
  const completeFirst = await wf.complete('first', undefined, leaf)
  const startSecond = await wf.start('second', leaf)
  const completeSecond = await wf.complete('second', undefined, leaf)
  return { completeFirst, startSecond, completeSecond }
}

/** The same steps in a root workflow: `t1` completes (enabling `t2`), `t2` starts, `t2` completes the workflow. */
async function rootSteps(): Promise<Steps> {
  const wf = stepper(backend({ journal: false }), sequential(2))
  await wf.initialize()
  await wf.start('t1')
  const completeFirst = await wf.complete('t1')
  const startSecond = await wf.start('t2')
  const completeSecond = await wf.complete('t2')
  return { completeFirst, startSecond, completeSecond }
}

describe('step budgets in nested workflows', () => {
  let root: Steps
  const leaves = new Map<string, Steps>()
  const leaf = (depth: number, children: number) => leaves.get(`${depth}/${children}`)!

  beforeAll(async () => {
    root = await rootSteps()
    for (const [depth, children] of [[1, 1], [3, 1], [5, 1], [1, 10], [1, 100]] as const) {
      leaves.set(`${depth}/${children}`, await leafSteps(depth, children))
    }
  }, 120_000)

  it.each([1, 3, 5])('a completion and a start inside a child at depth %i cost what they cost in a root', (depth) => {
    expect(documents(leaf(depth, 1).completeFirst)).toEqual(documents(root.completeFirst))
    expect(documents(leaf(depth, 1).startSecond)).toEqual(documents(root.startSecond))
  })

  it.each([10, 100])('a child among %i siblings costs the same inside, and the same to end while its siblings run', (children) => {
    expect(documents(leaf(1, children).completeFirst)).toEqual(documents(root.completeFirst))
    expect(documents(leaf(1, children).startSecond)).toEqual(documents(root.startSecond))
    expect(documents(leaf(1, children).completeSecond)).toEqual(documents(leaf(1, 10).completeSecond))
  })

  it('a child that finishes its parent task costs its own end plus, per level above it, the same task exit, at most a root end', () => {
    const end = (depth: number) => documents(leaf(depth, 1).completeSecond)
    // Two levels more cost the same whether they are levels 2–3 or 4–5: nothing walks the hierarchy.
    const twoLevels = { documentsRead: end(3).documentsRead - end(1).documentsRead, documentsWritten: end(3).documentsWritten - end(1).documentsWritten }
    expect({ documentsRead: end(5).documentsRead - end(3).documentsRead, documentsWritten: end(5).documentsWritten - end(3).documentsWritten }).toEqual(twoLevels)
    // One level is a composite task's exit that ends its workflow: no more than ending a root from its last task.
    expect(twoLevels.documentsRead / 2).toBeGreaterThan(0)
    expect(twoLevels.documentsRead / 2).toBeLessThanOrEqual(root.completeSecond.documentsRead)
    expect(twoLevels.documentsWritten / 2).toBeLessThanOrEqual(root.completeSecond.documentsWritten)
    // At depth 1: the child's own end plus its parent task's exit.
    expect(end(1).documentsRead).toBeLessThanOrEqual(root.completeSecond.documentsRead * 2)
    expect(end(1).documentsWritten).toBeLessThanOrEqual(root.completeSecond.documentsWritten * 2)
    expect(end(1).documentsWritten).toBeGreaterThan(root.completeSecond.documentsWritten)
  })
})
