import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Builder } from '../../src/builder'
import type { WorkflowDefinition } from '../../src/builder/definition'
import type { NetDefinition } from '../../src/net/definition'
import { escapeLabel, toMermaid } from '../../src/net/mermaid'
import { exclusiveChoiceWorkflow, offeredTask, sequenceWorkflow } from '../../src/workflows/basics'
import { orderWorkflow } from '../../src/workflows/order'
import { cancelTaskWorkflow, multiChoiceWorkflow } from '../../src/workflows/patterns'
import { andSplit, orSplitJoin, sequential, xorSplit } from '../../src/workflows/synthetic'

/** toMermaid (docs/api.md#tomermaid): the net as a Mermaid flowchart, with a snapshot's tokens and states. */

/** WCP-1: register → review → archive. */
const sequence = sequenceWorkflow

/** The lines of a chart that match `pattern`. */
const linesOf = (chart: string, pattern: RegExp) => chart.split('\n').filter((l) => pattern.test(l))

describe('toMermaid', () => {
  it('a sequence: circles for start and end, boxes for tasks, task-to-task flows as direct arrows', () => {
    expect(toMermaid(sequence)).toBe(
      [
        'flowchart LR',
        '  c_start(("▶ start"))',
        '  c_end(("■ end"))',
        '  t_register["register"]',
        '  t_review["review"]',
        '  t_archive["archive"]',
        '  c_start --> t_register',
        '  t_register --> t_review',
        '  t_review --> t_archive',
        '  t_archive --> c_end',
        '',
      ].join('\n'),
    )
  })

  it('takes a Builder, a definition or a net, and gives the same chart each time', () => {
    const definition = sequence.build()
    const chart = toMermaid(sequence)
    expect(toMermaid(definition)).toBe(chart)
    expect(toMermaid(definition.net)).toBe(chart)
    expect(toMermaid(sequence)).toBe(chart)
  })

  it("a route's declared target sets do not change the chart: it draws flows, not the choices among them", () => {
    const choose = (declared: boolean) =>
      Builder.workflow('choose')
        .startCondition('start')
        .task('pick', offeredTask('pick').withSplitType('or'))
        .task('a', offeredTask('a'))
        .task('b', offeredTask('b'))
        .endCondition('end')
        .connectCondition('start', (to) => to.task('pick'))
        .connectTask('pick', (to) =>
          to
            .task('a')
            .task('b')
            .condition('end')
            .route(({ route }) => route.toCondition('end'), declared ? { targetSets: [['a', 'b'], ['end']] } : undefined),
        )
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('b', (to) => to.condition('end'))
    expect(choose(true).build().net.tasks.pick!.targetSets).toHaveLength(2)
    expect(toMermaid(choose(true))).toBe(toMermaid(choose(false)))
    expect(linesOf(toMermaid(choose(true)), /^  t_pick -->/)).toEqual(['  t_pick --> t_a', '  t_pick --> t_b', '  t_pick --> c_end'])
  })

  it('shapes: atomic, dummy and composite tasks; every join and split type, shown where it says something', () => {
    const child = Builder.workflow('child')
      .startCondition('start')
      .task('inner', offeredTask('inner'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('inner'))
      .connectTask('inner', (to) => to.condition('end'))
    const net = Builder.workflow('shapes')
      .startCondition('start')
      .dummyTask('fork', Builder.dummyTask())
      .task('choose', offeredTask('choose').withSplitType('xor'))
      .task('pick', offeredTask('pick').withSplitType('or'))
      .compositeTask('sub', Builder.compositeTask(child).withJoinType('or'))
      .task('a', offeredTask('a'))
      .task('b', offeredTask('b'))
      .task('c', offeredTask('c'))
      .dummyTask('join', Builder.dummyTask().withJoinType('xor'))
      .task('sync', offeredTask('sync'))
      .condition('waiting')
      .endCondition('end')
      .connectCondition('start', (to) => to.task('fork'))
      .connectTask('fork', (to) => to.task('choose').task('pick'))
      .connectTask('choose', (to) => to.task('a').task('b').route(async ({ route }) => route.toTask('a')))
      .connectTask('pick', (to) => to.task('sub').condition('waiting').route(async ({ route }) => [route.toTask('sub')]))
      .connectCondition('waiting', (to) => to.task('sub'))
      .connectTask('a', (to) => to.task('join'))
      .connectTask('b', (to) => to.task('join'))
      .connectTask('sub', (to) => to.task('c'))
      .connectTask('join', (to) => to.task('sync'))
      .connectTask('c', (to) => to.task('sync'))
      .connectTask('sync', (to) => to.condition('end'))
    const nodes = linesOf(toMermaid(net), /^ {2}\w+[[{(]/)
    expect(nodes).toEqual([
      '  c_start(("▶ start"))',
      '  c_waiting(("waiting"))',
      '  c_end(("■ end"))',
      '  t_fork{{"fork ⟨and⟩"}}', // dummy: a hexagon; a split into two flows is shown, even AND
      '  t_choose["choose ⟨xor⟩"]',
      '  t_pick["pick ⟨or⟩"]',
      '  t_sub[["⟨or⟩ sub"]]', // composite: a subroutine box
      '  t_a["a"]', // one input, one output, AND: nothing to show
      '  t_b["b"]',
      '  t_c["c"]',
      '  t_join{{"⟨xor⟩ join"}}',
      '  t_sync["⟨and⟩ sync"]',
    ])
  })

  it('a cancellation region: a dashed edge ending in a cross from the owner to each task and condition it removes', () => {
    const net = Builder.workflow('region')
      .startCondition('start')
      .dummyTask('split', Builder.dummyTask())
      .condition('toWork')
      .task('prep', offeredTask('prep'))
      .task('work', offeredTask('work'))
      .task('stop', offeredTask('stop'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('split'))
      .connectTask('split', (to) => to.task('prep').task('stop'))
      .connectTask('prep', (to) => to.condition('toWork'))
      .connectCondition('toWork', (to) => to.task('work'))
      .connectTask('work', (to) => to.condition('end'))
      .connectTask('stop', (to) => to.condition('end'))
      .withCancellationRegion('stop', (r) => r.task('prep').task('work').condition('toWork').flow('split', 'prep'))
    const chart = toMermaid(net)
    // The implicit condition the region names is drawn, as a small circle on its flow, so the region can point at it.
    expect(linesOf(chart, /split__to__prep/)).toEqual([
      '  c_split__to__prep((" "))',
      '  t_split --> c_split__to__prep',
      '  c_split__to__prep --> t_prep',
      '  t_stop -.-x c_split__to__prep',
    ])
    expect(linesOf(chart, /-\.-x/)).toEqual([
      '  t_stop -.-x t_prep',
      '  t_stop -.-x t_work',
      '  t_stop -.-x c_toWork',
      '  t_stop -.-x c_split__to__prep',
    ])
    // The other implicit condition stays an arrow.
    expect(chart).toContain('  t_split --> t_stop\n')
  })

  it('a snapshot: tokens per condition, an implicit condition with tokens on its arrow, a class per task state', () => {
    const net = Builder.workflow('snap')
      .startCondition('start')
      .dummyTask('fork', Builder.dummyTask())
      .task('a', offeredTask('a'))
      .task('b', offeredTask('b'))
      .task('c', offeredTask('c'))
      .task('d', offeredTask('d'))
      .task('e', offeredTask('e'))
      .condition('ready')
      .endCondition('end')
      .connectCondition('start', (to) => to.task('fork'))
      .connectTask('fork', (to) => to.task('a').task('b').task('c').condition('ready'))
      .connectCondition('ready', (to) => to.task('d'))
      .connectTask('a', (to) => to.task('e'))
      .connectTask('b', (to) => to.task('e'))
      .connectTask('c', (to) => to.task('e'))
      .connectTask('d', (to) => to.task('e'))
      .connectTask('e', (to) => to.condition('end'))
    const definition = net.build()
    const marking = Object.fromEntries(Object.keys(definition.net.conditions).map((c) => [c, 0]))
    const snapshot = {
      tasks: { fork: 'completed', a: 'completed', b: 'started', c: 'failed', d: 'enabled', e: 'disabled' },
      marking: { ...marking, ready: 2, a__to__e: 1 },
    } as const
    expect(toMermaid(net, snapshot)).toBe(
      [
        'flowchart LR',
        '  c_start(("▶ start"))',
        '  c_ready(("ready<br/>●×2"))',
        '  c_end(("■ end"))',
        '  t_fork{{"fork ⟨and⟩"}}',
        '  t_a["a"]',
        '  t_b["b"]',
        '  t_c["c"]',
        '  t_d["d"]',
        '  t_e["⟨and⟩ e"]',
        '  c_a__to__e(("●"))',
        '  c_start --> t_fork',
        '  c_ready --> t_d',
        '  t_fork --> t_a',
        '  t_fork --> t_b',
        '  t_fork --> t_c',
        '  t_fork --> c_ready',
        '  t_a --> c_a__to__e',
        '  c_a__to__e --> t_e',
        '  t_b --> t_e',
        '  t_c --> t_e',
        '  t_d --> t_e',
        '  t_e --> c_end',
        '  classDef disabled fill:#f6f8fa,stroke:#afb8c1,color:#6e7781',
        '  class t_e disabled',
        '  classDef enabled fill:#fff8c5,stroke:#bf8700,color:#24292f',
        '  class t_d enabled',
        '  classDef started fill:#ddf4ff,stroke:#0969da,stroke-width:2px,color:#24292f',
        '  class t_b started',
        '  classDef completed fill:#dafbe1,stroke:#1a7f37,color:#24292f',
        '  class t_fork,t_a completed',
        '  classDef failed fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#24292f',
        '  class t_c failed',
        '  classDef marked fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#24292f',
        '  class c_ready,c_a__to__e marked',
        '',
      ].join('\n'),
    )
    expect(toMermaid(net, { tasks: { a: 'canceled' } })).toContain('  classDef canceled fill:#eaeef2,stroke:#6e7781,stroke-dasharray:4 3,color:#57606a\n  class t_a canceled\n')
    // A snapshot with nothing in it draws the plain net.
    expect(toMermaid(net, { tasks: {}, marking })).toBe(toMermaid(net))
  })

  it('refuses a snapshot of another workflow', () => {
    expect(() => toMermaid(sequence, { marking: { elsewhere: 1 } })).toThrow(/'elsewhere', which is not a condition of workflow 'sequence'/)
    expect(() => toMermaid(sequence, { tasks: { ship: 'enabled' } })).toThrow(/'ship', which is not a task of workflow 'sequence'/)
  })

  it('escapes names: ids of [A-Za-z0-9_] with a prefix (never a keyword such as `end`), labels with entity codes', () => {
    expect(escapeLabel('a "quoted" <b> & #1; `x` [y] {z} (w)\nnext')).toBe(
      'a #34;quoted#34; #60;b#62; #38; #35;1#59; #96;x#96; #91;y#93; #123;z#125; #40;w#41;#10;next',
    )
    expect(escapeLabel('Prüfung ✓ über-1.5: ok?')).toBe('Prüfung #10003; über-1.5: ok?')
    // A net made by hand, with names no Builder user would choose, and two that sanitize to the same id.
    const net: NetDefinition = {
      name: 'odd',
      startCondition: 'end',
      endCondition: 'fin"al',
      conditions: {
        end: { name: 'end', implicit: false, inputs: [], outputs: ['a b'] },
        'fin"al': { name: 'fin"al', implicit: false, inputs: ['a-b'], outputs: [] },
        'a b__to__a-b': { name: 'a b__to__a-b', implicit: true, inputs: ['a b'], outputs: ['a-b'] },
      },
      tasks: {
        'a b': { name: 'a b', kind: 'atomic', joinType: 'and', splitType: 'and', inputs: ['end'], outputs: ['a b__to__a-b'] },
        'a-b': { name: 'a-b', kind: 'atomic', joinType: 'and', splitType: 'and', inputs: ['a b__to__a-b'], outputs: ['fin"al'] },
      },
    }
    expect(toMermaid(net, { marking: { 'a b__to__a-b': 3 } })).toBe(
      [
        'flowchart LR',
        '  c_end(("▶ end"))',
        '  c_fin_al(("■ fin#34;al"))',
        '  t_a_b["a b"]',
        '  t_a_b_2["a-b"]',
        '  c_a_b__to__a_b(("●×3"))',
        '  c_end --> t_a_b',
        '  t_a_b --> c_a_b__to__a_b',
        '  c_a_b__to__a_b --> t_a_b_2',
        '  t_a_b_2 --> c_fin_al',
        '  classDef marked fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#24292f',
        '  class c_a_b__to__a_b marked',
        '',
      ].join('\n'),
    )
  })
})

describe('every example workflow of src/workflows/ renders', () => {
  const modules = import.meta.glob<Record<string, unknown>>('../../src/workflows/*.ts', { eager: true })
  type Example = [string, { build(): WorkflowDefinition } | WorkflowDefinition]
  const examples: Example[] = Object.entries(modules).flatMap(([file, exports]) =>
    Object.entries(exports)
      .filter((entry): entry is Example => typeof entry[1] === 'object' && entry[1] !== null && ('net' in entry[1] || 'build' in entry[1]))
      .map(([name, workflow]): Example => [`${file.replace(/^.*\//, '')}: ${name}`, workflow]),
  )
  examples.push(['synthetic.ts: sequential(5)', sequential(5)], ['synthetic.ts: andSplit(5)', andSplit(5)])
  examples.push(['synthetic.ts: xorSplit(4)', xorSplit(4)], ['synthetic.ts: orSplitJoin(4, 8)', orSplitJoin(4, 8)])

  it('finds the examples', () => expect(examples.length).toBeGreaterThan(60))

  it.each(examples)('%s: every task and condition is in the chart, every flow an edge', (_, workflow) => {
    const net = 'net' in workflow ? workflow.net : workflow.build().net
    const chart = toMermaid(workflow)
    const labels = [...chart.matchAll(/^ {2}t_\w+(?:\[\[|\{\{|\[)"(?:⟨\w+⟩ )?(.*?)(?: ⟨\w+⟩)?"/gm)].map((m) => m[1])
    expect(labels).toEqual(Object.keys(net.tasks).map(escapeLabel))
    for (const c of Object.values(net.conditions)) if (!c.implicit) expect(chart).toContain(escapeLabel(c.name))
    // One edge per flow: condition → task for each explicit condition's output, and one arrow (or two, through a drawn
    // implicit condition) per task output; one dashed edge per region member.
    const edges = chart.split('\n').filter((l) => / --> /.test(l)).length
    const flows = Object.values(net.conditions).reduce((n, c) => n + (c.implicit ? 1 : c.inputs.length + c.outputs.length), 0)
    const drawnImplicit = chart.split('\n').filter((l) => /^ {2}c_\w+\(\(" "\)\)$/.test(l)).length
    expect(edges).toBe(flows + drawnImplicit)
    const regionEdges = Object.values(net.tasks).reduce((n, t) => n + (t.cancellationRegion ? t.cancellationRegion.tasks.length + t.cancellationRegion.conditions.length : 0), 0)
    expect(chart.split('\n').filter((l) => / -\.-x /.test(l)).length).toBe(regionEdges)
  })
})

describe('the pictures in the docs are current (regenerate with scripts/mermaid.ts)', () => {
  const root = join(__dirname, '..', '..')
  const blocks = (file: string) => [...readFileSync(join(root, file), 'utf8').matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1])
  it('docs/patterns.md: sequence, exclusive choice, multi-choice into an OR-join, cancel task', () => {
    expect(blocks('docs/patterns.md')).toEqual([sequenceWorkflow, exclusiveChoiceWorkflow, multiChoiceWorkflow, cancelTaskWorkflow].map((w) => toMermaid(w)))
  })
  it('README.md: the order workflow', () => {
    expect(blocks('README.md')).toEqual([toMermaid(orderWorkflow)])
  })
  it('docs/api.md: the exclusive choice after triage chose repair', () => {
    const marking = Object.fromEntries(Object.keys(exclusiveChoiceWorkflow.build().net.conditions).map((c) => [c, c === 'triage__to__repair' ? 1 : 0]))
    const tasks = { triage: 'completed', repair: 'enabled', replace: 'disabled', close: 'disabled' } as const
    expect(blocks('docs/api.md')).toEqual([toMermaid(exclusiveChoiceWorkflow, { tasks, marking })])
  })
})
