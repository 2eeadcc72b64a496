import { describe, expect, it } from 'vitest'
import { ConvexError } from 'convex/values'
import { Builder } from '../../src/builder'
import { cancellationEffects, cancellationFootprint, hasCancellationRegion } from '../../src/net/cancellation'
import type { CancellationRegion, NetDefinition } from '../../src/net/definition'
import { completeTask } from '../../src/net/interpreter'
import type { TaskState } from '../../src/net/lifecycle'
import type { NetView } from '../../src/net/semantics'
import { handNet, stateOf, viewOf } from './nets'

/** `net` with `owner`'s cancellation region set (hand-built nets carry none). */
function withRegion(net: NetDefinition, owner: string, region: CancellationRegion): NetDefinition {
  return { ...net, tasks: { ...net.tasks, [owner]: { ...net.tasks[owner]!, cancellationRegion: region } } }
}

/**
 * `t` (the owner) runs in parallel with a branch a → p → b; `c` reads p (XOR-join with q) and
 * `d` reads p and r (AND-join). t's region is { a, b ; p }.
 */
const base = handNet({
  t: { in: ['i'], out: ['end'] },
  a: { in: ['j'], out: ['p'] },
  b: { in: ['p'], out: ['end'] },
  c: { join: 'xor', in: ['p', 'q'], out: ['end'] },
  d: { in: ['p', 'r'], out: ['end'] },
  e: { in: ['q'], out: ['end'] },
})
const net = withRegion(base, 't', { tasks: ['a', 'b'], conditions: ['p'] })

/** A view that throws when asked about anything outside `footprint`, like the runtime's `load`. */
function strictView(marking: Record<string, number>, tasks: Record<string, TaskState>, footprint: { conditions: string[]; tasks: string[] }): NetView {
  const loose = viewOf(marking, tasks)
  return {
    tokens: (c) => {
      if (!footprint.conditions.includes(c)) throw new Error(`condition '${c}' is outside the footprint`)
      return loose.tokens(c)
    },
    taskState: (t) => {
      if (!footprint.tasks.includes(t)) throw new Error(`task '${t}' is outside the footprint`)
      return loose.taskState(t)
    },
  }
}

describe('cancellationEffects (docs/semantics.md#cancellation-regions)', () => {
  it.each<[TaskState, boolean]>([
    ['enabled', true],
    ['started', true],
    ['disabled', false],
    ['completed', false],
    ['failed', false],
    ['canceled', false],
  ])('a region task that is %s: canceled %s', (state, canceled) => {
    const effects = cancellationEffects(net, viewOf({}, { a: state }), 't')
    expect(effects.canceled).toEqual(canceled ? ['a'] : [])
  })

  it('cancels region tasks in region order, whatever the net order', () => {
    const reversed = withRegion(base, 't', { tasks: ['b', 'a'], conditions: [] })
    expect(cancellationEffects(reversed, viewOf({}, { a: 'started', b: 'enabled' }), 't').canceled).toEqual(['b', 'a'])
  })

  it.each([
    [0, []],
    [1, [{ condition: 'p', tokens: 1 }]],
    [3, [{ condition: 'p', tokens: 3 }]],
  ])('a region condition holding %i tokens is emptied with that count', (tokens, emptied) => {
    expect(cancellationEffects(net, viewOf({ p: tokens }), 't').emptied).toEqual(emptied)
  })

  /** `net` with `p` and `r` turned into implicit conditions (task-to-task flows into b, c and d). */
  const withImplicit = (names: string[]): NetDefinition => ({
    ...net,
    conditions: Object.fromEntries(Object.entries(net.conditions).map(([n, c]) => [n, names.includes(n) ? { ...c, implicit: true } : c])),
  })

  it.each<[string, Record<string, TaskState>]>([
    ['an enabled region task', { b: 'enabled' }],
    ['a disabled region task holding part of its tokens', { b: 'disabled' }],
  ])('withdraws the tokens in the implicit inputs of %s', (_label, tasks) => {
    const implicit = withRegion(withImplicit(['j']), 't', { tasks: ['a'], conditions: [] })
    expect(cancellationEffects(implicit, viewOf({ j: 2 }, { ...tasks, a: tasks.b! }), 't').withdrawn).toEqual([{ condition: 'j', tokens: 2 }])
  })

  it('leaves explicit inputs of a region task alone unless the region names them, and lists a named implicit one once', () => {
    const named = withRegion(withImplicit(['j', 'p']), 't', { tasks: ['a', 'b'], conditions: ['p'] })
    const effects = cancellationEffects(named, viewOf({ j: 1, p: 1, q: 1 }, { a: 'enabled', b: 'enabled' }), 't')
    expect(effects).toEqual({ canceled: ['a', 'b'], emptied: [{ condition: 'p', tokens: 1 }], withdrawn: [{ condition: 'j', tokens: 1 }] })
  })

  it('the owning task in its own region is not canceled, and a task without a region has no effects', () => {
    const own = withRegion(base, 't', { tasks: ['t', 'a'], conditions: [] })
    expect(cancellationEffects(own, viewOf({}, { t: 'started', a: 'enabled' }), 't').canceled).toEqual(['a'])
    expect(hasCancellationRegion(base, 't')).toBe(false)
    expect(cancellationEffects(base, viewOf({ p: 1 }, { a: 'started' }), 't')).toEqual({ canceled: [], emptied: [], withdrawn: [] })
    expect(cancellationFootprint(base, 't')).toEqual({ conditions: [], tasks: [] })
  })
})

describe('cancellationFootprint', () => {
  const withImplicitJ = (): NetDefinition => ({ ...base, conditions: { ...base.conditions, j: { ...base.conditions.j!, implicit: true } } })

  it("names the region's conditions and tasks and the implicit inputs of those tasks", () => {
    expect(cancellationFootprint(net, 't')).toEqual({ conditions: ['p'], tasks: ['a', 'b'] })
    expect(cancellationFootprint(withRegion(withImplicitJ(), 't', { tasks: ['a', 'b'], conditions: ['p'] }), 't')).toEqual({ conditions: ['p', 'j'], tasks: ['a', 'b'] })
  })

  it.each<[string, Record<string, number>, Record<string, TaskState>]>([
    ['a started branch', { p: 0 }, { a: 'started' }],
    ['a marked condition and enabled readers', { p: 2, q: 0, r: 1 }, { b: 'enabled', c: 'enabled', d: 'enabled' }],
    ['everything marked', { p: 1, q: 1, r: 1 }, { a: 'enabled', b: 'enabled', c: 'enabled', d: 'enabled' }],
  ])('is enough to decide %s (a view limited to it never throws)', (_label, marking, tasks) => {
    const footprint = cancellationFootprint(net, 't')
    const full = cancellationEffects(net, viewOf(marking, tasks), 't')
    expect(cancellationEffects(net, strictView(marking, tasks, footprint), 't')).toEqual(full)
  })
})

describe('the interpreter applies the region before the split produces', () => {
  it('cancels, empties and disables, then produces and enables', () => {
    const state = completeTask(
      net,
      stateOf({ i: 0, p: 1, q: 0, r: 1 }, { t: 'started', a: 'started', b: 'enabled', c: 'enabled', d: 'enabled', e: 'disabled' }),
      't',
    )
    expect(state.marking).toEqual({ i: 0, p: 0, q: 0, r: 1, end: 1 })
    expect(state.tasks).toEqual({ t: 'completed', a: 'canceled', b: 'canceled', c: 'disabled', d: 'disabled', e: 'disabled' })
    expect(state.completed).toBe(true)
  })

  it('a region that empties the owner\'s own input stops it from being enabled again', () => {
    const loop = withRegion(
      handNet({ t: { join: 'xor', in: ['i', 'k'], out: ['end'] }, u: { in: ['start'], out: ['i', 'k'] } }),
      't',
      { tasks: [], conditions: ['k'] },
    )
    const after = completeTask(loop, stateOf({ i: 0, k: 1 }, { t: 'started' }, { t: 1 }), 't')
    expect(after.marking.k).toBe(0)
    expect(after.tasks.t).toBe('completed')
  })
})

describe('build-time checks of a region', () => {
  const wf = () =>
    Builder.workflow('r')
      .startCondition('start')
      .dummyTask('a', Builder.dummyTask())
      .dummyTask('b', Builder.dummyTask())
      .condition('c')
      .endCondition('end')
      .connectCondition('start', (to) => to.task('a').task('b'))
      .connectTask('a', (to) => to.condition('c').task('b'))
      .connectCondition('c', (to) => to.task('b'))
      .connectTask('b', (to) => to.condition('end'))

  const messageOf = (build: () => unknown): string => {
    try {
      build()
    } catch (error) {
      expect(error).toBeInstanceOf(ConvexError)
      const data = (error as ConvexError<{ code: string; message: string }>).data
      expect(data.code).toBe('INVALID_DEFINITION')
      return data.message
    }
    throw new Error('expected build() to refuse the definition')
  }

  it('stores a declared region on the owning task only, and none on the others', () => {
    const net = wf().withCancellationRegion('b', (r) => r.task('a').task('b').condition('c')).build().net
    expect(net.tasks.b!.cancellationRegion).toEqual({ tasks: ['a', 'b'], conditions: ['c'] })
    expect('cancellationRegion' in net.tasks.a!).toBe(false)
  })

  it('stores a named flow as the implicit condition it goes through', () => {
    const net = wf().withCancellationRegion('b', (r) => r.condition('c').flow('a', 'b')).build().net
    expect(net.tasks.b!.cancellationRegion).toEqual({ tasks: [], conditions: ['c', 'a__to__b'] })
    expect(net.conditions.a__to__b!.implicit).toBe(true)
  })

  it.each<[string, (w: ReturnType<typeof wf>) => { build(): unknown }, string]>([
    ['an undeclared task', (w) => w.withCancellationRegion('b', (r) => r.task('ghost' as 'a')), "withCancellationRegion('b') names task 'ghost', which is not a declared task of workflow 'r'"],
    ['an undeclared condition', (w) => w.withCancellationRegion('b', (r) => r.condition('nowhere' as 'c')), "withCancellationRegion('b') names condition 'nowhere', which is not a declared condition of workflow 'r'"],
    ['an undeclared owner', (w) => w.withCancellationRegion('ghost' as 'a', (r) => r.task('a')), "withCancellationRegion('ghost'): there is no task 'ghost'"],
    ['an implicit condition', (w) => w.withCancellationRegion('b', (r) => r.condition('a__to__b' as 'c')), "withCancellationRegion('b') names 'a__to__b', an implicit condition: a region names only declared conditions; name the flow instead with r.flow('a', 'b')"],
    ['a flow that does not exist', (w) => w.withCancellationRegion('a', (r) => r.flow('b', 'a')), "withCancellationRegion('a') names flow('b', 'a'), but there is no flow from task 'b' to task 'a'"],
    ['a flow named twice', (w) => w.withCancellationRegion('b', (r) => r.flow('a', 'b').flow('a', 'b')), "withCancellationRegion('b') names flow('a', 'b') twice"],
    ['a task named twice', (w) => w.withCancellationRegion('b', (r) => r.task('a').task('a')), "withCancellationRegion('b') names task 'a' twice"],
    ['two regions for one task', (w) => w.withCancellationRegion('b', (r) => r.task('a')).withCancellationRegion('b', (r) => r.condition('c')), "withCancellationRegion('b') is called more than once"],
  ])('refuses a region naming %s', (_label, declare, message) => {
    expect(messageOf(() => declare(wf()).build())).toContain(message)
  })
})
