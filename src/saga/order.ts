import type { CompensationOrder, SagaDefinition, StepDefinition } from './define'

/**
 * The orders of a saga's steps that both its net (compile.ts) and its runtime (compensation.ts) follow: which
 * steps run after which, and which compensations wait for which.
 */

/** The steps that run after each step. */
export function successorsOf(steps: readonly StepDefinition[]): Map<string, string[]> {
  const next = new Map(steps.map((s) => [s.name, [] as string[]]))
  for (const s of steps) for (const before of s.after) next.get(before)!.push(s.name)
  return next
}

/**
 * For each compensable step, the compensations that must finish before its own starts. `dependencies`: those of
 * the nearest compensable steps that ran after it (through steps without a compensation); `graph`: those it names.
 */
export function compensationPredecessors(steps: readonly StepDefinition[], order: CompensationOrder): Map<string, string[]> {
  const compensable = new Set(steps.filter((s) => s.compensate).map((s) => s.name))
  const result = new Map<string, string[]>()
  if (order === 'graph') {
    for (const s of steps) if (compensable.has(s.name)) result.set(s.name, s.compensationAfter.filter((o) => compensable.has(o)))
    return result
  }
  const next = successorsOf(steps)
  const nearest = new Map<string, Set<string>>()
  // Declaration order is a topological order (a step names only earlier steps), so walk it backwards.
  for (const s of [...steps].reverse()) {
    const found = new Set<string>()
    for (const n of next.get(s.name)!) {
      if (compensable.has(n)) found.add(n)
      else for (const m of nearest.get(n)!) found.add(m)
    }
    nearest.set(s.name, found)
    if (compensable.has(s.name)) result.set(s.name, [...found])
  }
  return result
}

/**
 * The compensable steps in an order their compensations can run one by one: each after those it waits for
 * (`compensationPredecessors`), ties in reverse declaration order (`lifo`, `dependencies`: exactly the reverse of
 * declaration) or in declaration order (`graph`).
 */
export function compensationSequence(saga: SagaDefinition): StepDefinition[] {
  const predecessors = compensationPredecessors(saga.steps, saga.options.order)
  const compensable = saga.steps.filter((s) => s.compensate)
  const candidates = saga.options.order === 'graph' ? compensable : [...compensable].reverse()
  const done = new Set<string>()
  const order: StepDefinition[] = []
  while (order.length < candidates.length) {
    const next = candidates.find((s) => !done.has(s.name) && predecessors.get(s.name)!.every((p) => done.has(p)))!
    done.add(next.name)
    order.push(next)
  }
  return order
}
