/**
 * The reference's OR-join decision, written from the spec (docs/semantics.md, "OR-join
 * decision"): an explicit forward exploration of the analysis reset net, with a cap on the states
 * visited and on the time spent. A decision that exceeds the cap is `undefined` (inconclusive: the run is counted, not
 * compared). States dominated by a visited state are skipped: reset nets are monotone, so whatever a
 * smaller state can cover, a larger one can cover too.
 */
import type { Net } from './model'

export const OR_JOIN_STATE_CAP = 4000
/**
 * And on its time: the dominance check is quadratic in the states visited, so near the cap one
 * decision can take seconds on a loaded machine, which the per-step watchdog (pool.ts) would report
 * as an engine hang. Past this, the decision is inconclusive like one past the state cap.
 */
export const OR_JOIN_TIME_CAP_MS = 500

type State = Map<string, number>

/** Is the OR-join `j` enabled on `marking` with tasks `started`? undefined: the cap was reached. */
export function orJoinHolds(net: Net, j: string, marking: ReadonlyMap<string, number>, started: ReadonlySet<string>): boolean | undefined {
  const node = net.tasks.get(j)!
  const tokens = (m: ReadonlyMap<string, number>, c: string) => m.get(c) ?? 0
  const marked = node.inputs.filter((c) => tokens(marking, c) > 0)
  if (marked.length === 0) return false
  const empty = node.inputs.filter((c) => tokens(marking, c) === 0)
  if (empty.length === 0) return true
  const initial: State = new Map([...marking].filter(([, n]) => n > 0))
  for (const t of started) initial.set(`busy:${t}`, 1)
  const covers = (s: State) => marked.every((c) => tokens(s, c) >= tokens(marking, c)) && empty.some((q) => tokens(s, q) > 0)
  const visited: State[] = []
  const queue: State[] = [initial]
  const deadline = performance.now() + OR_JOIN_TIME_CAP_MS
  while (queue.length > 0) {
    if (performance.now() > deadline) return undefined
    const s = queue.shift()!
    if (visited.some((v) => dominates(v, s))) continue
    if (covers(s)) return false
    visited.push(s)
    if (visited.length > OR_JOIN_STATE_CAP) return undefined
    queue.push(...successors(net, j, s))
  }
  return true
}

function dominates(big: State, small: State): boolean {
  for (const [k, n] of small) if ((big.get(k) ?? 0) < n) return false
  return true
}

function add(s: State, k: string, d: number): void {
  const n = (s.get(k) ?? 0) + d
  if (n > 0) s.set(k, n)
  else s.delete(k)
}

function successors(net: Net, j: string, s: State): State[] {
  const out: State[] = []
  for (const t of net.tasks.values()) {
    // start t (j never starts)
    if (t.name !== j) {
      const consumeSets = t.join === 'and' ? (t.inputs.every((c) => s.has(c)) ? [[...new Set(t.inputs)]] : []) : t.inputs.filter((c) => s.has(c)).map((c) => [c])
      for (const set of consumeSets) {
        const next = new Map(s)
        for (const c of set) add(next, c, -1)
        add(next, `busy:${t.name}`, 1)
        out.push(next)
      }
    }
    // end t
    if (s.has(`busy:${t.name}`)) {
      const base = new Map(s)
      add(base, `busy:${t.name}`, -1)
      const region = t.region
      if (region) {
        for (const c of region.conditions) base.delete(c)
        for (const rt of region.tasks) {
          base.delete(`busy:${rt}`)
          if (rt === t.name) continue
          for (const c of net.tasks.get(rt)!.inputs) if (net.conditions.get(c)!.implicit) base.delete(c)
        }
      }
      const outputsSets = t.split === 'xor' ? t.outputs.map((c) => [c]) : [t.outputs]
      for (const set of outputsSets) {
        const next = new Map(base)
        for (const c of set) add(next, c, 1)
        out.push(next)
      }
    }
  }
  return out
}
