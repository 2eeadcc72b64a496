import { ConvexError } from 'convex/values'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { z as z3 } from 'zod/v3'
import { z as zv4 } from 'zod/v4'
import { Builder } from '../../src/builder'
import { checkedPayload } from '../../src/runtime/payload'

/**
 * tasknet imports zod from `'zod/v4'`, which zod 4 and zod ^3.25 both export (README, "Requirements").
 * A zod 3 ("classic") schema cannot be validated by it: `build()` refuses it with INVALID_DEFINITION
 * and says what to import instead. `zod/v3` — zod 3 classic, shipped inside zod 4 — stands in for an
 * app still on `import { z } from 'zod'` under zod 3; the casts reach the run-time check a JavaScript
 * caller would hit (the types already refuse a zod 3 schema).
 */

const approval = (schema: unknown, initialize: unknown = z.object({ title: z.string() })) =>
  Builder.workflow('approval')
    .withActions(Builder.workflowActions().initialize(initialize as z.ZodType, async ({ workflow }) => void (await workflow.initialize())))
    .startCondition('start')
    .task(
      'review',
      Builder.task(
        Builder.workItem('review').withActions(
          Builder.workItemActions().complete(schema as z.ZodType, async ({ workItem }) => workItem.complete()),
        ),
      ),
    )
    .endCondition('end')
    .connectCondition('start', (to) => to.task('review'))
    .connectTask('review', (to) => to.condition('end'))

function buildError(build: () => unknown): { code: string; message: string } {
  try {
    build()
  } catch (error) {
    if (error instanceof ConvexError) return error.data as { code: string; message: string }
    throw error
  }
  throw new Error('expected build() to throw')
}

describe('zod versions', () => {
  it('builds with zod 4 schemas from zod and from zod/v4', () => {
    expect(() => approval(z.object({ approved: z.boolean() })).build()).not.toThrow()
    expect(() => approval(zv4.object({ approved: zv4.boolean() }), zv4.never()).build()).not.toThrow()
  })

  it('refuses a zod 3 schema of a work item action, saying to import zod/v4 or upgrade', () => {
    const error = buildError(() => approval(z3.object({ approved: z3.boolean() })).build())
    expect(error.code).toBe('INVALID_DEFINITION')
    expect(error.message).toContain(`the 'complete' action of work item 'review' (task 'review') has a zod 3 schema`)
    expect(error.message).toContain(`import { z } from 'zod/v4'`)
    expect(error.message).toContain('upgrade to zod 4')
  })

  it('refuses a zod 3 schema of a workflow action', () => {
    const error = buildError(() => approval(z.object({ approved: z.boolean() }), z3.object({ title: z3.string() })).build())
    expect(error.code).toBe('INVALID_DEFINITION')
    expect(error.message).toContain(`the 'initialize' action of workflow 'approval' has a zod 3 schema`)
  })

  it('refuses something that is not a zod schema at all', () => {
    const error = buildError(() => approval({ parse: () => ({}) }).build())
    expect(error.code).toBe('INVALID_DEFINITION')
    expect(error.message).toContain('is not a zod 4 schema')
  })

  it('takes an empty payload for z.never() from either import', () => {
    const site = { element: 'work item', name: 'review', id: undefined, action: 'start' } as const
    for (const never of [z.never(), zv4.never()]) {
      expect(checkedPayload({ schema: never, callback: undefined }, undefined, false, site)).toBeUndefined()
      expect(checkedPayload({ schema: never, callback: undefined }, {}, false, site)).toBeUndefined()
    }
  })
})
