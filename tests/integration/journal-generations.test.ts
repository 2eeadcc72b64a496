import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { getEvents, type JournalChange } from '../../src'
import { loopWorkflow } from '../../src/workflows/basics'
import { backend, driver } from '../support/harness'

describe('journal: task generations', () => {
  it('records each enabling with the generation it begins, as the work item it offers and the start that follows', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.loop)
    const id = await wf.initialize()
    await wf.run('open')
    await wf.run('draft')
    await wf.run('check', { choice: 'again' })
    await wf.start('draft')
    const { events } = await t.run((ctx) => getEvents(ctx.db, loopWorkflow, id))
    const draft = events.flatMap((e) =>
      e.changes.filter((c): c is Extract<JournalChange, { kind: 'task' | 'workItem' }> => (c.kind === 'task' && c.task === 'draft') || (c.kind === 'workItem' && c.task === 'draft')),
    )
    expect(draft.map((c) => `${c.kind} ${c.generation} ${c.from ?? 'new'}→${c.to}`)).toEqual([
      'task 1 disabled→enabled',
      'workItem 1 new→initialized',
      'workItem 1 initialized→started',
      'task 1 enabled→started',
      'workItem 1 started→completed',
      'task 1 started→completed',
      'task 2 completed→enabled',
      'workItem 2 new→initialized',
      'workItem 2 initialized→started',
      'task 2 enabled→started',
    ])
  })
})
