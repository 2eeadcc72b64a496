import type { FunctionArgs, FunctionReturnType } from 'convex/server'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { api, internal } from '../../convex/_generated/api'
import { Builder, type TaskState, type WorkflowId } from '../../src'
import { contractReviewWorkflow, ndaReviewWorkflow } from '../../src/workflows/documentReview'

/** A child whose initialize action takes `{ sku }`. */
const restock = Builder.workflow('restock')
  .withActions(Builder.workflowActions().initialize(z.object({ sku: z.string() }), async ({ workflow }) => void (await workflow.initialize())))
  .startCondition('start')
  .endCondition('end')

describe('composite task initializers are typed by the child workflow', () => {
  it('a static composite task: workflow.initialize takes the child’s initialize payload', () => {
    Builder.compositeTask(restock).withActivities({
      onEnabled: async ({ workflow }) => {
        expectTypeOf(await workflow.initialize({ sku: 'A-1' })).toEqualTypeOf<WorkflowId>()
        // @ts-expect-error the child's initialize schema needs { sku }
        await workflow.initialize()
        // @ts-expect-error sku is a string
        await workflow.initialize({ sku: 1 })
      },
    })
  })

  it('a dynamic composite task: one initializer per child type, each typed by its own schema', () => {
    Builder.dynamicCompositeTask([contractReviewWorkflow, ndaReviewWorkflow]).withActivities({
      onEnabled: async ({ workflow }) => {
        expectTypeOf(workflow.initialize).toHaveProperty('contractReview')
        expectTypeOf(workflow.initialize).toHaveProperty('ndaReview')
        await workflow.initialize.contractReview({ title: 'MSA' })
        await workflow.initialize.ndaReview()
        // @ts-expect-error a contract review needs its title
        await workflow.initialize.contractReview()
        // @ts-expect-error an NDA review's initialize is the default one: it takes no payload
        await workflow.initialize.ndaReview({ title: 'MSA' })
        // @ts-expect-error the task starts no 'packing' children
        await workflow.initialize.packing()
      },
      onWorkflowStateChanged: ({ workflow }) => {
        expectTypeOf(workflow.name).toEqualTypeOf<string>()
        expectTypeOf(workflow.initialize.contractReview).parameters.toEqualTypeOf<[payload: { title: string }]>()
      },
    })
  })
})

describe('child workflow functions are typed from the hierarchy', () => {
  it('initializeWorkflow args are discriminated by the child workflow name; public ones list custom initialize actions only', () => {
    type Internal = FunctionArgs<typeof internal.examples.documentReview.internalInitializeWorkflow>
    expectTypeOf<Internal['args']>().toEqualTypeOf<
      { name: 'contractReview'; payload: { title: string } } | { name: 'ndaReview'; payload?: Record<string, never> }
    >()
    type Public = FunctionArgs<typeof api.examples.documentReview.initializeWorkflow>
    expectTypeOf<Public['args']>().toEqualTypeOf<{ name: 'contractReview'; payload: { title: string } }>()
  })

  it('cancelWorkflow args name a child workflow; no child declares a cancel action, so the public one takes none', () => {
    type Internal = FunctionArgs<typeof internal.examples.documentReview.internalCancelWorkflow>
    expectTypeOf<Internal['args']>().toEqualTypeOf<
      { name: 'contractReview'; payload?: Record<string, never> } | { name: 'ndaReview'; payload?: Record<string, never> }
    >()
    expectTypeOf<FunctionArgs<typeof api.examples.documentReview.cancelWorkflow>['args']>().toBeNever()
  })

  it('targets name the tasks of every workflow in the hierarchy, with an optional generation', () => {
    type Target = FunctionArgs<typeof internal.examples.documentReview.internalInitializeWorkItem>['target']
    expectTypeOf<Target['taskName']>().toEqualTypeOf<'review' | 'archive' | 'checkClauses' | 'countersign'>()
    expectTypeOf<Target['generation']>().toEqualTypeOf<number | undefined>()
    type Grandchildren = FunctionArgs<typeof internal.examples.warehouse.internalInitializeWorkflow>['args']['name']
    expectTypeOf<Grandchildren>().toEqualTypeOf<'fulfilment' | 'packing'>()
  })

  it('getWorkflowTaskStates returns the root’s task states, or a child’s for a child’s id', () => {
    type States = FunctionReturnType<typeof internal.examples.documentReview.getWorkflowTaskStates>
    expectTypeOf<States>().toEqualTypeOf<
      Record<'review' | 'archive', TaskState> | Record<'checkClauses', TaskState> | Record<'countersign', TaskState>
    >()
  })

  it('the child work items are in the root’s work item args', () => {
    type Start = FunctionArgs<typeof internal.examples.documentReview.internalStartWorkItem>['args']['name']
    expectTypeOf<Start>().toEqualTypeOf<'archive' | 'checkClauses' | 'countersign'>()
  })

  it('a recursive workflow (a lazy child typed AnyWorkflowBuilder) keeps its own names typed; its child is named by any string', () => {
    type Start = FunctionArgs<typeof internal.patterns.recursion.internalStartWorkItem>['args']['name']
    expectTypeOf<Start>().toEqualTypeOf<'plan' | 'make'>()
    type Child = FunctionArgs<typeof internal.patterns.recursion.internalInitializeWorkflow>['args']
    expectTypeOf<Child['name']>().toEqualTypeOf<string>()
  })
})
