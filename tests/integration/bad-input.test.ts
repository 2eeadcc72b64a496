import { describe, expect, it } from 'vitest'
import { api, internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import schema from '../../convex/schema'
import { backend, driver, errorOf, type Backend } from '../support/harness'

type Driver = ReturnType<typeof driver>
type WorkItemId = Id<'tasknet_workItems'>

/** Every document of every table of the app, engine and domain alike. */
async function database(t: Backend) {
  return t.run(async (ctx) => {
    const dump: Record<string, unknown[]> = {}
    for (const table of Object.keys(schema.tables)) dump[table] = await ctx.db.query(table as keyof typeof schema.tables).collect()
    return dump
  })
}

/** Runs `attempt` (a refused call) and checks that the workflow and the database are exactly as before. */
async function unchanged<T>(t: Backend, wf: Driver, attempt: () => Promise<T>): Promise<T> {
  const before = { snapshot: await wf.snapshot(), database: await database(t) }
  const result = await attempt()
  expect({ snapshot: await wf.snapshot(), database: await database(t) }).toEqual(before)
  return result
}

async function sequence() {
  const t = backend()
  const wf = driver(t, internal.examples.sequence)
  await wf.initialize()
  const register = await wf.workItemOf('register')
  return { t, wf, registerId: register._id as WorkItemId }
}

describe('bad input is refused with a coded ConvexError and changes nothing', () => {
  it('completing an initialized work item is an illegal transition: INVALID_TRANSITION names the work item, its id, state and transition', async () => {
    const { t, wf, registerId } = await sequence()

    const error = await unchanged(t, wf, () => errorOf(wf.complete('register')))
    expect(error.code).toBe('INVALID_TRANSITION')
    expect(error.message).toContain("work item 'register'")
    expect(error.message).toContain(registerId)
    expect(error.message).toContain("'initialized'")
    expect(error.message).toContain('complete')
  })

  it('a payload that fails its schema (triage completed with { choice: "burn" }) is INVALID_PAYLOAD, and no decision is recorded', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.exclusiveChoice)
    await wf.initialize()
    await wf.start('triage')

    const error = await unchanged(t, wf, () => errorOf(wf.complete('triage', { choice: 'burn' })))
    expect(error.code).toBe('INVALID_PAYLOAD')
    expect(error.message).toContain('triage')
    expect(await t.run((ctx) => ctx.db.query('decisions').collect())).toEqual([])
  })

  it('a payload given to a default action, which takes none, is INVALID_PAYLOAD', async () => {
    const { t, wf } = await sequence()

    const error = await unchanged(t, wf, () => errorOf(wf.start('register', { note: 'rush' })))
    expect(error.code).toBe('INVALID_PAYLOAD')
  })

  it('a work item name that does not match the id (args.name) is NAME_MISMATCH', async () => {
    const { t, wf, registerId } = await sequence()

    const error = await unchanged(t, wf, () =>
      errorOf(t.mutation(internal.examples.sequence.internalStartWorkItem, { workItemId: registerId, args: { name: 'review' } })),
    )
    expect(error.code).toBe('NAME_MISMATCH')
    expect(error.message).toContain(registerId)
  })

  it("initializing a work item under another work item's name is NAME_MISMATCH", async () => {
    const { t, wf } = await sequence()

    const error = await unchanged(t, wf, () =>
      errorOf(
        t.mutation(internal.examples.sequence.internalInitializeWorkItem, {
          target: { workflowId: wf.workflowId, taskName: 'register' },
          args: { name: 'review' },
        }),
      ),
    )
    expect(error.code).toBe('NAME_MISMATCH')
  })

  it('a default action called from a public mutation (api.examples.sequence.startWorkItem) is NOT_INTERNAL', async () => {
    const { t, wf, registerId } = await sequence()

    const error = await unchanged(t, wf, () =>
      // @ts-expect-error the client types already refuse a public call to a default action; an untyped client reaches the server
      errorOf(t.mutation(api.examples.sequence.startWorkItem, { workItemId: registerId, args: { name: 'register' } })),
    )
    expect(error.code).toBe('NOT_INTERNAL')
    expect(error.message).toContain('internal')
  })

  it('the default initialize action of a work item called from a public mutation is NOT_INTERNAL', async () => {
    const { t, wf } = await sequence()

    const error = await unchanged(t, wf, () =>
      errorOf(
        t.mutation(api.examples.sequence.initializeWorkItem, {
          target: { workflowId: wf.workflowId, taskName: 'register' },
          // @ts-expect-error the client types already refuse a public call to a default action; an untyped client reaches the server
          args: { name: 'register' },
        }),
      ),
    )
    expect(error.code).toBe('NOT_INTERNAL')
  })

  it('the id of a work item that was deleted is NOT_FOUND', async () => {
    const { t, wf } = await sequence()
    const deletedId = await t.run(async (ctx) => {
      const id = await ctx.db.insert('tasknet_workItems', {
        workflowId: wf.workflowId,
        taskName: 'register',
        taskGeneration: 1,
        name: 'register',
        state: 'initialized',
      })
      await ctx.db.delete(id)
      return id
    })

    const error = await unchanged(t, wf, () =>
      errorOf(t.mutation(internal.examples.sequence.internalStartWorkItem, { workItemId: deletedId, args: { name: 'register' } })),
    )
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toContain(deletedId)
  })

  it("a work item of another workflow type (parallel's pick, sent to sequence's functions) is NOT_FOUND", async () => {
    const { t, wf } = await sequence()
    const parallel = driver(t, internal.examples.parallel)
    await parallel.initialize()
    const pick = await parallel.workItemOf('pick')
    const parallelBefore = await parallel.snapshot()

    const error = await unchanged(t, wf, () =>
      errorOf(
        t.mutation(internal.examples.sequence.internalStartWorkItem, {
          workItemId: pick._id as WorkItemId,
          // The client types accept only sequence's work item names; the server must refuse this too.
          args: { name: 'pick' } as unknown as { name: 'register' },
        }),
      ),
    )
    expect(error.code).toBe('NOT_FOUND')
    expect(await parallel.snapshot()).toEqual(parallelBefore)
  })

  it('initializing a work item in a workflow of another type is NOT_FOUND', async () => {
    const { t, wf } = await sequence()
    const parallel = driver(t, internal.examples.parallel)
    const parallelId = await parallel.initialize()
    const parallelBefore = await parallel.snapshot()

    const error = await unchanged(t, wf, () =>
      errorOf(
        t.mutation(internal.examples.sequence.internalInitializeWorkItem, {
          target: { workflowId: parallelId, taskName: 'register' },
          args: { name: 'register' },
        }),
      ),
    )
    expect(error.code).toBe('NOT_FOUND')
    expect(await parallel.snapshot()).toEqual(parallelBefore)
  })

  it('initializing a work item for a disabled task (review, before register completes) is INVALID_STATE', async () => {
    const { t, wf } = await sequence()

    const error = await unchanged(t, wf, () =>
      errorOf(
        t.mutation(internal.examples.sequence.internalInitializeWorkItem, {
          target: { workflowId: wf.workflowId, taskName: 'review' },
          args: { name: 'review' },
        }),
      ),
    )
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toContain("'disabled'")
  })

  it('a route function that throws rolls back the whole completion: the decision, the transitions and the tokens', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.faultyRoute)
    await wf.initialize()
    await wf.start('sort')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { sort: 'started', archive: 'disabled' },
      marking: { start: 0, end: 0, sort__to__archive: 0 },
      workItems: ['sort#1:started'],
    })

    await unchanged(t, wf, () => expect(wf.complete('sort', { choice: 'shred' })).rejects.toThrow("cannot handle 'shred'"))
    expect(await t.run((ctx) => ctx.db.query('decisions').collect())).toEqual([])

    // The work item is still started and can complete with a choice the route handles.
    await wf.complete('sort', { choice: 'keep' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { sort: 'completed', archive: 'enabled' },
      marking: { start: 0, end: 0, sort__to__archive: 1 },
      workItems: ['sort#1:completed', 'archive#1:initialized'],
    })
  })
})
