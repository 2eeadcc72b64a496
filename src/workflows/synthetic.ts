import { z } from 'zod'
import { Builder, type WorkflowBuilder } from '../builder'
import type { WorkflowDefinition } from '../builder/definition'
import type { ConditionFlowBuilder, TaskFlowBuilder } from '../builder/flow'
import type { TaskSpec } from '../builder/task'
import { Decisions } from '../domain/choices'
import { decisionTask, offeredTask } from './basics'

/**
 * Synthetic nets of any size, for budgets and benchmarks: a step's cost must
 * not grow with the size of the net it runs in. Every atomic task offers one
 * work item as soon as it is enabled (`offeredTask`), so a test or a bench
 * drives the net only through `startWorkItem` and `completeWorkItem`.
 *
 * Each builder returns the checked definition (`build()` has run), named after
 * its shape and size, ready for `workflowHandlers(...)`.
 *
 * @example
 * const handlers = workflowHandlers(sequential(500))
 * const workflowId = await handlers.internal.initializeRootWorkflow(ctx, {})
 */

/**
 * The Builder's types accumulate declared names as literal unions so that a
 * flow or a route to an undeclared name does not compile. Names generated in a
 * loop are plain `string`s, which those types cannot follow (once a `string`
 * name is declared, every name counts as used and each later call takes `never`). This is the one
 * place that lets go of them: the loops below see the builder through
 * `Generated`, whose methods take any string. Nothing is lost at run time:
 * `build()` checks every name, flow and route of the finished net.
 */
type TaskFlows = TaskFlowBuilder<string, string, string, string>
type Generated = {
  condition(name: string): Generated
  startCondition(name: string): Generated
  endCondition(name: string): Generated
  task(name: string, task: { readonly spec: TaskSpec }): Generated
  dummyTask(name: string, task: { readonly spec: TaskSpec }): Generated
  compositeTask(name: string, task: { readonly spec: TaskSpec; readonly childWorkItems: object }): Generated
  connectCondition(name: string, flows: (to: ConditionFlowBuilder<string>) => ConditionFlowBuilder<string>): Generated
  connectTask(name: string, flows: (to: TaskFlows) => TaskFlows): Generated
  build(): WorkflowDefinition
}

function generated(name: string): Generated {
  const builder: WorkflowBuilder = Builder.workflow(name)
  return builder as unknown as Generated
}

/** `prefix1 … prefixN`. */
export function names(prefix: string, n: number): string[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`A synthetic net needs at least one task; got ${n}.`)
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`)
}

/** WCP-1 at scale: start → t1 → t2 → … → tn → end. */
export function sequential(n: number): WorkflowDefinition {
  const tasks = names('t', n)
  let wf = generated(`sequential${n}`).startCondition('start')
  for (const t of tasks) wf = wf.task(t, offeredTask(t))
  wf = wf.endCondition('end').connectCondition('start', (to) => to.task(tasks[0]!))
  tasks.forEach((t, i) => {
    const next = tasks[i + 1]
    wf = wf.connectTask(t, (to) => (next === undefined ? to.condition('end') : to.task(next)))
  })
  return wf.build()
}

/**
 * WCP-2/3 at scale: the atomic task `split` AND-splits to `b1 … bn`, which the
 * task `join` AND-joins; then end. The split is atomic (not dummy) so that
 * initializing the workflow stays cheap and the fan-out is a step of its own,
 * the split's completion.
 */
export function andSplit(n: number): WorkflowDefinition {
  const branches = names('b', n)
  let wf = generated(`andSplit${n}`).startCondition('start').task('split', offeredTask('split'))
  for (const b of branches) wf = wf.task(b, offeredTask(b))
  wf = wf
    .task('join', offeredTask('join').withJoinType('and'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('split'))
    .connectTask('split', (to) => branches.reduce((flows, b) => flows.task(b), to))
  for (const b of branches) wf = wf.connectTask(b, (to) => to.task('join'))
  return wf.connectTask('join', (to) => to.condition('end')).build()
}

/**
 * WCP-4/5 at scale: the task `choose` XOR-splits to one of `b1 … bn`, which the
 * task `merge` XOR-joins; then end. Like a real exclusive choice, the route
 * reads a domain decision: `choose`'s work item completes with `{ choice }`
 * (a branch name), its complete action records it, and the route sends the
 * token to that branch.
 */
export function xorSplit(n: number): WorkflowDefinition {
  const branches = names('b', n)
  const [first, ...rest] = branches
  let wf = generated(`xorSplit${n}`).startCondition('start').task('choose', decisionTask('choose', [first!, ...rest]))
  for (const b of branches) wf = wf.task(b, offeredTask(b))
  wf = wf
    .task('merge', offeredTask('merge').withJoinType('xor'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('choose'))
    .connectTask('choose', (to) =>
      branches
        .reduce((flows, b) => flows.task(b), to)
        .route(async ({ mutationCtx, parent, route }) => route.toTask(await Decisions.get(mutationCtx, parent.workflow.id, 'choose'))),
    )
  for (const b of branches) wf = wf.connectTask(b, (to) => to.task('merge'))
  return wf.connectTask('merge', (to) => to.condition('end')).build()
}

/**
 * A task whose work item completes with `{ choice }`, a comma-separated list of
 * branch names, and whose route takes those branches (an OR-split). The
 * complete action records the choice as a domain decision, as a real
 * multi-choice would.
 */
function multiChoiceTask(name: string, branches: readonly string[]) {
  const workItem = Builder.workItem(name).withActions(
    Builder.workItemActions().complete(z.object({ choice: z.string() }), async ({ mutationCtx, workItem, parent }, payload) => {
      await Decisions.record(mutationCtx, parent.workflow.id, parent.task.name, payload.choice)
      await workItem.complete()
    }),
  )
  return Builder.task(workItem)
    .withSplitType('or')
    .withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    })
}

/**
 * WCP-6/7 at scale: an OR-split of `outputs` branches synchronised by an
 * OR-join. `choose` takes the branches its decision lists (`{ choice:
 * 'b1,b3' }`); branch `bK` is a chain of tasks `bK`, `bK_2`, … `bK_L`; the
 * OR-join `merge` then ends the workflow. With `tasks`, a prefix sequence
 * `p1 … pk` before `choose` and the branch length `L` make the net about that
 * many tasks (at least `outputs + 2`): the OR-join analysis then runs on a net
 * of that size.
 */
export function orSplitJoin(outputs: number, tasks = outputs + 2): WorkflowDefinition {
  const branches = names('b', outputs)
  const length = Math.max(1, Math.floor((tasks - 2) / outputs))
  const prefix = Math.max(0, tasks - 2 - outputs * length)
  const chain = (b: string) => [b, ...Array.from({ length: length - 1 }, (_, i) => `${b}_${i + 2}`)]
  const before = prefix > 0 ? names('p', prefix) : []
  let wf = generated(`orSplitJoin${outputs}x${tasks}`).startCondition('start')
  for (const p of before) wf = wf.task(p, offeredTask(p))
  wf = wf.task('choose', multiChoiceTask('choose', branches))
  for (const b of branches) for (const t of chain(b)) wf = wf.task(t, offeredTask(t))
  wf = wf.task('merge', offeredTask('merge').withJoinType('or')).endCondition('end')
  const sequence = [...before, 'choose']
  wf = wf.connectCondition('start', (to) => to.task(sequence[0]!))
  sequence.slice(0, -1).forEach((p, i) => (wf = wf.connectTask(p, (to) => to.task(sequence[i + 1]!))))
  wf = wf.connectTask('choose', (to) =>
    branches
      .reduce((flows, b) => flows.task(b), to)
      .route(async ({ mutationCtx, parent, route }) => {
        const chosen = (await Decisions.get(mutationCtx, parent.workflow.id, 'choose')).split(',')
        return branches.filter((b) => chosen.includes(b)).map((b) => route.toTask(b))
      }),
  )
  for (const b of branches) {
    const links = chain(b)
    links.forEach((t, i) => (wf = wf.connectTask(t, (to) => to.task(links[i + 1] ?? 'merge'))))
  }
  return wf.connectTask('merge', (to) => to.condition('end')).build()
}

/** The leaf of a nested net: `first` then `second`, so a step inside it can be measured apart from its end. */
function leafWorkflow(name: string) {
  return generated(name)
    .startCondition('start')
    .task('first', offeredTask('first'))
    .task('second', offeredTask('second'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('first'))
    .connectTask('first', (to) => to.task('second'))
    .connectTask('second', (to) => to.condition('end'))
}

/** A composite task `work` that starts `children` children of `child` when it is enabled. */
function parentWorkflow(name: string, child: Generated, children: number) {
  const work = Builder.compositeTask(child as unknown as WorkflowBuilder).withActivities({
    onEnabled: async ({ workflow }) => {
      for (let k = 0; k < children; k++) await workflow.initialize()
    },
  })
  return generated(name)
    .startCondition('start')
    .compositeTask('work', work)
    .endCondition('end')
    .connectCondition('start', (to) => to.task('work'))
    .connectTask('work', (to) => to.condition('end'))
}

/**
 * Composite tasks at scale: `depth` levels of workflows `level0` (the root) …
 * `level{depth-1}`, each with one composite task `work` that starts
 * `children` children of the next level when enabled (only the root's task
 * starts more than one, so the hierarchy has `children` branches of
 * `depth - 1` further levels); the deepest level is a leaf with two atomic
 * tasks, `first` and `second`.
 */
export function nested(depth: number, children = 1): WorkflowDefinition {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`A nested net needs a depth of at least 1; got ${depth}.`)
  let child = leafWorkflow(`level${depth}`)
  for (let level = depth - 1; level >= 0; level--) child = parentWorkflow(`level${level}`, child, level === 0 ? children : 1)
  return child.build()
}

/**
 * An AND-join of fan-in `n` whose inputs are marked over several steps: a sequence of atomic tasks
 * `s1 … sk`, each of which AND-splits to the next one and to `width` conditions `c…` (the last
 * splitter to what remains), and the task `join`, which AND-joins the `n` conditions; then end.
 * The join's firing consumes `n` tokens, more than one split can produce (docs/api.md#limits).
 */
export function wideJoin(n: number, width = 4000): WorkflowDefinition {
  const inputs = names('c', n)
  const splitters = names('s', Math.ceil(n / width))
  let wf = generated(`wideJoin${n}`).startCondition('start')
  for (const s of splitters) wf = wf.task(s, offeredTask(s))
  for (const c of inputs) wf = wf.condition(c)
  wf = wf.task('join', offeredTask('join').withJoinType('and')).endCondition('end')
  wf = wf.connectCondition('start', (to) => to.task(splitters[0]!))
  splitters.forEach((s, i) => {
    const next = splitters[i + 1]
    const own = inputs.slice(i * width, (i + 1) * width)
    wf = wf.connectTask(s, (to) => own.reduce((flows, c) => flows.condition(c), next === undefined ? to : to.task(next)))
  })
  for (const c of inputs) wf = wf.connectCondition(c, (to) => to.task('join'))
  return wf.connectTask('join', (to) => to.condition('end')).build()
}
