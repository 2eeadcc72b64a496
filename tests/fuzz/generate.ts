/**
 * Random nets for the fuzz suite, and their definitions built with the real Builder.
 *
 * A net is drawn from a small record of integers plus a "choice sequence" of naturals that a
 * deterministic construction consumes (missing choices read as 0, the simplest option). fast-check
 * shrinks that record towards fewer tasks and smaller choices, so a counterexample shrinks to a
 * small net with plain AND-joins and AND-splits wherever those do not matter.
 */
import fc from 'fast-check'
import { Builder, type WorkflowDefinition } from '../../src'
import { END, START, routeChoice, type Gate, type Kind, type NetSpec, type Target, type TaskSpec } from './model'

export type NetSeed = { tasks: number; conditions: number; choices: number[] }

export const netSeedArb: fc.Arbitrary<NetSeed> = fc.record({
  tasks: fc.integer({ min: 3, max: 12 }),
  conditions: fc.integer({ min: 0, max: 3 }),
  choices: fc.array(fc.nat({ max: 999 }), { minLength: 200, maxLength: 200 }),
})

class Choices {
  private i = 0
  constructor(private readonly list: number[]) {}
  /** An integer in [0, n). */
  next(n: number): number {
    const v = this.list[this.i++] ?? 0
    return n <= 1 ? 0 : v % n
  }
  /** True with probability about p (0 is false). */
  chance(p: number): boolean {
    return this.next(1000) >= 1000 * (1 - p)
  }
}

const gates: Gate[] = ['and', 'xor', 'or']

export function netFromSeed(seed: NetSeed): NetSpec {
  return makeNet('fz', seed.tasks, seed.conditions, new Choices(seed.choices), true)
}

function makeNet(name: string, nTasks: number, nConditions: number, ch: Choices, allowComposite: boolean): NetSpec {
  const taskNames = Array.from({ length: nTasks }, (_, i) => `t${i}`)
  const condNames = Array.from({ length: nTasks === 1 ? 0 : nConditions }, (_, i) => `c${i}`)
  // A spine: start, then tasks and conditions in a drawn order (first and last a task), then end.
  const middle = nTasks === 1 ? [] : [...taskNames.slice(1, -1), ...condNames]
  for (let i = middle.length - 1; i > 0; i--) {
    const j = ch.next(i + 1)
    ;[middle[i], middle[j]] = [middle[j]!, middle[i]!]
  }
  const spine = nTasks === 1 ? [START, 't0', END] : [START, taskNames[0]!, ...middle, taskNames.at(-1)!, END]
  const isTask = (n: string) => n.startsWith('t')
  const edges = new Map<string, Set<string>>(spine.map((n) => [n, new Set<string>()]))
  const legal = (from: string, to: string) => from !== END && to !== START && from !== to && (isTask(from) || isTask(to))
  // Every node gets a predecessor earlier in the spine (reachable from start) ...
  for (let i = 1; i < spine.length; i++) {
    const preds = spine.slice(0, i).filter((p) => legal(p, spine[i]!))
    edges.get(preds[preds.length - 1 - ch.next(Math.min(preds.length, 3))]!)!.add(spine[i]!)
  }
  // ... and a successor later in the spine (the end is reachable from it).
  for (let i = spine.length - 2; i >= 0; i--) {
    const n = spine[i]!
    if ([...edges.get(n)!].some((s) => spine.indexOf(s) > i)) continue
    const succs = spine.slice(i + 1).filter((s) => legal(n, s))
    edges.get(n)!.add(succs[ch.next(Math.min(succs.length, 3))]!)
  }
  // Extra flows, backwards ones make loops.
  const extra = ch.next(Math.max(2, nTasks))
  for (let k = 0; k < extra; k++) {
    const from = spine[ch.next(spine.length - 1)]!
    const to = spine[1 + ch.next(spine.length - 1)]!
    if (legal(from, to) && edges.get(from)!.size < 3) edges.get(from)!.add(to)
  }
  const tasks: TaskSpec[] = taskNames.map((t) => {
    const kindRoll = ch.next(10)
    const kind: Kind = kindRoll >= 9 && allowComposite ? 'composite' : kindRoll >= 7 ? 'dummy' : 'atomic'
    const spec: TaskSpec = { name: t, kind, join: gates[ch.next(3)]!, split: gates[ch.next(3)]!, autoItems: kind === 'atomic' ? [1, 0, 2][ch.next(3)]! : 0 }
    if (kind === 'composite') spec.child = makeNet(`fz_${t}`, 1 + ch.next(3), ch.next(2), ch, false)
    return spec
  })
  // Flows are declared in a drawn order, which fixes each task's input order (the XOR-join's).
  const declared = spine.filter((n) => edges.get(n)!.size > 0)
  for (let i = declared.length - 1; i > 0; i--) {
    const j = ch.next(i + 1)
    ;[declared[i], declared[j]] = [declared[j]!, declared[i]!]
  }
  const flows = declared.map((from) => ({
    from,
    targets: [...edges.get(from)!].map((to): Target => ({ kind: isTask(to) ? 'task' : 'condition', name: to })),
  }))
  const taskFlows = flows.filter((f) => isTask(f.from)).flatMap((f) => f.targets.filter((x) => x.kind === 'task').map((x): [string, string] => [f.from, x.name]))
  const regions: NetSpec['regions'] = []
  for (const t of taskNames) {
    if (!ch.chance(0.3)) continue
    const pick = <T>(list: T[], p: number) => list.filter(() => ch.chance(p))
    const region = { task: t, tasks: pick(taskNames, 0.25), conditions: pick([START, ...condNames], 0.2), flows: pick(taskFlows, 0.2) }
    if (region.tasks.length + region.conditions.length + region.flows.length > 0) regions.push(region)
  }
  return { name, conditions: condNames, tasks, flows, regions }
}

/** The definition of a net, built with the real Builder (names are dynamic, hence the casts). */
export function buildDefinition(spec: NetSpec): WorkflowDefinition {
  return builderOf(spec).build()
}

function builderOf(spec: NetSpec): any {
  let w: any = Builder.workflow(spec.name).startCondition(START)
  for (const c of spec.conditions) w = w.condition(c)
  w = w.endCondition(END)
  for (const t of spec.tasks) {
    if (t.kind === 'dummy') {
      w = w.dummyTask(t.name, Builder.dummyTask().withJoinType(t.join).withSplitType(t.split))
    } else if (t.kind === 'composite') {
      w = w.compositeTask(t.name, Builder.compositeTask(builderOf(t.child!)).withJoinType(t.join).withSplitType(t.split))
    } else {
      const n = t.autoItems
      const task = Builder.task(Builder.workItem(`${spec.name}_${t.name}`)).withJoinType(t.join).withSplitType(t.split)
      w = w.task(t.name, n === 0 ? task : task.withActivities({ onEnabled: async ({ workItem }: any) => { for (let i = 0; i < n; i++) await workItem.initialize() } }))
    }
  }
  for (const f of spec.flows) {
    const task = spec.tasks.find((t) => t.name === f.from)
    if (!task) {
      w = w.connectCondition(f.from, (to: any) => f.targets.reduce((acc: any, x) => acc.task(x.name), to))
      continue
    }
    w = w.connectTask(f.from, (to: any) => {
      const flow = f.targets.reduce((acc: any, x) => (x.kind === 'task' ? acc.task(x.name) : acc.condition(x.name)), to)
      if (task.split === 'and') return flow
      return flow.route(async ({ parent, task: info, route }: any) =>
        routeChoice(parent.workflow.id, info.name, info.generation, f.targets, task.split).map((x) => (x.kind === 'task' ? route.toTask(x.name) : route.toCondition(x.name))),
      )
    })
  }
  for (const r of spec.regions) {
    w = w.withCancellationRegion(r.task, (b: any) => {
      let acc = b
      for (const t of r.tasks) acc = acc.task(t)
      for (const c of r.conditions) acc = acc.condition(c)
      for (const [a, z] of r.flows) acc = acc.flow(a, z)
      return acc
    })
  }
  return w
}
