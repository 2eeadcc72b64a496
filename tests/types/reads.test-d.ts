import type { FunctionReturnType, GenericDatabaseReader } from 'convex/server'
import { describe, expectTypeOf, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { DataModel } from '../../convex/_generated/dataModel'
import {
  Builder,
  getChildWorkflows,
  getEvents,
  getMarking,
  getWorkflow,
  getWorkflowAt,
  type JournalChange,
  getWorkflowTaskStates,
  getWorkItems,
  workflowApi,
  type TaskState,
  type WorkflowDefinition,
  type WorkflowId,
  type WorkItemSummary,
} from '../../src'
import { sequenceWorkflow } from '../../src/workflows/basics'
import { documentReviewWorkflow } from '../../src/workflows/documentReview'

/**
 * The read helpers are typed by the names of the workflow they are given, like the generated
 * queries (api.md "Read helpers"): a Builder, or a definition built from one, gives its names; a
 * definition made otherwise gives strings.
 */

declare const db: GenericDatabaseReader<DataModel>
declare const workflowId: WorkflowId

/** A definition whose names the Builder's types do not follow: built in a loop, as generated nets are. */
declare const generated: WorkflowDefinition

describe('task names are the workflow hierarchy’s', () => {
  it('getWorkItems and getChildWorkflows take only declared task names, from a Builder or its definition', async () => {
    await getWorkItems(db, sequenceWorkflow, workflowId, 'review')
    await getWorkItems(db, sequenceWorkflow.build(), workflowId, 'review', { currentGeneration: true })
    await getWorkItems(db, sequenceWorkflow, workflowId)
    // @ts-expect-error 'reveiw' is not a task of the sequence workflow
    await getWorkItems(db, sequenceWorkflow, workflowId, 'reveiw')
    // @ts-expect-error nor with the built definition
    await getWorkItems(db, sequenceWorkflow.build(), workflowId, 'reveiw')

    // A child's tasks are named through the root, as in the generated functions.
    await getWorkItems(db, documentReviewWorkflow, workflowId, 'countersign')
    await getChildWorkflows(db, documentReviewWorkflow, workflowId, 'review')
    // @ts-expect-error 'reviews' is not a task of the hierarchy
    await getChildWorkflows(db, documentReviewWorkflow, workflowId, 'reviews')
    // @ts-expect-error nor with the built definition
    await getChildWorkflows(db, documentReviewWorkflow.build(), workflowId, 'reviews')
  })

  it('a definition made otherwise takes any string', async () => {
    await getWorkItems(db, generated, workflowId, 'anything')
    await getChildWorkflows(db, generated, workflowId, 'anything')
  })
})

describe('results are keyed and named by the definition', () => {
  it('getWorkflowTaskStates: a record of the root’s tasks; reading another key does not compile', async () => {
    const states = await getWorkflowTaskStates(db, sequenceWorkflow, workflowId)
    expectTypeOf(states).toEqualTypeOf<Record<'register' | 'review' | 'archive', TaskState>>()
    expectTypeOf(states.review).toEqualTypeOf<TaskState>()
    // @ts-expect-error 'reveiw' is not a task of the sequence workflow
    void states.reveiw
    expectTypeOf(await getWorkflowTaskStates(db, sequenceWorkflow.build(), workflowId)).toEqualTypeOf(states)
  })

  it('getWorkflowTaskStates of a hierarchy: one record per workflow, as the generated query; narrowed by a key', async () => {
    const states = await getWorkflowTaskStates(db, documentReviewWorkflow, workflowId)
    expectTypeOf(states).toEqualTypeOf<FunctionReturnType<typeof internal.examples.documentReview.getWorkflowTaskStates>>()
    expectTypeOf(states).toEqualTypeOf<
      Record<'review' | 'archive', TaskState> | Record<'checkClauses', TaskState> | Record<'countersign', TaskState>
    >()
    // @ts-expect-error a child's id gives the child's tasks: `review` is not in every record
    void states.review
    if ('review' in states) expectTypeOf(states).toEqualTypeOf<Record<'review' | 'archive', TaskState>>()
  })

  it('getMarking: keyed by explicit and implicit (`from__to__to`) condition names, per workflow', async () => {
    const marking = await getMarking(db, sequenceWorkflow, workflowId)
    expectTypeOf(marking).toEqualTypeOf<Record<'start' | 'end' | 'register__to__review' | 'review__to__archive', number>>()
    // @ts-expect-error no flow from register to archive
    void marking.register__to__archive

    const hierarchy = await getMarking(db, documentReviewWorkflow, workflowId)
    expectTypeOf(hierarchy).toEqualTypeOf<FunctionReturnType<typeof internal.examples.documentReview.getMarking>>()
    expectTypeOf(hierarchy).toEqualTypeOf<Record<'start' | 'end' | 'review__to__archive', number> | Record<'start' | 'end', number>>()
  })

  it('getWorkflowAt: the live reads\' types, after one event', async () => {
    const at = await getWorkflowAt(db, sequenceWorkflow, workflowId, 3)
    expectTypeOf(at.tasks).toEqualTypeOf<Record<'register' | 'review' | 'archive', TaskState>>()
    expectTypeOf(at.marking).toEqualTypeOf<Record<'start' | 'end' | 'register__to__review' | 'review__to__archive', number>>()
    expectTypeOf(at.workItems[0]!.taskName).toEqualTypeOf<'register' | 'review' | 'archive'>()
    const page = await getEvents(db, sequenceWorkflow, workflowId, { after: 2, limit: 10 })
    expectTypeOf(page.events[0]!.changes).toEqualTypeOf<JournalChange[]>()
    // @ts-expect-error getWorkflowAt takes a sequence number
    void getWorkflowAt(db, sequenceWorkflow, workflowId, '3')
  })

  it('getWorkItems: work item and task names of the hierarchy', async () => {
    const [item] = await getWorkItems(db, documentReviewWorkflow, workflowId)
    expectTypeOf(item!.name).toEqualTypeOf<'archive' | 'checkClauses' | 'countersign'>()
    expectTypeOf(item!.taskName).toEqualTypeOf<'review' | 'archive' | 'checkClauses' | 'countersign'>()
    expectTypeOf(await getWorkItems(db, documentReviewWorkflow, workflowId)).toEqualTypeOf<
      FunctionReturnType<typeof internal.examples.documentReview.getWorkItems>
    >()
  })

  it('getWorkflow and getChildWorkflows: workflow names of the hierarchy', async () => {
    const workflow = await getWorkflow(db, documentReviewWorkflow, workflowId)
    expectTypeOf(workflow.name).toEqualTypeOf<'documentReview' | 'contractReview' | 'ndaReview'>()
    expectTypeOf(workflow.parent!.taskName).toEqualTypeOf<'review' | 'archive' | 'checkClauses' | 'countersign'>()
    const [child] = await getChildWorkflows(db, documentReviewWorkflow, workflowId, 'review')
    expectTypeOf(child!.name).toEqualTypeOf<'contractReview' | 'ndaReview'>()
  })

  it('a definition made otherwise: strings, and records keyed by any string', async () => {
    expectTypeOf(await getWorkflowTaskStates(db, generated, workflowId)).toEqualTypeOf<Record<string, TaskState>>()
    expectTypeOf(await getMarking(db, generated, workflowId)).toEqualTypeOf<Record<string, number>>()
    expectTypeOf(await getWorkItems(db, generated, workflowId)).toEqualTypeOf<WorkItemSummary[]>()
    const [item] = await getWorkItems(db, generated, workflowId)
    expectTypeOf(item!.name).toEqualTypeOf<string>()
    expectTypeOf((await getWorkflow(db, generated, workflowId)).name).toEqualTypeOf<string>()
    expectTypeOf((await getChildWorkflows(db, generated, workflowId, 'x'))[0]!.name).toEqualTypeOf<string>()
  })
})

describe('build() keeps the names in the definition’s type', () => {
  it('workflowApi of a built definition is typed as of its Builder', () => {
    const fromBuilder = workflowApi(sequenceWorkflow)
    const fromDefinition = workflowApi(sequenceWorkflow.build())
    expectTypeOf(fromDefinition).toEqualTypeOf(fromBuilder)
  })

  it('a built definition is still a WorkflowDefinition', () => {
    const definition: WorkflowDefinition = Builder.workflow('w').startCondition('s').endCondition('e').build()
    expectTypeOf(definition).toEqualTypeOf<WorkflowDefinition>()
  })
})
