import { Workpool } from '@convex-dev/workpool'
import type { FunctionArgs, FunctionReturnType } from 'convex/server'
import { describe, expectTypeOf, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { OutboxChain, OutboxDelivery, OutboxPool, OutboxSubscriber } from '../../src'

describe('the outbox is typed for the app that uses it', () => {
  it("takes @convex-dev/workpool's Workpool as its pool", () => {
    expectTypeOf<Workpool>().toExtend<OutboxPool>()
  })

  it('hands a subscriber the subscriber name and the decoded event, with its id to deduplicate on', () => {
    expectTypeOf<FunctionArgs<typeof internal.examples.outboxSubscribers.record>>().toEqualTypeOf<OutboxDelivery>()
    expectTypeOf<OutboxDelivery['event']['_id']>().toEqualTypeOf<Id<'tasknet_events'>>()
    expectTypeOf<OutboxDelivery['event']['sequence']>().toEqualTypeOf<number>()
  })

  it('refuses a subscriber whose arguments are not a delivery, and one of the wrong kind', () => {
    // @ts-expect-error takeFailure takes { subscriber, workflowId }, not a delivery
    const wrongArgs: OutboxSubscriber = { mutation: internal.examples.outboxSubscribers.takeFailure }
    // @ts-expect-error recordThenMaybeFail is an action, given as a mutation
    const wrongKind: OutboxSubscriber = { mutation: internal.examples.outboxSubscribers.recordThenMaybeFail }
    // @ts-expect-error a subscriber is a mutation or an action, not both
    const both: OutboxSubscriber = { mutation: internal.examples.outboxSubscribers.record, action: internal.examples.outboxSubscribers.recordThenMaybeFail }
    expectTypeOf(wrongArgs).not.toBeNever()
    expectTypeOf(wrongKind).not.toBeNever()
    expectTypeOf(both).not.toBeNever()
  })

  it("types the outbox's functions as the module exports them", () => {
    expectTypeOf<FunctionArgs<typeof internal.examples.outbox.outboxResume>>().toEqualTypeOf<{ subscriber: string; workflowId: Id<'tasknet_workflows'> }>()
    expectTypeOf<FunctionReturnType<typeof internal.examples.outbox.getOutbox>>().toEqualTypeOf<OutboxChain[]>()
  })
})
