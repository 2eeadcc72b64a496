import type { FunctionReference } from 'convex/server'
import { z } from 'zod/v4'
import { tasknetError } from '../errors'
import { saga, type SagaBuilder } from './builder'
import { deleteCreated, incrementBack, isValuePath, refundCharge, restoreFields } from './compensations'
import type { Compensation, LocalAction, ServiceStep, StepSpec } from './define'

/**
 * Sagas from JSON (docs/sagas.md#json-with-a-registry): a definition that is plain data — stored in a table,
 * edited in a tool, sent by another service — names its code by key in a registry the app builds in TypeScript.
 * `sagaFromJson` checks the data, resolves the keys and replays the steps through `saga(…).step(…)`: the result
 * is the same builder, the same net and the same runtime as a saga declared in code.
 */

/** The code a JSON definition may name: every key it uses must be here. */
export type SagaRegistry = {
  /** Local actions (`"action": "<key>"`). */
  actions?: Record<string, LocalAction<never>>
  /** Service steps (`"service": "<key>"`): the action, its retry policy and result schema, as in the builder. */
  services?: Record<string, ServiceStep<never>>
  /** Compensations (`"compensate": "<key>"`). */
  compensations?: Record<string, Compensation<never>>
  /** Internal functions the `refund` builder schedules (`"handler": "<key>"`). */
  handlers?: Record<string, FunctionReference<'mutation' | 'action', 'internal'>>
}

/** A compensation built from data (`compensations.ts`), for a step whose undo is one of the common four. */
export type JsonCompensationBuilder =
  | { builder: 'delete'; table: string; idFrom: string }
  | { builder: 'restore'; table: string; idFrom: string; fields: string[] }
  | { builder: 'increment'; table: string; idFrom: string; field: string; amountFrom: string }
  | { builder: 'refund'; handler: string; chargeIdFrom: string; amountFrom: string }

/** A saga as JSON: what `sagaFromJson` accepts. */
export type JsonSagaDefinition = {
  name: string
  order?: 'lifo' | 'dependencies' | 'graph'
  onCompensationFailure?: 'continue' | 'halt'
  deadlineMs?: number
  steps: Array<{
    name: string
    action?: string
    service?: string
    after?: string[]
    compensationAfter?: string[]
    compensateIfUncertain?: boolean
    compensate: null | string | JsonCompensationBuilder
  }>
}

const PATH_EXPECTED = "expected a path 'output.<key>', 'snapshot.<key>' or 'input.<key>'"
const BUILDERS = "expected null (nothing to undo), the registry key of a compensation, or { builder: 'delete' | 'restore' | 'increment' | 'refund', … }"

// Built on first use, not at module load: an app that never reads JSON sagas does not pay for the schemas (npm run size).
let schemas: ReturnType<typeof makeSchemas> | undefined
function makeSchemas() {
  const key = (what: string) => z.string({ error: `expected the registry key of ${what} (a string)` }).min(1, { error: `expected the registry key of ${what}, not an empty string` })
  const text = (what: string) => z.string({ error: `expected ${what} (a string)` }).min(1, { error: `expected ${what}, not an empty string` })
  const path = z.string({ error: PATH_EXPECTED }).refine(isValuePath, { error: PATH_EXPECTED })
  const names = (what: string) => z.array(z.string(), { error: `expected an array of ${what}` })
  const builders = {
    delete: z.strictObject({ builder: z.literal('delete'), table: text('a table name'), idFrom: path }),
    restore: z.strictObject({
      builder: z.literal('restore'),
      table: text('a table name'),
      idFrom: path,
      fields: z.array(text('a field name'), { error: 'expected an array of field names' }).min(1, { error: 'expected at least one field to restore' }),
    }),
    increment: z.strictObject({ builder: z.literal('increment'), table: text('a table name'), idFrom: path, field: text('a field name'), amountFrom: path }),
    refund: z.strictObject({ builder: z.literal('refund'), handler: key('a handler'), chargeIdFrom: path, amountFrom: path }),
  }
  const step = z.strictObject(
    {
      name: text('the step name'),
      action: key('a local action').optional(),
      service: key('a service step').optional(),
      after: names('step names').optional(),
      compensationAfter: names('step names').optional(),
      compensateIfUncertain: z.boolean({ error: 'expected true or false' }).optional(),
      // The builder's own fields are checked apart (below), so that an error names the builder's field.
      compensate: z.union([z.null(), z.string().min(1), z.looseObject({ builder: z.string() })], { error: BUILDERS }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}; a step takes name, action or service, compensate, after, compensationAfter, compensateIfUncertain` : 'expected an object { name, action or service, compensate, … }') },
  )
  const definition = z.strictObject(
    {
      name: text('the saga name'),
      order: z.enum(['lifo', 'dependencies', 'graph'], { error: "expected 'lifo', 'dependencies' or 'graph'" }).optional(),
      onCompensationFailure: z.enum(['continue', 'halt'], { error: "expected 'continue' or 'halt'" }).optional(),
      deadlineMs: z.number({ error: 'expected a number of milliseconds' }).positive({ error: 'expected a number of milliseconds > 0' }).optional(),
      steps: z.array(step, { error: 'expected an array of steps' }).min(1, { error: 'expected at least one step' }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}; a saga takes name, order, onCompensationFailure, deadlineMs, steps` : 'expected an object { name, steps, … }') },
  )
  return { definition, builders }
}

const nameOf = (value: unknown): string | undefined => (value !== null && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string' ? (value as { name: string }).name : undefined)

/** `Saga 'x': step 'y' (steps[2]): compensate.idFrom: expected …` — the saga, the step and the field, then what is expected. */
function refuse(definition: unknown, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix: ReadonlyArray<PropertyKey> = []): never {
  const sagaName = nameOf(definition) ?? '(unnamed)'
  const steps = (definition as { steps?: unknown }).steps
  const lines = issues.map(({ path: rest, message }) => {
    const path = [...prefix, ...rest]
    if (path[0] === 'steps' && typeof path[1] === 'number') {
      const name = Array.isArray(steps) ? nameOf(steps[path[1]]) : undefined
      const field = path.slice(2).join('.')
      return `step ${name !== undefined ? `'${name}' ` : ''}(steps[${path[1]}])${field ? `: ${field}` : ''}: ${message}`
    }
    return `${path.length > 0 ? `${path.join('.')}: ` : ''}${message}`
  })
  throw tasknetError('INVALID_DEFINITION', `Saga '${sagaName}' (JSON): ${lines.join('; ')}.`, { saga: sagaName })
}

function lookUp<T>(definition: JsonSagaDefinition, step: number, field: string, kind: keyof SagaRegistry, table: Record<string, T> | undefined, name: string): T {
  if (table && Object.hasOwn(table, name)) return table[name]!
  const known = table ? Object.keys(table) : []
  return refuse(definition, [{ path: ['steps', step, field], message: `'${name}' is not in the registry's ${kind} (${known.length > 0 ? `it has ${known.map((k) => `'${k}'`).join(', ')}` : 'none given'})` }])
}

function compensationOf(definition: JsonSagaDefinition, index: number, registry: SagaRegistry): Compensation<unknown> | null {
  const spec = definition.steps[index]!.compensate
  if (spec === null) return null
  if (typeof spec === 'string') return lookUp(definition, index, 'compensate', 'compensations', registry.compensations, spec) as Compensation<unknown>
  const { builders } = schemas!
  const kind = (spec as { builder: string }).builder
  if (!Object.hasOwn(builders, kind)) return refuse(definition, [{ path: ['steps', index, 'compensate', 'builder'], message: `'${kind}' is not a builder; expected 'delete', 'restore', 'increment' or 'refund'` }])
  const parsed = builders[kind as keyof typeof builders].safeParse(spec)
  if (!parsed.success) return refuse(definition, parsed.error.issues, ['steps', index, 'compensate'])
  const b = parsed.data as JsonCompensationBuilder
  // The paths were checked above, so the builders' own checks pass.
  switch (b.builder) {
    case 'delete':
      return deleteCreated({ table: b.table, idFrom: b.idFrom as never })
    case 'restore':
      return restoreFields({ table: b.table, idFrom: b.idFrom as never, fields: b.fields })
    case 'increment':
      return incrementBack({ table: b.table, idFrom: b.idFrom as never, field: b.field, amountFrom: b.amountFrom as never })
    case 'refund':
      return refundCharge({ handler: lookUp(definition, index, 'compensate.handler', 'handlers', registry.handlers, b.handler), chargeIdFrom: b.chargeIdFrom as never, amountFrom: b.amountFrom as never })
  }
}

/**
 * A saga from a JSON definition (`JsonSagaDefinition`) and the registry of the code it names. Refuses, with
 * `INVALID_DEFINITION` naming the saga, the step, the field and what is expected: data that does not match the
 * shape, a key the registry lacks, a step with both or neither of `action` and `service`, and everything
 * `saga(…).step(…)` refuses (a step name used twice, an `after` naming a step not declared before, …).
 *
 * Returns the builder, so that the app adds the input's schema (`.input(z.object(…))`) and calls `.build()`.
 */
export function sagaFromJson(definition: unknown, registry: SagaRegistry): SagaBuilder<unknown, string> {
  schemas ??= makeSchemas()
  const parsed = schemas.definition.safeParse(definition)
  if (!parsed.success) refuse(definition ?? {}, parsed.error.issues)
  const json = parsed.data as JsonSagaDefinition
  let builder: SagaBuilder<unknown, string> = saga(json.name, {
    ...(json.order !== undefined ? { order: json.order } : {}),
    ...(json.onCompensationFailure !== undefined ? { onCompensationFailure: json.onCompensationFailure } : {}),
    ...(json.deadlineMs !== undefined ? { deadlineMs: json.deadlineMs } : {}),
  })
  json.steps.forEach((step, index) => {
    if ((step.action === undefined) === (step.service === undefined)) {
      refuse(json, [{ path: ['steps', index], message: "expected exactly one of 'action' (the registry key of a local action) and 'service' (the registry key of a service step)" }])
    }
    const forward =
      step.action !== undefined
        ? { action: lookUp(json, index, 'action', 'actions', registry.actions, step.action) as LocalAction<unknown> }
        : { service: lookUp(json, index, 'service', 'services', registry.services, step.service!) as ServiceStep<unknown> }
    const spec = {
      ...forward,
      compensate: compensationOf(json, index, registry),
      ...(step.after !== undefined ? { after: step.after } : {}),
      ...(step.compensationAfter !== undefined ? { compensationAfter: step.compensationAfter } : {}),
      ...(step.compensateIfUncertain !== undefined ? { compensateIfUncertain: step.compensateIfUncertain } : {}),
    } as StepSpec<unknown, string>
    builder = builder.step(step.name, spec)
  })
  return builder
}
