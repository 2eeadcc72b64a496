import { ConvexError } from 'convex/values'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { workflowApi } from '../../src'
import { Builder } from '../../src/builder'

/**
 * A bad deadline is refused where it is declared (`.deadline(...)` throws INVALID_DEFINITION), and a
 * workflow with a deadline but no `self` when its functions are made: before anything is scheduled.
 * The type checks are bypassed with casts to reach what a JavaScript caller would hit.
 */

function refusal(declare: () => unknown): { code: string; message: string } {
  try {
    declare()
  } catch (error) {
    if (error instanceof ConvexError) return error.data as { code: string; message: string }
    throw error
  }
  throw new Error('expected the declaration to be refused, and it was accepted')
}

const item = () => Builder.workItem('approve')
const flow = () => Builder.workflow('w')

describe('a deadline refused where it is declared', () => {
  it.each([
    ['a negative delay', { after: -1, onExpiry: 'fail' }, /'after' -1; expected a finite number of milliseconds, 0 or more/],
    ['an infinite delay', { after: Infinity, onExpiry: 'fail' }, /'after' Infinity/],
    ['a delay that is not a number', { after: '5s', onExpiry: 'fail' }, /'after' 5s/],
    ['both after and at', { after: 5, at: () => 0, onExpiry: 'fail' }, /needs exactly one of 'after'.*and 'at'/],
    ['neither after nor at', { onExpiry: 'fail' }, /needs exactly one of 'after'/],
    ['an at that is a number', { at: 1_000, onExpiry: 'fail' }, /'at' that is not a function: pass \(ctx\) => epochMs/],
    ['an unknown expiry action', { after: 5, onExpiry: 'escalate' }, /onExpiry "escalate"; expected 'fail', 'cancel', 'complete' or a callback/],
  ])('on a work item: %s', (_, deadline, message) => {
    const error = refusal(() => item().deadline(deadline as never))
    expect(error.code).toBe('INVALID_DEFINITION')
    expect(error.message).toMatch(/^The deadline of work item 'approve' /)
    expect(error.message).toMatch(message)
  })

  it("on a workflow: 'fail' and 'complete' are not expiry actions of a workflow", () => {
    for (const onExpiry of ['fail', 'complete']) {
      const error = refusal(() => flow().deadline({ after: 5, onExpiry } as never))
      expect(error).toEqual({ code: 'INVALID_DEFINITION', message: `The deadline of workflow 'w' has onExpiry "${onExpiry}"; expected 'cancel' or a callback.`, element: "workflow 'w'" })
    }
  })

  it("on a task: 'cancel' is not an expiry action of a task (its tokens would be stranded)", () => {
    const error = refusal(() => Builder.task(item()).deadline({ after: 5, onExpiry: 'cancel' } as never))
    expect(error.message).toBe(`The deadline of the task of work item 'approve' has onExpiry "cancel"; expected 'complete', 'fail' or a callback.`)
  })

  it('Builder.timerTask refuses a negative delay', () => {
    expect(refusal(() => Builder.timerTask({ after: -10 })).message).toMatch(/^The deadline of work item 'timer' has 'after' -10/)
  })

  it('accepts 0 ms, a computed delay and a computed instant', () => {
    expect(item().deadline({ after: 0, onExpiry: 'cancel' }).toDefinition().deadline).toMatchObject({ after: 0, onExpiry: 'cancel' })
    expect(typeof item().deadline({ after: () => 5, onExpiry: 'complete' }).toDefinition().deadline?.after).toBe('function')
    expect(typeof flow().deadline({ at: () => Date.now(), onExpiry: () => {} }).spec.deadline?.at).toBe('function')
  })
})

describe('a deadline without self', () => {
  const withDeadline = (name: string, deadline: boolean) =>
    Builder.workflow(name)
      .startCondition('start')
      .task('approve', Builder.task(deadline ? item().deadline({ after: 5, onExpiry: 'fail' }) : item()))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('approve'))
      .connectTask('approve', (to) => to.condition('end'))

  it("is refused by workflowApi, naming the element and the option to pass", () => {
    expect(refusal(() => workflowApi(withDeadline('review', true)))).toEqual({
      code: 'INVALID_DEFINITION',
      message:
        "Workflow 'review' has a deadline on work item 'approve' of task 'approve' in workflow 'review', which schedules the generated 'internalDeadlineReached': pass workflowApi(…, { self: (): unknown => internal.<module> }) naming the module that exports it.",
      workflowName: 'review',
    })
  })

  it("is refused for a child workflow's deadline too", () => {
    const child = flow()
      .startCondition('start')
      .dummyTask('step', Builder.dummyTask())
      .endCondition('end')
      .connectCondition('start', (to) => to.task('step'))
      .connectTask('step', (to) => to.condition('end'))
      .deadline({ after: 5, onExpiry: 'cancel' })
    const parent = Builder.workflow('parent')
      .startCondition('start')
      .compositeTask('sub', Builder.compositeTask(child))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('sub'))
      .connectTask('sub', (to) => to.condition('end'))
    expect(refusal(() => workflowApi(parent)).message).toMatch(/^Workflow 'parent' has a deadline on workflow 'w', which schedules/)
  })

  it('is not needed by a workflow without deadlines', () => {
    expect(() => workflowApi(withDeadline('plain', false))).not.toThrow()
  })

  it('a computed payload-typed delay compiles and builds', () => {
    const review = Builder.workItem('review')
      .withActions(Builder.workItemActions().initialize(z.object({ days: z.number() }), async ({ workItem }) => void (await workItem.initialize())))
      .deadline({ after: ({ payload }) => payload.days * 86_400_000, onExpiry: 'fail' })
    expect(review.toDefinition().deadline?.onExpiry).toBe('fail')
  })
})
