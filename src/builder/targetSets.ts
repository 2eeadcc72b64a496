import { implicitConditionName, type SplitType } from '../net/definition'
import type { FlowSpec } from './flow'

/**
 * The target sets a route declares (`.route(fn, { targetSets })`), checked when the workflow is
 * built. A route is a function of data the net does not see, so without them an OR-split may take
 * any non-empty subset of its flows; with them the route promises one of a few sets, which the
 * runtime holds it to (`INVALID_ROUTE`) and `verifyWorkflow` explores instead of every subset.
 */

export type CheckedTargetSets = {
  /** What is wrong with the sets, each with how to fix it; empty when they are valid. */
  readonly problems: string[]
  /** Each set as the output conditions it marks (the implicit condition of a flow to a task), when valid. */
  readonly sets: string[][] | undefined
}

/** Checks the target sets of `task`'s flows: each set non-empty, of declared targets, named once; no set twice; one target per set for an XOR-split. */
export function checkTargetSets(task: string, splitType: SplitType, flow: FlowSpec): CheckedTargetSets {
  const declared = flow.targetSets
  if (declared === undefined) return { problems: [], sets: undefined }
  const where = `connectTask('${task}', ...)`
  const targets = new Map(flow.targets.map((t) => [t.name, t]))
  const listed = flow.targets.map((t) => t.name).join(', ')
  if (!Array.isArray(declared) || declared.length === 0) {
    return {
      problems: [
        `${where} declares no target sets: pass .route(fn, { targetSets: [[...], ...] }) at least one set of its targets (${listed}), or leave the option out.`,
      ],
      sets: undefined,
    }
  }
  const problems: string[] = []
  const sets: string[][] = []
  const seen = new Map<string, string>()
  for (const set of declared as readonly unknown[]) {
    if (!Array.isArray(set)) {
      problems.push(`${where} declares the target set ${String(set)}, which is not an array: each set is an array of target names, e.g. ['${flow.targets[0]?.name ?? 'a'}'].`)
      continue
    }
    const names = set.map(String)
    const shown = `[${names.join(', ')}]`
    if (names.length === 0) {
      problems.push(`${where} declares an empty target set []: each set names at least one of its targets (${listed}); remove it.`)
      continue
    }
    const problemsBefore = problems.length
    for (const name of names.filter((n) => !targets.has(n))) {
      problems.push(`${where} declares the target set ${shown}, but '${name}' is not one of its targets (${listed}): a set names only targets listed in the same connectTask call.`)
    }
    for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) {
      problems.push(`${where} declares the target set ${shown}, which names '${name}' twice: name each target of a set once.`)
    }
    if (splitType === 'xor' && names.length !== 1) {
      problems.push(
        `task '${task}' has an XOR-split, which takes exactly one flow, but its target set ${shown} names ${names.length} targets: give each set one target, or use .withSplitType('or').`,
      )
    }
    // Sets are compared as sets: a route's targets are checked against them in any order.
    const key = JSON.stringify([...new Set(names)].sort())
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      problems.push(`${where} declares the target set ${shown} twice (as ${earlier} and ${shown}; order does not matter): declare each set once.`)
      continue
    }
    seen.set(key, shown)
    if (problems.length === problemsBefore) {
      sets.push(names.map((name) => (targets.get(name)!.kind === 'task' ? implicitConditionName(task, name) : name)))
    }
  }
  return { problems, sets: problems.length === 0 ? sets : undefined }
}
