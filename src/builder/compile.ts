import { tasknetError } from '../errors'
import { implicitConditionName, type CancellationRegion, type ConditionNode, type NetDefinition, type TaskNode } from '../net/definition'
import type { TaskDefinition, WorkflowDefinition } from './definition'
import type { FlowSpec } from './flow'
import { schemaProblems } from './schemas'
import { checkTargetSets } from './targetSets'
import type { WorkflowSpec } from './workflow'

/**
 * Turns a workflow spec into its definition, refusing one that cannot run.
 * Every problem found is listed, each with how to fix it, so a developer
 * fixes them in one pass.
 */
export function compileWorkflow(spec: WorkflowSpec, compiled = new Map<WorkflowSpec, WorkflowDefinition>()): WorkflowDefinition {
  // A workflow met again below itself (recursion, WCP-22) is the definition being compiled.
  const done = compiled.get(spec)
  if (done) return done
  const problems: string[] = []
  const taskNames: string[] = spec.tasks.map((t) => t.name)
  const explicit: string[] = [...spec.conditions]

  if (spec.startCondition === undefined) problems.push(`it has no start condition: add .startCondition('start').`)
  if (spec.endCondition === undefined) problems.push(`it has no end condition: add .endCondition('end').`)
  for (const name of duplicates([...explicit, ...taskNames])) {
    problems.push(`the name '${name}' is used more than once: give every condition and task its own name.`)
  }

  // Conditions: explicit ones, plus one implicit condition per task-to-task flow.
  const conditionIn = new Map<string, string[]>(explicit.map((c): [string, string[]] => [c, []]))
  const conditionOut = new Map<string, string[]>(explicit.map((c): [string, string[]] => [c, []]))
  const implicit = new Set<string>()
  const taskIn = new Map<string, string[]>(taskNames.map((t) => [t, []]))
  const taskOut = new Map<string, string[]>(taskNames.map((t) => [t, []]))

  const conditionFlows = spec.flows.filter((f) => f.kind === 'condition')
  const taskFlows = spec.flows.filter((f) => f.kind === 'task')
  for (const from of duplicates(conditionFlows.map((f) => f.from))) {
    problems.push(`connectCondition('${from}') is called more than once: declare all its flows in one call.`)
  }
  for (const from of duplicates(taskFlows.map((f) => f.from))) {
    problems.push(`connectTask('${from}') is called more than once: declare all its flows in one call.`)
  }

  // One pass in declaration order: a task's inputs are listed in the order their flows were
  // declared, which is the order an XOR-join consumes in (docs/semantics.md#firing).
  for (const { kind, from, flow } of spec.flows) {
    if (kind === 'condition') connectConditionFlow(from, flow)
    else connectTaskFlow(from, flow)
  }

  function connectConditionFlow(from: string, flow: FlowSpec) {
    if (!conditionIn.has(from)) {
      problems.push(`connectCondition('${from}'): there is no condition '${from}'; declare it with .condition('${from}').`)
      return
    }
    if (from === spec.endCondition) problems.push(`the end condition '${from}' has outgoing flows: the end condition ends the workflow.`)
    if (flow.route) problems.push(`connectCondition('${from}') has a route: only tasks route; use a task with an XOR-split.`)
    for (const name of duplicates(flow.targets.map((t) => t.name))) {
      problems.push(`connectCondition('${from}') names '${name}' twice.`)
    }
    for (const target of flow.targets) {
      if (!taskIn.has(target.name)) {
        problems.push(`connectCondition('${from}') leads to '${target.name}', which is not a declared task: declare it with .task('${target.name}', ...) or fix the name.`)
        continue
      }
      conditionOut.get(from)!.push(target.name)
      taskIn.get(target.name)!.push(from)
    }
  }

  function connectTaskFlow(from: string, flow: FlowSpec) {
    if (!taskOut.has(from)) {
      problems.push(`connectTask('${from}'): there is no task '${from}'; declare it with .task('${from}', ...).`)
      return
    }
    for (const name of duplicates(flow.targets.map((t) => t.name))) {
      problems.push(`connectTask('${from}') names '${name}' twice.`)
    }
    for (const target of flow.targets) {
      if (target.kind === 'condition') {
        if (!conditionIn.has(target.name)) {
          problems.push(`connectTask('${from}') leads to condition '${target.name}', which is not declared: declare it with .condition('${target.name}') or fix the name.`)
          continue
        }
        if (target.name === spec.startCondition) {
          problems.push(`connectTask('${from}') leads into the start condition '${target.name}': add a separate condition to loop back to.`)
        }
        taskOut.get(from)!.push(target.name)
        conditionIn.get(target.name)!.push(from)
      } else {
        if (!taskIn.has(target.name)) {
          problems.push(`connectTask('${from}') leads to task '${target.name}', which is not declared: declare it with .task('${target.name}', ...) or fix the name.`)
          continue
        }
        const name = implicitConditionName(from, target.name)
        if (conditionIn.has(name) && !implicit.has(name)) {
          problems.push(`the condition '${name}' clashes with the implicit condition of the flow ${from} → ${target.name}: rename it.`)
          continue
        }
        implicit.add(name)
        conditionIn.set(name, [from])
        conditionOut.set(name, [target.name])
        taskOut.get(from)!.push(name)
        taskIn.get(target.name)!.push(name)
      }
    }
  }

  const flowsOf = new Map(taskFlows.map(({ from, flow }) => [from, flow]))
  for (const { name, task } of spec.tasks) {
    if (taskIn.get(name)!.length === 0) problems.push(`task '${name}' has no incoming flow: connect a condition or task to it.`)
    if (taskOut.get(name)!.length === 0) problems.push(`task '${name}' has no outgoing flow: add .connectTask('${name}', ...).`)
    const route = flowsOf.get(name)?.route
    if (task.splitType !== 'and' && !route && taskOut.get(name)!.length > 0) {
      problems.push(`task '${name}' has an ${task.splitType.toUpperCase()}-split but no route function: add .route(...) in connectTask('${name}', ...).`)
    }
    if (task.splitType === 'and' && route) {
      problems.push(`task '${name}' has a route function but an AND-split, which takes every flow: add .withSplitType('xor') or ('or'), or drop the route.`)
    }
  }

  problems.push(...schemaProblems(`workflow '${spec.name}'`, spec.actions))
  for (const { name, task } of spec.tasks) {
    if (task.workItem) problems.push(...schemaProblems(`work item '${task.workItem.spec.name}' (task '${name}')`, task.workItem.spec.actions))
  }

  // Cancellation regions (docs/semantics.md#cancellation-regions) name only declared elements. The owning task may
  // be in its own region: it is completing, so the region does not cancel it.
  const regions = new Map<string, CancellationRegion>()
  for (const owner of duplicates(spec.cancellationRegions.map((r) => r.task))) {
    problems.push(`withCancellationRegion('${owner}') is called more than once: declare its whole region in one call.`)
  }
  for (const { task: owner, region } of spec.cancellationRegions) {
    const where = `withCancellationRegion('${owner}')`
    if (!taskIn.has(owner)) {
      problems.push(`${where}: there is no task '${owner}'; declare it with .task('${owner}', ...) or fix the name.`)
      continue
    }
    for (const name of duplicates(region.tasks)) problems.push(`${where} names task '${name}' twice.`)
    for (const name of duplicates(region.conditions)) problems.push(`${where} names condition '${name}' twice.`)
    const flows = region.flows.map(([from, to]) => ({ from, to, condition: implicitConditionName(from, to) }))
    for (const name of duplicates(flows.map((f) => f.condition))) {
      const { from, to } = flows.find((f) => f.condition === name)!
      problems.push(`${where} names flow('${from}', '${to}') twice.`)
    }
    for (const { from, to, condition } of flows) {
      if (!implicit.has(condition)) {
        problems.push(`${where} names flow('${from}', '${to}'), but there is no flow from task '${from}' to task '${to}': add it with .connectTask('${from}', (to) => to.task('${to}')) or fix the names.`)
      }
    }
    for (const name of region.tasks) {
      if (!taskIn.has(name)) {
        problems.push(`${where} names task '${name}', which is not a declared task of workflow '${spec.name}': declare it with .task('${name}', ...) or fix the name.`)
      }
    }
    for (const name of region.conditions) {
      if (implicit.has(name)) {
        const [from, to] = [conditionIn.get(name)![0], conditionOut.get(name)![0]]
        problems.push(`${where} names '${name}', an implicit condition: a region names only declared conditions; name the flow instead with r.flow('${from}', '${to}').`)
      } else if (!explicit.includes(name)) {
        problems.push(`${where} names condition '${name}', which is not a declared condition of workflow '${spec.name}': declare it with .condition('${name}') or fix the name.`)
      }
    }
    if (region.tasks.length + region.conditions.length + flows.length > 0) {
      regions.set(owner, { tasks: [...region.tasks], conditions: [...region.conditions, ...flows.map((f) => f.condition)] })
    }
  }

  const conditions: Record<string, ConditionNode> = {}
  for (const [name, inputs] of conditionIn) {
    conditions[name] = { name, implicit: implicit.has(name), inputs, outputs: conditionOut.get(name)! }
    if (name === spec.startCondition && inputs.length > 0) {
      problems.push(`the start condition '${name}' has incoming flows: add a separate condition to loop back to.`)
    }
    if (!implicit.has(name) && name !== spec.startCondition && name !== spec.endCondition) {
      if (inputs.length === 0) problems.push(`condition '${name}' has no incoming flow: connect a task to it.`)
      if (conditionOut.get(name)!.length === 0) problems.push(`condition '${name}' has no outgoing flow: add .connectCondition('${name}', ...).`)
    }
  }
  const tasks: Record<string, TaskNode> = {}
  for (const { name, task } of spec.tasks) {
    const targetSets = checkTargetSets(name, task.splitType, flowsOf.get(name), problems)
    tasks[name] = {
      name,
      kind: task.kind,
      joinType: task.joinType,
      splitType: task.splitType,
      inputs: taskIn.get(name)!,
      outputs: taskOut.get(name)!,
      ...(regions.has(name) ? { cancellationRegion: regions.get(name)! } : {}),
      ...(targetSets && { targetSets }),
    }
  }

  if (problems.length === 0) {
    const net: NetDefinition = {
      name: spec.name,
      startCondition: spec.startCondition!,
      endCondition: spec.endCondition!,
      conditions,
      tasks,
    }
    problems.push(...reachabilityProblems(net))
  }

  // A workflow instance names its definition, so a name stands for one workflow across the
  // hierarchy. The same workflow may appear again below itself: that is recursion (WCP-22).
  const nested = new Map<string, WorkflowSpec>([[spec.name, spec]])
  const collect = (child: WorkflowSpec, owner: string) => {
    const seen = nested.get(child.name)
    if (seen === child) return
    if (seen) {
      problems.push(`the workflow name '${child.name}' (composite task '${owner}') is used twice in this workflow's hierarchy: give every child workflow its own name.`)
      return
    }
    nested.set(child.name, child)
    for (const { name, task } of child.tasks) for (const grandchild of resolvedChildren(name, task, problems)) collect(grandchild, name)
  }
  // Each of this workflow's lazy children is resolved once, here, and compiled below from the same specs.
  const childSpecs = new Map(spec.tasks.map(({ name, task }) => [name, resolvedChildren(name, task, problems)]))
  for (const { name, task } of spec.tasks) {
    if (task.children?.length === 0) {
      problems.push(`composite task '${name}' has no child workflow: pass at least one to Builder.dynamicCompositeTask([...]).`)
    }
    for (const child of childSpecs.get(name)!) collect(child, name)
  }

  if (problems.length > 0) {
    throw tasknetError(
      'INVALID_DEFINITION',
      `Workflow '${spec.name}' cannot run:\n- ${problems.join('\n- ')}`,
      { workflowName: spec.name },
    )
  }

  const net: NetDefinition = deepFreeze({
    name: spec.name,
    startCondition: spec.startCondition!,
    endCondition: spec.endCondition!,
    conditions,
    tasks,
  })
  // Registered before its children are compiled, so a child that is this workflow again refers to it.
  const taskDefinitions: Record<string, TaskDefinition> = {}
  const definition: WorkflowDefinition = Object.freeze({
    name: spec.name,
    net,
    actions: spec.actions,
    activities: spec.activities,
    tasks: taskDefinitions,
    ...(spec.deadline ? { deadline: spec.deadline } : {}),
  })
  compiled.set(spec, definition)
  for (const { name, task } of spec.tasks) {
    const children = task.children ? childSpecs.get(name)!.map((child) => compileWorkflow(child, compiled)) : undefined
    taskDefinitions[name] = Object.freeze({
      name,
      kind: task.kind,
      activities: task.activities,
      policy: task.policy,
      route: flowsOf.get(name)?.route,
      workItem: task.workItem?.toDefinition(),
      childWorkflows: children && Object.freeze(Object.fromEntries(children.map((child) => [child.name, child]))),
      dynamic: task.dynamic ?? false,
      ...(task.deadline ? { deadline: task.deadline } : {}),
    })
  }
  Object.freeze(taskDefinitions)
  return definition
}

/**
 * A composite task's child workflow specs. Children are referenced lazily (a function returning the
 * builder), so a workflow can name itself as a child; a reference that fails or returns no workflow
 * builder is a problem of the definition.
 */
function resolvedChildren(owner: string, task: WorkflowSpec['tasks'][number]['task'], problems: string[]): WorkflowSpec[] {
  const specs: WorkflowSpec[] = []
  for (const reference of task.children ?? []) {
    let child: unknown
    try {
      child = reference()
    } catch (error) {
      problems.push(`the child workflow of composite task '${owner}' could not be resolved (${error instanceof Error ? error.message : String(error)}): a lazy child (() => workflow) must return a workflow builder that exists when build() runs.`)
      continue
    }
    if (!isWorkflowSpec(child)) {
      problems.push(`the child workflow of composite task '${owner}' is not a workflow builder: pass Builder.workflow(...) (or a function returning one) to Builder.compositeTask.`)
      continue
    }
    specs.push(child)
  }
  return specs
}

function isWorkflowSpec(value: unknown): value is WorkflowSpec {
  return typeof value === 'object' && value !== null && 'name' in value && 'tasks' in value && 'flows' in value && typeof value.name === 'string'
}

/**
 * Every element must lie on a path from the start condition to the end
 * condition: one the start cannot reach never runs, and one from which the
 * end cannot be reached traps its tokens.
 */
function reachabilityProblems(net: NetDefinition): string[] {
  const forward = (node: string): readonly string[] => net.conditions[node]?.outputs ?? net.tasks[node]?.outputs ?? []
  const backward = (node: string): readonly string[] => net.conditions[node]?.inputs ?? net.tasks[node]?.inputs ?? []
  const fromStart = reach(net.startCondition, forward)
  const toEnd = reach(net.endCondition, backward)
  const problems: string[] = []
  const describe = (node: string) => (net.tasks[node] ? `task '${node}'` : `condition '${node}'`)
  for (const node of [...Object.keys(net.conditions), ...Object.keys(net.tasks)]) {
    if (!fromStart.has(node)) problems.push(`${describe(node)} cannot be reached from the start condition '${net.startCondition}': connect a path to it.`)
    if (!toEnd.has(node)) problems.push(`the end condition '${net.endCondition}' cannot be reached from ${describe(node)}: connect a path from it to the end.`)
  }
  return problems
}

function reach(from: string, next: (node: string) => readonly string[]): Set<string> {
  const seen = new Set([from])
  const stack = [from]
  while (stack.length > 0) {
    for (const n of next(stack.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n)
        stack.push(n)
      }
    }
  }
  return seen
}

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const n of names) (seen.has(n) ? twice : seen).add(n)
  return [...twice]
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
