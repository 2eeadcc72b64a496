import { beforeAll, describe, expect, it } from 'vitest'
import { sequential } from '../../src/workflows/synthetic'
import { backend } from '../support/harness'
import { documents, stepper, type StepCost } from '../support/stepCost'

/**
 * The cost budgets of one engine step (the step-cost issue): a step reads and
 * writes only the documents it needs, so its cost does not grow with the size
 * of the net. Figures come from Convex's transaction metrics, as convex-test
 * implements them (there a `db.patch` also counts as a document read).
 */
// The journal (one `tasknet_events` document per step and workflow) moved each write budget by one
// and no read budget: a step reads its workflow's newest event instead of the workflow's document.
const startBudget = { documentsRead: 8, documentsWritten: 5 }
/** `completeWorkItem` that enables the next task, whose `onEnabled` initializes one work item. */
const completeEnablingNextBudget = { documentsRead: 14, documentsWritten: 9 }

const positions = ['first', 'middle', 'penultimate'] as const
type Position = (typeof positions)[number]

type Profile = {
  initialize: StepCost
  /** `startWorkItem` of the task at each position. */
  start: Record<Position, StepCost>
  /** `completeWorkItem` of the task at each position, which enables the task after it. */
  complete: Record<Position, StepCost>
}

/**
 * Runs a sequential net of `n` tasks from start to end and keeps the costs of
 * the steps at the first task, the middle one and the one before the last
 * (whose completion still enables a next task).
 */
async function profile(n: number): Promise<Profile> {
  const wf = stepper(backend({ journal: false }), sequential(n))
  const at = new Map<number, Position>([
    [1, 'first'],
    [Math.ceil(n / 2), 'middle'],
    [n - 1, 'penultimate'],
  ])
  const initialize = await wf.initialize()
  const start = {} as Record<Position, StepCost>
  const complete = {} as Record<Position, StepCost>
  for (let k = 1; k <= n; k++) {
    const task = `t${k}`
    const started = await wf.start(task)
    const completed = await wf.complete(task)
    const position = at.get(k)
    if (!position) continue
    start[position] = started
    complete[position] = completed
    // The measured completion did enable the next task and offer its work item.
    expect((await wf.workItemOf(`t${k + 1}`)).state, `after completing ${task}`).toBe('initialized')
  }
  return { initialize, start, complete }
}

describe('step budgets on a sequential net', () => {
  const profiles = new Map<number, Profile>()
  const of = (n: number) => profiles.get(n)!

  beforeAll(async () => {
    for (const n of [10, 500]) profiles.set(n, await profile(n))
  }, 120_000)

  it('initializing a root workflow writes as many documents for 500 tasks as for 10', () => {
    expect(of(10).initialize.documentsWritten).toBeGreaterThan(0)
    expect(of(500).initialize.documentsWritten).toBe(of(10).initialize.documentsWritten)
  })

  it.each(positions)('startWorkItem of the %s task of 500 reads at most 8 documents and writes at most 5', (position) => {
    const cost = of(500).start[position]
    expect(cost.documentsWritten).toBeGreaterThan(0)
    expect(cost.documentsRead).toBeLessThanOrEqual(startBudget.documentsRead)
    expect(cost.documentsWritten).toBeLessThanOrEqual(startBudget.documentsWritten)
  })

  it.each(positions)(
    'completeWorkItem of the %s task of 500, enabling the next, reads at most 14 documents and writes at most 9',
    (position) => {
      const cost = of(500).complete[position]
      expect(cost.documentsWritten).toBeGreaterThan(0)
      expect(cost.documentsRead).toBeLessThanOrEqual(completeEnablingNextBudget.documentsRead)
      expect(cost.documentsWritten).toBeLessThanOrEqual(completeEnablingNextBudget.documentsWritten)
    },
  )

  it.each(positions)('startWorkItem and completeWorkItem of the %s task cost the same for 500 tasks as for 10', (position) => {
    expect(documents(of(500).start[position])).toEqual(documents(of(10).start[position]))
    expect(documents(of(500).complete[position])).toEqual(documents(of(10).complete[position]))
  })
})
