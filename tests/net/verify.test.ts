import { describe, expect, it } from 'vitest'
import { Builder } from '../../src/builder'
import type { WorkflowDefinition } from '../../src/builder/definition'
import type { ConditionFlowBuilder, TaskFlowBuilder } from '../../src/builder/flow'
import type { JoinType, SplitType } from '../../src/net/definition'
import { verifyWorkflow, type VerificationFinding, type VerificationResult } from '../../src/net/verify'
import { andSplit, orSplitJoin, sequential, xorSplit } from '../../src/workflows/synthetic'

/**
 * verifyWorkflow (docs/verification.md) on nets built to have each problem, on
 * nets built to be sound, and on every example workflow of src/workflows/.
 * Atomic tasks are used unless a test is about dummy tasks: the verifier runs
 * a dummy task at once, as the runtime does, so the two explore differently.
 */

const atomic = (join: JoinType = 'and', split: SplitType = 'and') =>
  Builder.task(Builder.workItem('work')).withJoinType(join).withSplitType(split)

/** `kind` or `kind:task` / `kind:condition` per finding, in the order reported. */
const found = (result: VerificationResult) => result.findings.map((f) => [f.kind, f.task ?? f.condition].filter(Boolean).join(':'))

const finding = (result: VerificationResult, kind: VerificationFinding['kind'], name?: string): VerificationFinding => {
  const f = result.findings.find((x) => x.kind === kind && (name === undefined || x.task === name || x.condition === name))
  if (!f) throw new Error(`no ${kind} finding${name ? ` for '${name}'` : ''} in ${JSON.stringify(found(result))}`)
  return f
}

const exhaustiveSearch = { maxStates: false, maxTokens: [], orSplits: [], dummyCascade: false }

describe('a sound net has no findings', () => {
  it('a sequence: exhaustive, every state of a → b explored, ok', () => {
    const sequence = Builder.workflow('sequence')
      .startCondition('start')
      .task('a', atomic())
      .task('b', atomic())
      .endCondition('end')
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.task('b'))
      .connectTask('b', (to) => to.condition('end'))

    // a enabled, a started, b enabled, b started, completed.
    expect(verifyWorkflow(sequence)).toEqual({
      ok: true,
      exhaustive: true,
      statesExplored: 5,
      findings: [],
      limitsReached: exhaustiveSearch,
    })
  })

  it('accepts the Builder, the built definition and the net alike', () => {
    const builder = Builder.workflow('one')
      .startCondition('start')
      .task('a', atomic())
      .endCondition('end')
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.condition('end'))
    const definition = builder.build()
    const fromBuilder = verifyWorkflow(builder)
    expect(fromBuilder).toMatchObject({ ok: true, statesExplored: 3 })
    expect(verifyWorkflow(definition)).toEqual(fromBuilder)
    expect(verifyWorkflow(definition.net)).toEqual(fromBuilder)
  })

  it('a loop terminates: the state space is finite, exhaustive and clean', () => {
    const loop = Builder.workflow('loop')
      .startCondition('start')
      .task('open', atomic())
      .condition('ready')
      .task('draft', atomic())
      .task('check', atomic('and', 'xor'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('open'))
      .connectTask('open', (to) => to.condition('ready'))
      .connectCondition('ready', (to) => to.task('draft'))
      .connectTask('draft', (to) => to.task('check'))
      .connectTask('check', (to) => to.condition('ready').condition('end').route(({ route }) => route.toCondition('end')))

    // open, draft and check each enabled then started, and completed: 7 states. Going round
    // again leads back to `draft` enabled, a state already seen, so the search ends.
    expect(verifyWorkflow(loop)).toEqual({ ok: true, exhaustive: true, statesExplored: 7, findings: [], limitsReached: exhaustiveSearch })
  })

  it('a cancellation region that cancels the other branch and empties its condition completes properly', () => {
    const race = raceWith({ emptyConditions: true })
    expect(verifyWorkflow(race)).toMatchObject({ ok: true, exhaustive: true, findings: [] })
  })
})

/** `split` starts `a` and `b` through `ca` and `cb`; whichever completes first cancels the other; `merge` XOR-joins. */
function raceWith({ emptyConditions }: { emptyConditions: boolean }) {
  return Builder.workflow('race')
    .startCondition('start')
    .task('split', atomic())
    .condition('ca')
    .condition('cb')
    .task('a', atomic())
    .task('b', atomic())
    .task('merge', atomic('xor'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('split'))
    .connectTask('split', (to) => to.condition('ca').condition('cb'))
    .connectCondition('ca', (to) => to.task('a'))
    .connectCondition('cb', (to) => to.task('b'))
    .connectTask('a', (to) => to.task('merge'))
    .connectTask('b', (to) => to.task('merge'))
    .connectTask('merge', (to) => to.condition('end'))
    .withCancellationRegion('a', (r) => (emptyConditions ? r.task('b').condition('cb') : r.task('b')))
    .withCancellationRegion('b', (r) => (emptyConditions ? r.task('a').condition('ca') : r.task('a')))
}

describe('option to complete', () => {
  it('an XOR-split closed by an AND-join deadlocks, and the AND-join is dead', () => {
    // `fork` (a dummy: it fires at once) starts `a` and `choose`; `choose` takes `x` or `y`;
    // `join` waits for `a`, `x` and `y`, but only one of `x` and `y` ever runs.
    const xorThenAnd = Builder.workflow('xorThenAnd')
      .startCondition('start')
      .dummyTask('fork', Builder.dummyTask())
      .task('a', atomic())
      .task('choose', atomic('and', 'xor'))
      .task('x', atomic())
      .task('y', atomic())
      .task('join', atomic('and'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('fork'))
      .connectTask('fork', (to) => to.task('a').task('choose'))
      .connectTask('choose', (to) => to.task('x').task('y').route(({ route }) => route.toTask('x')))
      .connectTask('a', (to) => to.task('join'))
      .connectTask('x', (to) => to.task('join'))
      .connectTask('y', (to) => to.task('join'))
      .connectTask('join', (to) => to.condition('end'))

    const result = verifyWorkflow(xorThenAnd)
    expect(result).toMatchObject({ ok: false, exhaustive: true })
    expect(found(result)).toEqual(['deadlock', 'deadTask:join'])
    const deadlock = finding(result, 'deadlock')
    // A shortest path (breadth first): the dummy fork runs at initialization, then six steps.
    expect(deadlock.path).toEqual([
      'start fork',
      'complete fork → a, choose',
      'start a',
      'start choose',
      'complete a → join',
      'complete choose → x',
      'start x',
      'complete x → join',
    ])
    expect(deadlock.state).toEqual({ marking: { a__to__join: 1, x__to__join: 1 }, enabled: [], started: [] })
    expect(deadlock.message).toContain("'a__to__join', 'x__to__join'")
    expect(deadlock.message).toContain('2 reachable states like this') // through x, and through y
  })

  it('a cycle the end cannot be reached from is a livelock; a branch that stops is a deadlock', () => {
    // `choose` takes `go` (marks `gate`) or `spin` (marks `loop`). `escape` needs both `loop`
    // and `gate`: after `go` nothing can happen, after `spin` `l1` can go round forever.
    const trap = Builder.workflow('trap')
      .startCondition('start')
      .task('choose', atomic('and', 'xor'))
      .task('go', atomic())
      .task('spin', atomic())
      .condition('gate')
      .condition('loop')
      .task('l1', atomic())
      .task('escape', atomic('and'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('choose'))
      .connectTask('choose', (to) => to.task('go').task('spin').route(({ route }) => route.toTask('go')))
      .connectTask('go', (to) => to.condition('gate'))
      .connectTask('spin', (to) => to.condition('loop'))
      .connectCondition('loop', (to) => to.task('l1').task('escape'))
      .connectCondition('gate', (to) => to.task('escape'))
      .connectTask('l1', (to) => to.condition('loop'))
      .connectTask('escape', (to) => to.condition('end'))

    const result = verifyWorkflow(trap)
    expect(found(result)).toEqual(['deadlock', 'livelock', 'deadTask:escape'])
    expect(finding(result, 'deadlock').path).toEqual(['start choose', 'complete choose → go', 'start go', 'complete go → gate'])
    const livelock = finding(result, 'livelock')
    // The first state of the trap: `spin` is enabled, and every way on leads round `l1`.
    expect(livelock.path).toEqual(['start choose', 'complete choose → spin'])
    expect(livelock.state).toEqual({ marking: { choose__to__spin: 1 }, enabled: ['spin'], started: [] })
    expect(livelock.message).toContain("the end condition 'end' can no longer be marked")
  })
})

describe('proper completion', () => {
  it('two tokens merged by an XOR-join: the end is marked while the second is still on its way', () => {
    const multiMerge = Builder.workflow('multiMerge')
      .startCondition('start')
      .task('split', atomic())
      .task('a', atomic())
      .task('b', atomic())
      .task('merge', atomic('xor'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('split'))
      .connectTask('split', (to) => to.task('a').task('b'))
      .connectTask('a', (to) => to.task('merge'))
      .connectTask('b', (to) => to.task('merge'))
      .connectTask('merge', (to) => to.condition('end'))

    const result = verifyWorkflow(multiMerge)
    expect(result).toMatchObject({ ok: false, exhaustive: true })
    expect(found(result)).toEqual(['improperCompletion:merge'])
    const improper = finding(result, 'improperCompletion', 'merge')
    expect(improper.path).toEqual([
      'start split',
      'complete split → a, b',
      'start a',
      'complete a → merge',
      'start merge',
      'complete merge → end',
    ])
    // What the runtime would throw away at that moment: `b` still enabled, its token in front of it.
    expect(improper.state).toEqual({ marking: { split__to__b: 1 }, enabled: ['b'], started: [] })
    expect(improper.message).toContain("completing 'merge' marks the end condition 'end'")
  })

  it('a branch straight to the end while another still runs: each early arrival is reported with what it leaves', () => {
    const early = Builder.workflow('early')
      .startCondition('start')
      .task('split', atomic())
      .task('a', atomic())
      .task('b', atomic())
      .task('c', atomic())
      .endCondition('end')
      .connectCondition('start', (to) => to.task('split'))
      .connectTask('split', (to) => to.task('a').task('b'))
      .connectTask('a', (to) => to.condition('end'))
      .connectTask('b', (to) => to.task('c'))
      .connectTask('c', (to) => to.condition('end'))

    const result = verifyWorkflow(early)
    expect(found(result)).toEqual(['improperCompletion:a', 'improperCompletion:c'])
    expect(finding(result, 'improperCompletion', 'a')).toMatchObject({
      path: ['start split', 'complete split → a, b', 'start a', 'complete a → end'],
      state: { marking: { split__to__b: 1 }, enabled: ['b'], started: [] },
    })
    // `c` finishing first leaves `a` behind (the first run found: `a` still enabled).
    expect(finding(result, 'improperCompletion', 'c').state).toEqual({ marking: { split__to__a: 1 }, enabled: ['a'], started: [] })
  })

  it('a region that cancels an enabled task but not the explicit condition in front of it: the task is enabled again on it', () => {
    const result = verifyWorkflow(raceWith({ emptyConditions: false }))
    expect(found(result)).toEqual(['improperCompletion:merge'])
    const improper = finding(result, 'improperCompletion', 'merge')
    // `a` completes while `b` is only enabled: `b` is canceled, but its token stays in the explicit
    // condition `cb` (the region does not name it), so settling enables `b` again (a new generation).
    expect(improper.path).toEqual([
      'start split',
      'complete split → ca, cb',
      'start a',
      'complete a → merge',
      'start merge',
      'complete merge → end',
    ])
    expect(improper.state).toEqual({ marking: { cb: 1 }, enabled: ['b'], started: [] })
  })

  it('a task left started is reported as started: an OR-join released by a start completes the workflow under it', () => {
    // `prepare` marks an input of the OR-join `merge` and `offer`, a deferred choice between
    // `accept` (into `merge`) and `decline` (straight to the end). `merge` waits while `accept`
    // may still run; only `decline` starting (taking the offer) releases it, and `merge` may
    // then complete the workflow while `decline` is still started.
    const released = Builder.workflow('released')
      .startCondition('start')
      .task('prepare', atomic())
      .condition('offer')
      .task('accept', atomic())
      .task('decline', atomic())
      .task('merge', atomic('or'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('prepare'))
      .connectTask('prepare', (to) => to.task('merge').condition('offer'))
      .connectCondition('offer', (to) => to.task('accept').task('decline'))
      .connectTask('accept', (to) => to.task('merge'))
      .connectTask('decline', (to) => to.condition('end'))
      .connectTask('merge', (to) => to.condition('end'))

    const result = verifyWorkflow(released)
    expect(found(result)).toEqual(['improperCompletion:decline', 'improperCompletion:merge'])
    const merge = finding(result, 'improperCompletion', 'merge')
    expect(merge.path).toEqual(['start prepare', 'complete prepare → merge, offer', 'start decline', 'start merge', 'complete merge → end'])
    expect(merge.state).toEqual({ marking: {}, enabled: [], started: ['decline'] })
    expect(merge.message).toContain('started: decline')
  })
})

describe('dead tasks', () => {
  it('an AND-join whose inputs are never marked together is dead, and nothing else is wrong', () => {
    // `choose` marks `ca` or `cb`, never both: `fin` (XOR-join) always runs, `both` never.
    const deadAnd = Builder.workflow('deadAnd')
      .startCondition('start')
      .task('choose', atomic('and', 'xor'))
      .task('a', atomic())
      .task('b', atomic())
      .condition('ca')
      .condition('cb')
      .task('fin', atomic('xor'))
      .task('both', atomic('and'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('choose'))
      .connectTask('choose', (to) => to.task('a').task('b').route(({ route }) => route.toTask('a')))
      .connectTask('a', (to) => to.condition('ca'))
      .connectTask('b', (to) => to.condition('cb'))
      .connectCondition('ca', (to) => to.task('fin').task('both'))
      .connectCondition('cb', (to) => to.task('fin').task('both'))
      .connectTask('fin', (to) => to.condition('end'))
      .connectTask('both', (to) => to.condition('end'))

    const result = verifyWorkflow(deadAnd)
    expect(result).toMatchObject({ ok: false, exhaustive: true })
    expect(result.findings).toEqual([
      { kind: 'deadTask', task: 'both', path: [], message: "Dead task: 'both' never fires; no reachable state enables it and lets it start." },
    ])
  })

  it('a task competing with a dummy task for the same token never fires: the dummy runs at once', () => {
    const dummyWins = Builder.workflow('dummyWins')
      .startCondition('start')
      .task('manual', atomic())
      .dummyTask('auto', Builder.dummyTask())
      .endCondition('end')
      .connectCondition('start', (to) => to.task('manual').task('auto'))
      .connectTask('manual', (to) => to.condition('end'))
      .connectTask('auto', (to) => to.condition('end'))

    const result = verifyWorkflow(dummyWins)
    expect(found(result)).toEqual(['deadTask:manual'])
    // `auto` fires and completes the workflow during initialization: one (completed) state.
    expect(result.statesExplored).toBe(1)
  })
})

describe('OR-splits and OR-joins', () => {
  /** `choose` OR-splits to `b1`, `b2`, `b3`, which `merge` joins with the given join. */
  const orSplitInto = (join: JoinType) =>
    Builder.workflow(`orSplitInto_${join}`)
      .startCondition('start')
      .task('choose', atomic('and', 'or'))
      .task('b1', atomic())
      .task('b2', atomic())
      .task('b3', atomic())
      .task('merge', atomic(join))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('choose'))
      .connectTask('choose', (to) => to.task('b1').task('b2').task('b3').route(({ route }) => [route.toTask('b1')]))
      .connectTask('b1', (to) => to.task('merge'))
      .connectTask('b2', (to) => to.task('merge'))
      .connectTask('b3', (to) => to.task('merge'))
      .connectTask('merge', (to) => to.condition('end'))

  it('an OR-split closed by an OR-join is sound: every non-empty subset is synchronised', () => {
    expect(verifyWorkflow(orSplitInto('or'))).toEqual({
      ok: true,
      exhaustive: true,
      statesExplored: 67,
      findings: [],
      limitsReached: exhaustiveSearch,
    })
  })

  it('every subset is explored: an AND-join deadlocks on a single branch, an XOR-join completes twice on two', () => {
    const and = verifyWorkflow(orSplitInto('and'))
    expect(found(and)).toEqual(['deadlock'])
    expect(finding(and, 'deadlock').path).toEqual(['start choose', 'complete choose → b1', 'start b1', 'complete b1 → merge'])

    const xor = verifyWorkflow(orSplitInto('xor'))
    expect(found(xor)).toEqual(['improperCompletion:merge'])
    expect(finding(xor, 'improperCompletion').path).toEqual([
      'start choose',
      'complete choose → b1, b2',
      'start b1',
      'complete b1 → merge',
      'start merge',
      'complete merge → end',
    ])
  })

  it('an OR-split wider than maxOrSplitOutputs is sampled (each output, and all): not exhaustive, no dead tasks claimed', () => {
    // orSplitJoin(4) (synthetic.ts): `choose` OR-splits to b1 … b4, the OR-join `merge` closes them.
    const result = verifyWorkflow(orSplitJoin(4), { maxOrSplitOutputs: 3 })
    expect(result).toMatchObject({
      ok: false,
      exhaustive: false,
      findings: [],
      limitsReached: { maxStates: false, maxTokens: [], orSplits: ['choose'], dummyCascade: false },
    })
    // The same net within the bound: 15 subsets instead of 5 choices, so more states.
    const full = verifyWorkflow(orSplitJoin(4))
    expect(full).toMatchObject({ ok: true, exhaustive: true })
    expect(full.statesExplored).toBeGreaterThan(result.statesExplored)
  })
})

describe('declared target sets (.route(fn, { targetSets }))', () => {
  type Reserved = 'charge' | 'ship' | 'abort'
  /**
   * A saga step: `reserve` OR-splits to `charge` and `ship`, which the AND-join `finish` closes, or to
   * `abort`, which ends the workflow alone. Sound only if the route never mixes the two.
   */
  const reserve = (targetSets?: readonly (readonly Reserved[])[]) =>
    Builder.workflow('reserve')
      .startCondition('start')
      .task('reserve', atomic('and', 'or'))
      .task('charge', atomic())
      .task('ship', atomic())
      .task('finish', atomic())
      .task('abort', atomic())
      .endCondition('end')
      .connectCondition('start', (to) => to.task('reserve'))
      .connectTask('reserve', (to) =>
        to
          .task('charge')
          .task('ship')
          .task('abort')
          .route(({ route }) => [route.toTask('abort')], targetSets && { targetSets }),
      )
      .connectTask('charge', (to) => to.task('finish'))
      .connectTask('ship', (to) => to.task('finish'))
      .connectTask('finish', (to) => to.condition('end'))
      .connectTask('abort', (to) => to.condition('end'))

  it('a net unsound under any subset is sound when the route declares {charge, ship} | {abort}', () => {
    const anySubset = verifyWorkflow(reserve())
    expect(anySubset).toMatchObject({ ok: false, exhaustive: true })
    // charge alone leaves finish waiting; charge, ship and abort together end the workflow under the other branch.
    expect(found(anySubset)).toEqual(['deadlock', 'improperCompletion:abort', 'improperCompletion:finish'])
    expect(finding(anySubset, 'deadlock').path).toEqual(['start reserve', 'complete reserve → charge', 'start charge', 'complete charge → finish'])

    // reserve enabled, started; then charge and ship each enabled, started or done (3 × 3 states, both
    // done being finish enabled), finish started; or abort enabled, started; completed.
    expect(verifyWorkflow(reserve([['charge', 'ship'], ['abort']]))).toEqual({
      ok: true,
      exhaustive: true,
      statesExplored: 15,
      findings: [],
      limitsReached: exhaustiveSearch,
    })
  })

  it('only the declared sets are explored: a flow no set names is never taken, so its task is dead', () => {
    expect(found(verifyWorkflow(reserve([['charge', 'ship']])))).toEqual(['deadTask:abort'])
  })

  it('a declared set that really deadlocks is still found, with the set in its path', () => {
    const result = verifyWorkflow(reserve([['charge', 'ship'], ['ship'], ['abort']]))
    expect(result).toMatchObject({ ok: false, exhaustive: true, limitsReached: exhaustiveSearch })
    expect(found(result)).toEqual(['deadlock'])
    expect(finding(result, 'deadlock').path).toEqual(['start reserve', 'complete reserve → ship', 'start ship', 'complete ship → finish'])
  })

  it('an XOR-split explores its declared single targets only', () => {
    const decide = (targetSets?: readonly (readonly ('a' | 'b')[])[]) =>
      Builder.workflow('decide')
        .startCondition('start')
        .task('decide', atomic('and', 'xor'))
        .task('a', atomic())
        .task('b', atomic())
        .endCondition('end')
        .connectCondition('start', (to) => to.task('decide'))
        .connectTask('decide', (to) => to.task('a').task('b').route(({ route }) => route.toTask('a'), targetSets && { targetSets }))
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('b', (to) => to.condition('end'))
    expect(found(verifyWorkflow(decide()))).toEqual([])
    expect(found(verifyWorkflow(decide([['a']])))).toEqual(['deadTask:b'])
  })

  /**
   * `choose` OR-splits to `abort` and to `width` dummy branches b1 … bn, which the AND-join `merge`
   * closes. Names are generated, so the builder is seen through loose types (as in synthetic.ts).
   */
  function wide(width: number, declared: boolean) {
    type Flows = TaskFlowBuilder<string, string, string, string>
    type Loose = {
      startCondition(name: string): Loose
      endCondition(name: string): Loose
      task(name: string, task: ReturnType<typeof atomic>): Loose
      dummyTask(name: string, task: ReturnType<typeof Builder.dummyTask>): Loose
      connectCondition(name: string, flows: (to: ConditionFlowBuilder<string>) => ConditionFlowBuilder<string>): Loose
      connectTask(name: string, flows: (to: Flows) => Flows): Loose
      build(): WorkflowDefinition
    }
    const branches = Array.from({ length: width }, (_, i) => `b${i + 1}`)
    let wf = (Builder.workflow(`wide${width}`) as unknown as Loose).startCondition('start').task('choose', atomic('and', 'or'))
    for (const b of branches) wf = wf.dummyTask(b, Builder.dummyTask())
    wf = wf.task('merge', atomic()).task('abort', atomic()).endCondition('end')
    wf = wf.connectCondition('start', (to) => to.task('choose'))
    wf = wf.connectTask('choose', (to) =>
      [...branches, 'abort']
        .reduce((flows, t) => flows.task(t), to)
        .route(({ route }) => [route.toTask('abort')], declared ? { targetSets: [branches, ['abort']] } : undefined),
    )
    for (const b of branches) wf = wf.connectTask(b, (to) => to.task('merge'))
    return wf.connectTask('merge', (to) => to.condition('end')).connectTask('abort', (to) => to.condition('end')).build()
  }

  it('an OR-split wider than maxOrSplitOutputs with declared sets is explored exhaustively, not sampled', () => {
    // 13 outputs, over the default bound of 10: without sets, sampled (each output alone, and all of them:
    // a single branch deadlocks `merge`, all of them finish twice).
    const sampled = verifyWorkflow(wide(12, false))
    expect(sampled).toMatchObject({ ok: false, exhaustive: false, limitsReached: { orSplits: ['choose'] } })
    expect(found(sampled)).toEqual(['deadlock', 'improperCompletion:merge', 'improperCompletion:abort'])

    expect(verifyWorkflow(wide(12, true))).toEqual({ ok: true, exhaustive: true, statesExplored: 7, findings: [], limitsReached: exhaustiveSearch })
    // Whatever the bound: the declared sets are the choice, not a sample of it.
    expect(verifyWorkflow(wide(12, true), { maxOrSplitOutputs: 1 })).toMatchObject({ ok: true, exhaustive: true, limitsReached: exhaustiveSearch })
  })
})

describe('bounds', () => {
  /** Each pass of the loop leaves one more token in `pile`; `finish` takes one of them at the end. */
  const piling = Builder.workflow('piling')
    .startCondition('start')
    .task('open', atomic())
    .condition('ready')
    .condition('pile')
    .condition('done')
    .task('work', atomic())
    .task('decide', atomic('and', 'xor'))
    .task('finish', atomic('and'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('open'))
    .connectTask('open', (to) => to.condition('ready'))
    .connectCondition('ready', (to) => to.task('work'))
    .connectTask('work', (to) => to.condition('pile').task('decide'))
    .connectTask('decide', (to) => to.condition('ready').condition('done').route(({ route }) => route.toCondition('done')))
    .connectCondition('done', (to) => to.task('finish'))
    .connectCondition('pile', (to) => to.task('finish'))
    .connectTask('finish', (to) => to.condition('end'))

  it('a condition over maxTokens is reported as unbounded, with the path that fills it; the search is not exhaustive', () => {
    const result = verifyWorkflow(piling, { maxTokens: 3 })
    expect(result).toMatchObject({
      ok: false,
      exhaustive: false,
      limitsReached: { maxStates: false, maxTokens: ['pile'], orSplits: [], dummyCascade: false },
    })
    // Proper completion fails too (tokens left in `pile`); no dead task is claimed from a cut-off search.
    expect(found(result)).toEqual(['improperCompletion:finish', 'unbounded:pile'])
    const unbounded = finding(result, 'unbounded', 'pile')
    expect(unbounded.path.filter((step) => step === 'complete work → pile, decide')).toHaveLength(4)
    expect(unbounded.state!.marking.pile).toBe(4)
    expect(finding(result, 'improperCompletion', 'finish').state!.marking).toEqual({ pile: 1 })
  })

  it('a search cut off by maxStates claims nothing it has not seen: no deadlock, no dead task, not ok', () => {
    // andSplit(4) is sound, but 10 states do not show it.
    const cut = verifyWorkflow(andSplit(4), { maxStates: 10 })
    expect(cut).toMatchObject({ ok: false, exhaustive: false, statesExplored: 10, findings: [] })
    expect(cut.limitsReached.maxStates).toBe(true)

    // Three branches, one of them an XOR-split, all AND-joined: every run deadlocks once all are done.
    const deadlocking = Builder.workflow('deadlocking')
      .startCondition('start')
      .task('split', atomic())
      .task('a', atomic())
      .task('b', atomic())
      .task('choose', atomic('and', 'xor'))
      .task('x', atomic())
      .task('y', atomic())
      .task('join', atomic('and'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('split'))
      .connectTask('split', (to) => to.task('a').task('b').task('choose'))
      .connectTask('choose', (to) => to.task('x').task('y').route(({ route }) => route.toTask('x')))
      .connectTask('a', (to) => to.task('join'))
      .connectTask('b', (to) => to.task('join'))
      .connectTask('x', (to) => to.task('join'))
      .connectTask('y', (to) => to.task('join'))
      .connectTask('join', (to) => to.condition('end'))
    expect(found(verifyWorkflow(deadlocking))).toEqual(['deadlock', 'deadTask:join'])
    // Its deadlocks lie beyond the first 10 states: a cut-off search reports nothing, and is not ok.
    expect(verifyWorkflow(deadlocking, { maxStates: 10 })).toMatchObject({ ok: false, exhaustive: false, findings: [] })
  })
})

describe('dummy tasks', () => {
  it('a cycle of dummy tasks that may go round forever within one step is cut off, not claimed', () => {
    // `again` is a dummy XOR-split back to `ready`: once `open` completes, the runtime would run
    // `again` in the same step as long as its route says so.
    const spinning = Builder.workflow('spinning')
      .startCondition('start')
      .task('open', atomic())
      .condition('ready')
      .dummyTask('again', Builder.dummyTask().withSplitType('xor'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('open'))
      .connectTask('open', (to) => to.condition('ready'))
      .connectCondition('ready', (to) => to.task('again'))
      .connectTask('again', (to) => to.condition('ready').condition('end').route(({ route }) => route.toCondition('end')))

    expect(verifyWorkflow(spinning)).toMatchObject({
      ok: false,
      exhaustive: false,
      findings: [],
      limitsReached: { maxStates: false, maxTokens: [], orSplits: [], dummyCascade: true },
    })
  })
})

describe('the example workflows of src/workflows/ verify', () => {
  const modules = import.meta.glob<Record<string, unknown>>('../../src/workflows/*.ts', { eager: true })
  const isWorkflow = (value: unknown): value is { build(): WorkflowDefinition } | WorkflowDefinition =>
    typeof value === 'object' && value !== null && ('net' in value || ('build' in value && 'spec' in value))
  type Example = [string, { build(): WorkflowDefinition } | WorkflowDefinition]
  const examples: Example[] = Object.entries(modules).flatMap(([file, exports]) =>
    Object.entries(exports)
      .filter((entry): entry is Example => isWorkflow(entry[1]))
      .map(([name, workflow]): Example => [`${file.replace(/^.*\//, '')}: ${name}`, workflow]),
  )
  // synthetic.ts exports builders of any size rather than workflows.
  examples.push(
    ['synthetic.ts: sequential(25)', sequential(25)],
    ['synthetic.ts: andSplit(5)', andSplit(5)],
    ['synthetic.ts: xorSplit(6)', xorSplit(6)],
    ['synthetic.ts: orSplitJoin(4, 12)', orSplitJoin(4, 12)],
  )

  /**
   * Findings that are real and belong to what the example shows: each leaves an optional
   * branch or a second token behind when the end is marked, which the runtime then cancels.
   */
  const expected: Record<string, string[]> = {
    // Scenario 1: a multi-merge, so `review` runs twice and the first run reaches the end.
    'scenarios.ts: xorJoinTwiceWorkflow': ['improperCompletion:review'],
    // `pack`, `label` and `ship` lead straight to the end while other branches are open.
    'scenarios.ts: cancelRegionWorkflow': [
      'improperCompletion:pack',
      'improperCompletion:label',
      'improperCompletion:ship',
      'improperCompletion:wrapUp',
    ],
    // WCP-19: `withdraw` stays enabled when `work` finishes first.
    'patterns.ts: cancelTaskWorkflow': ['improperCompletion:close'],
    // WCP-43: ending with branches still active is the pattern.
    'patterns.ts: explicitTerminationWorkflow': ['improperCompletion:ship', 'improperCompletion:survey', 'improperCompletion:archive'],
    // WCP-25: `withdraw` stays enabled when `publish` finishes.
    'patterns2.ts: cancelRegionPatternWorkflow': ['improperCompletion:publish'],
    // WCP-33: the second set of tokens is still in flight when the first `pack` ends.
    'patterns2.ts: generalizedAndJoinWorkflow': ['improperCompletion:pack'],
    // WCP-18: `requestChange` may still be open when `deliver` ends.
    'patterns2.ts: milestoneWorkflow': ['improperCompletion:deliver'],
    // The end reached by one branch while the other is active is what its test shows: the teardown
    // of `oversee` (or of `close`) reaches its child and grandchild and cancels their jobs.
    'composite.ts: supervisionWorkflow': ['improperCompletion:oversee', 'improperCompletion:close'],
    // The nets of tests/integration/enabling.test.ts reproduce defects, not tidy processes: each
    // can mark the end with a token elsewhere (the loop back to t4, a second XOR-join token, an
    // OR-join input left behind, t0's AND-split back to t5).
    'enabling.ts: dummyLoopWorkflow': ['improperCompletion:t3'],
    'enabling.ts: regionXorJoinWorkflow': ['improperCompletion:sync'],
    'enabling.ts: regionOrJoinInputWorkflow': ['improperCompletion:j'],
    'enabling.ts: orJoinBoundedWorkflow': ['improperCompletion:t0'],
    // `j` ends the workflow in the very step `d` routes to `z`, so `t` is never offered.
    'enabling.ts: dummyReleasesOrJoinWorkflow': ['improperCompletion:j', 'deadTask:t'],
  }
  /**
   * An OR-split of 20 outputs: sampled, and its 3^20 interleavings are beyond any bound. A cycle of
   * dummy tasks that never leaves itself: no exploration ends it (the runtime stops it with
   * LIMIT_EXCEEDED, tests/integration/enabling.test.ts), so it is checked on its own below.
   */
  const tooLarge = new Set(['orJoin.ts: orJoinWideWorkflow', 'enabling.ts: dummyCycleWorkflow'])

  it('found every module and workflow', () => {
    expect(Object.keys(modules).map((f) => f.replace(/^.*\//, '')).sort()).toEqual(
      expect.arrayContaining(['basics.ts', 'scenarios.ts', 'propagation.ts', 'synthetic.ts', 'order.ts', 'orJoin.ts']),
    )
    expect(examples.map(([name]) => name)).toEqual(expect.arrayContaining([...Object.keys(expected), ...tooLarge, 'order.ts: orderWorkflow']))
  })

  it.each(examples.filter(([name]) => !tooLarge.has(name)))('%s: exhaustive, and no finding beyond the known ones', (name, workflow) => {
    const started = performance.now()
    const result = verifyWorkflow(workflow)
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(result.exhaustive).toBe(true)
    expect(found(result)).toEqual(expected[name] ?? [])
    expect(result.ok).toBe(!(name in expected))
  })

  it('enabling.ts: dummyCycleWorkflow: not exhaustive, the dummy cascade reported as a limit reached', () => {
    const result = verifyWorkflow(modules['../../src/workflows/enabling.ts']!.dummyCycleWorkflow as { build(): WorkflowDefinition })
    expect(result).toMatchObject({ ok: false, exhaustive: false, limitsReached: { dummyCascade: true } })
  })

  it('orJoin.ts: orJoinWideWorkflow: sampled and cut off at maxStates, with nothing found on the way', () => {
    const result = verifyWorkflow(modules['../../src/workflows/orJoin.ts']!.orJoinWideWorkflow as { build(): WorkflowDefinition }, {
      maxStates: 2_000,
    })
    expect(result).toMatchObject({
      ok: false,
      exhaustive: false,
      statesExplored: 2_000,
      findings: [],
      limitsReached: { maxStates: true, maxTokens: [], orSplits: ['choose'], dummyCascade: false },
    })
  })
})
