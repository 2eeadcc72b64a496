import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Builder } from '../../src/builder'
import type { NetDefinition } from '../../src/net/definition'
import { exclusiveChoiceWorkflow, loopWorkflow, parallelWorkflow, sequenceWorkflow } from '../../src/workflows/basics'
import { documentReviewWorkflow } from '../../src/workflows/documentReview'
import { assemblyWorkflow } from '../../src/workflows/patternsRecursion'

const dummy = () => Builder.dummyTask()

describe('a valid definition builds into the expected net data', () => {
  it('a sequence: explicit start and end, an implicit condition named a__to__b', () => {
    const net = Builder.workflow('seq')
      .startCondition('start')
      .dummyTask('a', dummy())
      .dummyTask('b', dummy())
      .endCondition('end')
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.task('b'))
      .connectTask('b', (to) => to.condition('end'))
      .build().net
    expect(net).toEqual<NetDefinition>({
      name: 'seq',
      startCondition: 'start',
      endCondition: 'end',
      conditions: {
        start: { name: 'start', implicit: false, inputs: [], outputs: ['a'] },
        end: { name: 'end', implicit: false, inputs: ['b'], outputs: [] },
        a__to__b: { name: 'a__to__b', implicit: true, inputs: ['a'], outputs: ['b'] },
      },
      tasks: {
        a: { name: 'a', kind: 'dummy', joinType: 'and', splitType: 'and', inputs: ['start'], outputs: ['a__to__b'] },
        b: { name: 'b', kind: 'dummy', joinType: 'and', splitType: 'and', inputs: ['a__to__b'], outputs: ['end'] },
      },
    })
  })

  it('kinds, joins and splits are carried over; atomic tasks keep their work item', () => {
    const def = exclusiveChoiceWorkflow.build()
    expect(def.net.tasks.triage).toMatchObject({ kind: 'atomic', joinType: 'and', splitType: 'xor' })
    expect(def.net.tasks.close).toMatchObject({ kind: 'atomic', joinType: 'xor', splitType: 'and' })
    expect(def.net.tasks.close!.inputs).toEqual(['repair__to__close', 'replace__to__close'])
    expect(def.tasks.triage!.route).toBeTypeOf('function')
    expect(def.tasks.repair!.route).toBeUndefined()
    expect(def.tasks.triage!.workItem?.name).toBe('triage')
    expect(def.tasks.triage!.workItem?.actions.complete?.schema).toBeInstanceOf(z.ZodObject)
    expect(parallelWorkflow.build().net.tasks.split!.kind).toBe('dummy')
  })

  it('a loop: the explicit condition it returns to has two inputs, in declaration order', () => {
    const net = loopWorkflow.build().net
    expect(net.conditions.ready).toEqual({ name: 'ready', implicit: false, inputs: ['open', 'check'], outputs: ['draft'] })
    expect(net.tasks.check!.outputs).toEqual(['ready', 'end'])
  })

  it("a task's outputs follow the order of its flow declaration, conditions and tasks mixed", () => {
    const net = Builder.workflow('outs')
      .startCondition('start')
      .dummyTask('t', Builder.dummyTask().withSplitType('or'))
      .condition('y')
      .dummyTask('x', dummy().withJoinType('xor'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('t'))
      .connectTask('t', (to) => to.condition('y').task('x').condition('end').route(({ route }) => route.toCondition('end')))
      .connectCondition('y', (to) => to.task('x'))
      .connectTask('x', (to) => to.condition('end'))
      .build().net
    expect(net.tasks.t!.outputs).toEqual(['y', 't__to__x', 'end'])
  })

  it('input order = the order in which the flows into the task are declared (connectTask calls)', () => {
    const net = Builder.workflow('ins')
      .startCondition('start')
      .dummyTask('split', dummy())
      .dummyTask('a', dummy())
      .dummyTask('b', dummy())
      .dummyTask('j', dummy().withJoinType('xor'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('split'))
      .connectTask('split', (to) => to.task('a').task('b'))
      // b's flow into j is declared before a's, although b is declared after a.
      .connectTask('b', (to) => to.task('j'))
      .connectTask('a', (to) => to.task('j'))
      .connectTask('j', (to) => to.condition('end'))
      .build().net
    expect(net.tasks.j!.inputs).toEqual(['b__to__j', 'a__to__j'])
    expect(net.tasks.split!.outputs).toEqual(['split__to__a', 'split__to__b'])
  })

  it('input order = declaration order across connectTask and connectCondition calls', () => {
    // The XOR-join `j` consumes from its first marked input in declaration order (docs/semantics.md#firing):
    // the flow a → j is declared (connectTask) before the flow c → j (connectCondition).
    const net = Builder.workflow('mixed')
      .startCondition('start')
      .dummyTask('split', dummy())
      .dummyTask('a', dummy())
      .condition('c')
      .dummyTask('j', dummy().withJoinType('xor'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('split'))
      .connectTask('split', (to) => to.task('a').condition('c'))
      .connectTask('a', (to) => to.task('j'))
      .connectCondition('c', (to) => to.task('j'))
      .connectTask('j', (to) => to.condition('end'))
      .build().net
    expect(net.tasks.j!.inputs).toEqual(['a__to__j', 'c'])
  })

  it('the built definition is frozen data', () => {
    const def = sequenceWorkflow.build()
    expect(Object.isFrozen(def)).toBe(true)
    expect(Object.isFrozen(def.net)).toBe(true)
    expect(Object.isFrozen(def.net.conditions.register__to__review)).toBe(true)
    expect(Object.isFrozen(def.net.tasks.register!.inputs)).toBe(true)
    expect(Object.isFrozen(def.tasks)).toBe(true)
  })

  it('building twice gives equal nets', () => {
    expect(sequenceWorkflow.build().net).toEqual(structuredClone(sequenceWorkflow.build().net))
  })
})

describe('composite tasks build their child definitions', () => {
  it('a dynamic composite task holds each child definition by name, in declaration order', () => {
    const definition = documentReviewWorkflow.build()
    const review = definition.tasks.review!
    expect(review.dynamic).toBe(true)
    expect(Object.keys(review.childWorkflows!)).toEqual(['contractReview', 'ndaReview'])
    expect(review.childWorkflows!.ndaReview!.net.tasks.countersign).toBeDefined()
    expect(definition.tasks.archive!.childWorkflows).toBeUndefined()
  })

  it('a workflow that is its own child (recursion) is one definition, referring to itself', () => {
    const definition = assemblyWorkflow.build()
    const subassemble = definition.tasks.subassemble!
    expect(subassemble.dynamic).toBe(false)
    expect(subassemble.childWorkflows!.assembly).toBe(definition)
    expect(Object.isFrozen(definition)).toBe(true)
    expect(Object.isFrozen(definition.tasks)).toBe(true)
  })
})
