/**
 * WCP-25 Cancel Region: a set of tasks — not necessarily connected to each
 * other — is withdrawn at once: those that are running or offered are
 * canceled, and none of them can go on afterwards. tasknet expresses it with
 * `withCancellationRegion(owner, ...)`: when the owner completes, the region's
 * enabled or started tasks are canceled (work items torn down, no policy), its
 * conditions are emptied, and tasks already finished are left alone
 * (docs/semantics.md#cancellation-regions). A region names only explicit conditions, so the
 * net puts an explicit condition on every flow inside it; a token left in an
 * implicit condition would stay behind. Net: `cancelRegionPatternWorkflow` —
 * `withdraw` withdraws the draft → review thread, the translate thread and
 * `publish`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.patterns.cancelRegion
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  draft: 'enabled',
  review: 'disabled',
  translate: 'enabled',
  publish: 'disabled',
  withdraw: 'enabled',
  archive: 'disabled',
  ...over,
})
const none = {
  start: 0,
  end: 0,
  toDraft: 0,
  drafted: 0,
  reviewed: 0,
  toTranslate: 0,
  translated: 0,
  fork__to__withdraw: 0,
  withdraw__to__archive: 0,
}

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: { ...none, toDraft: 1, toTranslate: 1, fork__to__withdraw: 1 },
    workItems: ['draft#1:initialized', 'translate#1:initialized', 'withdraw#1:initialized'],
  })
  return wf
}

describe('WCP-25 cancel region', () => {
  it('withdraws a started and an offered task in two unconnected threads, then goes on outside the region', async () => {
    const wf = await opened()
    await wf.start('draft')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ draft: 'started' }),
      marking: { ...none, toTranslate: 1, fork__to__withdraw: 1 },
      workItems: ['draft#1:started', 'translate#1:initialized', 'withdraw#1:initialized'],
    })

    await wf.run('withdraw')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      // review and publish were never enabled: the region leaves them as they are.
      tasks: tasks({ draft: 'canceled', translate: 'canceled', withdraw: 'completed', archive: 'enabled' }),
      marking: { ...none, withdraw__to__archive: 1 },
      workItems: ['draft#1:canceled', 'translate#1:canceled', 'withdraw#1:completed', 'archive#1:initialized'],
    })
    // A withdrawn task takes no further action.
    expect(await errorOf(wf.complete('draft'))).toMatchObject({ code: 'INVALID_TRANSITION' })

    await wf.run('archive')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ draft: 'canceled', translate: 'canceled', withdraw: 'completed', archive: 'completed' }),
      marking: { ...none, end: 1 },
      workItems: ['draft#1:canceled', 'translate#1:canceled', 'withdraw#1:completed', 'archive#1:completed'],
    })
  })

  it('leaves finished tasks of the region alone and empties the conditions holding their results', async () => {
    const wf = await opened()
    await wf.run('draft')
    await wf.run('translate')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ draft: 'completed', review: 'enabled', translate: 'completed' }),
      marking: { ...none, drafted: 1, translated: 1, fork__to__withdraw: 1 },
      workItems: ['draft#1:completed', 'translate#1:completed', 'withdraw#1:initialized', 'review#1:initialized'],
    })

    await wf.run('withdraw')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ draft: 'completed', review: 'canceled', translate: 'completed', withdraw: 'completed', archive: 'enabled' }),
      marking: { ...none, withdraw__to__archive: 1 },
      workItems: ['draft#1:completed', 'translate#1:completed', 'withdraw#1:completed', 'review#1:canceled', 'archive#1:initialized'],
    })
  })

  it('withdraws a task downstream of the AND-join too, while it runs', async () => {
    const wf = await opened()
    await wf.run('draft')
    await wf.run('review')
    await wf.run('translate')
    await wf.start('publish')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ draft: 'completed', review: 'completed', translate: 'completed', publish: 'started' }),
      marking: { ...none, fork__to__withdraw: 1 },
      workItems: [
        'draft#1:completed',
        'translate#1:completed',
        'withdraw#1:initialized',
        'review#1:completed',
        'publish#1:started',
      ],
    })

    await wf.run('withdraw')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({
        draft: 'completed',
        review: 'completed',
        translate: 'completed',
        publish: 'canceled',
        withdraw: 'completed',
        archive: 'enabled',
      }),
      marking: { ...none, withdraw__to__archive: 1 },
      workItems: [
        'draft#1:completed',
        'translate#1:completed',
        'withdraw#1:completed',
        'review#1:completed',
        'publish#1:canceled',
        'archive#1:initialized',
      ],
    })
  })
})
