import type { FunctionArgs } from 'convex/server'
import { describe, expectTypeOf, it } from 'vitest'
import { api, internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'

describe('generated functions are typed from the Builder', () => {
  it('offers a public mutation only the work items whose action is custom', () => {
    type Complete = FunctionArgs<typeof api.examples.exclusiveChoice.completeWorkItem>
    expectTypeOf<Complete['args']>().toEqualTypeOf<{ name: 'triage'; payload: { choice: 'repair' | 'replace' } }>()
    // No work item of this workflow has a custom start action: the public start takes no args at all.
    expectTypeOf<FunctionArgs<typeof api.examples.exclusiveChoice.startWorkItem>['args']>().toBeNever()
  })

  it('discriminates work item args by name and types payloads by their schema', () => {
    type Complete = FunctionArgs<typeof internal.examples.exclusiveChoice.internalCompleteWorkItem>
    expectTypeOf<Complete['args']>().toEqualTypeOf<
      | { name: 'triage'; payload: { choice: 'repair' | 'replace' } }
      | { name: 'repair'; payload?: Record<string, never> }
      | { name: 'replace'; payload?: Record<string, never> }
      | { name: 'close'; payload?: Record<string, never> }
    >()
    expectTypeOf<Complete['workItemId']>().toEqualTypeOf<Id<'tasknet_workItems'>>()
  })

  it('accepts a matching payload and rejects others', () => {
    const ok: FunctionArgs<typeof api.examples.exclusiveChoice.completeWorkItem>['args'] = { name: 'triage', payload: { choice: 'repair' } }
    // @ts-expect-error 'burn' is not one of the triage choices
    const bad: FunctionArgs<typeof api.examples.exclusiveChoice.completeWorkItem>['args'] = { name: 'triage', payload: { choice: 'burn' } }
    // @ts-expect-error 'paint' is not a work item of this workflow
    const unknown: FunctionArgs<typeof internal.examples.exclusiveChoice.internalStartWorkItem>['args'] = { name: 'paint' }
    expectTypeOf(ok).not.toBeNever()
    expectTypeOf(bad).not.toBeNever()
    expectTypeOf(unknown).not.toBeNever()
  })

  it('names only declared tasks as targets and in the task-state query', () => {
    type Target = FunctionArgs<typeof internal.examples.sequence.internalInitializeWorkItem>['target']
    expectTypeOf<Target['taskName']>().toEqualTypeOf<'register' | 'review' | 'archive'>()
  })
})
