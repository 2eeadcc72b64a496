// @vitest-environment node
/**
 * Named regressions of the random-net suite: each is a small net and a list of steps, replayed on a
 * worker process (a hang is reported after 20 s) through the generated functions, and compared with
 * the reference after every step exactly as the fuzz suite does. Written against the step semantics
 * of issue 10; several fail on the engine as it was before the rewrite of the enabling logic.
 *
 * A new one comes from `npm run fuzz -- --seed S --only I --shrink` (I: a failing run that
 * `npm run fuzz` names): it prints the minimal case as an `it(…)` in the shape below, using
 * `task`, `flow`, `step` and `expectAgreement`; paste it into the describe and name it after what
 * it shows.
 */
import { describe, expect, it } from 'vitest'
import type { Step } from './driver'
import { replayIsolated } from './isolated'
import type { Gate, Kind, NetSpec, TaskSpec } from './model'

const task = (name: string, kind: Kind = 'atomic', join: Gate = 'and', split: Gate = 'and', autoItems = kind === 'atomic' ? 1 : 0): TaskSpec => ({ name, kind, join, split, autoItems })
/** `flow('a', 'b', '(end)')`: a task or condition to tasks, and (in parentheses) to conditions. */
const flow = (from: string, ...to: string[]) => ({
  from,
  targets: to.map((x) => (x.startsWith('(') ? { kind: 'condition' as const, name: x.slice(1, -1) } : { kind: 'task' as const, name: x })),
})
/** A step on work item `idx` of generation `gen` of `task` in the root workflow. */
const step = (op: Step['op'], taskName: string, gen = 1, idx = 0, variant?: Step['variant']): Step => ({ op, wf: 0, task: taskName, gen, idx, ...(variant ? { variant } : {}) })

async function expectAgreement(spec: NetSpec, steps: Step[]) {
  const outcome = await replayIsolated(spec, steps)
  expect(outcome.problem ?? 'agrees').toBe('agrees')
}

describe('regressions of the random-net suite', () => {
  it('a region that cancels an enabled task withdraws the token on its flow, and the OR-join after it goes on', async () => {
    const spec: NetSpec = {
      name: 'fz',
      conditions: [],
      tasks: [task('a'), task('b'), task('c'), task('k'), task('j', 'atomic', 'or')],
      flows: [flow('start', 'a'), flow('a', 'b', 'c', 'k'), flow('b', 'j'), flow('c', 'j'), flow('k', 'j'), flow('j', '(end)')],
      regions: [{ task: 'k', tasks: ['c'], conditions: [], flows: [] }],
    }
    await expectAgreement(spec, [step('start', 'a'), step('complete', 'a'), step('start', 'b'), step('complete', 'b'), step('start', 'k'), step('complete', 'k'), step('start', 'j'), step('complete', 'j')])
  })

  it('a dummy loop after an XOR-join completes the workflow on a legal completion (no INVALID_TRANSITION)', async () => {
    const spec: NetSpec = {
      name: 'fz',
      conditions: [],
      tasks: [task('t4', 'atomic', 'xor', 'and'), task('t2', 'dummy'), task('t3', 'dummy', 'or')],
      flows: [flow('start', 't4'), flow('t4', 't2', 't3'), flow('t2', 't4'), flow('t3', '(end)')],
      regions: [],
    }
    await expectAgreement(spec, [step('start', 't4'), step('complete', 't4')])
  })

  it('dummy tasks go first when settling: an atomic task is not enabled on a token a dummy takes', async () => {
    const spec: NetSpec = {
      name: 'fz',
      conditions: [],
      tasks: [task('t0'), task('t1', 'dummy')],
      flows: [flow('start', 't0', 't1'), flow('t0', '(end)'), flow('t1', '(end)')],
      regions: [],
    }
    await expectAgreement(spec, [])
  })

  it('names that are Object.prototype keys are unknown tasks (NOT_FOUND), not tasks of another kind', async () => {
    const spec: NetSpec = { name: 'fz', conditions: [], tasks: [task('t0')], flows: [flow('start', 't0'), flow('t0', '(end)')], regions: [] }
    // The driver replaces the task name with '__proto__' (protoName variant of initItem).
    await expectAgreement(spec, [{ op: 'initItem', wf: 0, task: 't0', variant: 'protoName' }])
  })

  it('the OR-join decision of the 7-task net with a region on a flow returns (no hang)', async () => {
    const spec: NetSpec = {
      name: 'fz',
      conditions: ['c0', 'c1', 'c2'],
      tasks: [task('t5', 'atomic', 'xor'), task('t8'), task('t3', 'atomic', 'or'), task('t6'), task('t7'), task('t2'), task('t0')],
      flows: [
        flow('start', 't5'),
        flow('t5', 't8', 't3'),
        flow('t3', 't8'),
        flow('t8', '(c1)', '(c0)', 't2'),
        flow('c1', 't6'),
        flow('t6', 't3'),
        flow('c0', 't7'),
        flow('t7', 't0'),
        flow('t2', '(c2)'),
        flow('c2', 't0'),
        flow('t0', '(end)', 't5'),
      ],
      regions: [{ task: 't6', tasks: [], conditions: [], flows: [['t5', 't3']] }],
    }
    await expectAgreement(spec, [step('start', 't5'), step('complete', 't5')])
  })

  it('a region that cancels a started XOR-join task whose other input holds a token re-enables it', async () => {
    const spec: NetSpec = {
      name: 'fz',
      conditions: ['c0'],
      tasks: [task('a'), task('x', 'atomic', 'xor'), task('k'), task('z')],
      flows: [flow('start', 'a'), flow('a', 'x', 'k', '(c0)'), flow('c0', 'x'), flow('x', 'z'), flow('k', 'z'), flow('z', '(end)')],
      regions: [{ task: 'k', tasks: ['x'], conditions: [], flows: [] }],
    }
    await expectAgreement(spec, [step('start', 'a'), step('complete', 'a'), step('start', 'x'), step('start', 'k'), step('complete', 'k')])
  })

  it('a region that empties a flow into a never-enabled OR-join: the OR-join is enabled once, in generation 1 (and nothing throws)', async () => {
    const spec: NetSpec = {
      name: 'fz',
      conditions: [],
      tasks: [task('a'), task('b'), task('k'), task('j', 'atomic', 'or')],
      flows: [flow('start', 'a'), flow('a', 'b', 'k'), flow('b', 'j'), flow('k', 'j'), flow('j', '(end)')],
      regions: [{ task: 'b', tasks: [], conditions: [], flows: [['k', 'j']] }],
    }
    await expectAgreement(spec, [step('start', 'a'), step('complete', 'a'), step('start', 'k'), step('complete', 'k'), step('start', 'b'), step('complete', 'b')])
  })
})
