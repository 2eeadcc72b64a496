import type { FunctionReference, GenericDatabaseWriter, GenericDataModel } from 'convex/server'
import type { GenericId, Value } from 'convex/values'
import { tasknetError } from '../errors'
import type { Compensation, CompensationContext } from './define'

/**
 * Ready-made compensations for the four undo operations most steps need (docs/sagas.md#compensation-builders),
 * after `000_…`'s delete / restore / increment / refund builders: each returns an ordinary `Compensation`, for
 * the typed builder's `compensate` or a JSON definition's `{ builder, … }`.
 *
 * They read the step's record through paths that say where the value lives: `output.<key>` (what the step's
 * action returned), `snapshot.<key>` (what it kept with `keep`, as it was when the step ran) or `input.<key>` (the
 * saga's input), with `.` between nested keys.
 *
 * A compensation runs once, in a sub-transaction committed with its record (docs/sagas.md#the-net), so none of
 * them needs to guard against running twice. What they do guard against is a world that moved on: a document the
 * app deleted since the step ran is not an error — there is nothing left to undo, and the compensation succeeds
 * without writing. A value missing from the step's record, or an id of another table, is a mistake in the saga,
 * and fails the compensation (recorded in `compensationErrors`).
 */

/** Where a builder reads a value: `output.<key>`, `snapshot.<key>` or `input.<key>`, keys separated by `.`. */
export type ValuePath = `${'output' | 'snapshot' | 'input'}.${string}`

const PATH = /^(output|snapshot|input)(\.[A-Za-z_$][A-Za-z0-9_$]*)+$/

/** True when `path` is a `ValuePath` the builders can read. */
export const isValuePath = (path: unknown): path is ValuePath => typeof path === 'string' && PATH.test(path)

/** Refused when a builder is made, so that a misspelled path fails at deployment, not in the middle of a rollback. */
function checkedPath(builder: string, option: string, path: string): ValuePath {
  if (!isValuePath(path)) {
    throw tasknetError('INVALID_DEFINITION', `Compensation ${builder}: ${option} '${path}' is not a path the compensation can read; expected 'output.<key>', 'snapshot.<key>' or 'input.<key>'.`, { builder, option })
  }
  return path
}

function read(ctx: CompensationContext<unknown>, path: ValuePath): unknown {
  const [source, ...keys] = path.split('.')
  let value: unknown = source === 'output' ? ctx.output : source === 'snapshot' ? ctx.snapshot : ctx.input
  for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
  return value
}

const stateError = (ctx: CompensationContext<unknown>, builder: string, message: string) =>
  tasknetError('INVALID_STATE', `Compensation ${builder} of step '${ctx.step}' (workflow ${ctx.workflowId}): ${message}`, { step: ctx.step, workflowId: ctx.workflowId, builder })

const dbOf = (ctx: CompensationContext<unknown>) => ctx.mutationCtx.db as unknown as GenericDatabaseWriter<GenericDataModel>

/** The id at `path`, checked to be a document id of `table`. */
function idAt(ctx: CompensationContext<unknown>, builder: string, table: string, path: ValuePath): GenericId<string> {
  const raw = read(ctx, path)
  if (typeof raw !== 'string') throw stateError(ctx, builder, `expected the id of a '${table}' document at ${path}, found ${raw === undefined ? 'nothing' : JSON.stringify(raw)}.`)
  const id = dbOf(ctx).normalizeId(table, raw)
  if (id === null) throw stateError(ctx, builder, `${path} holds '${raw}', which is not an id of table '${table}'.`)
  return id
}

function numberAt(ctx: CompensationContext<unknown>, builder: string, path: ValuePath): number {
  const value = read(ctx, path)
  if (typeof value !== 'number' || !Number.isFinite(value)) throw stateError(ctx, builder, `expected a number at ${path}, found ${value === undefined ? 'nothing' : JSON.stringify(value)}.`)
  return value
}

/**
 * Undoes a step that created a document: deletes the document of `table` whose id is at `idFrom` (usually
 * `output.<key>`, the id the step returned). Already deleted: nothing to do.
 */
export function deleteCreated<Input = unknown>(options: { table: string; idFrom: ValuePath }): Compensation<Input> {
  const idFrom = checkedPath('deleteCreated', 'idFrom', options.idFrom)
  return async (ctx) => {
    const c = ctx as CompensationContext<unknown>
    const id = idAt(c, 'deleteCreated', options.table, idFrom)
    if ((await dbOf(c).get(id)) !== null) await dbOf(c).delete(id)
  }
}

/**
 * Undoes a step that changed fields of a document: sets each of `fields` back to its value in the step's
 * snapshot (`keep({ <field>: value before the change, … })`, taken when the step ran, whatever happened since).
 * A field the snapshot does not hold was absent before the step, so it is removed. The document's id is at
 * `idFrom` (`snapshot.<key>` or `output.<key>`). No snapshot kept: the compensation fails, since it cannot tell
 * what to restore. Document deleted since: nothing to restore.
 */
export function restoreFields<Input = unknown>(options: { table: string; idFrom: ValuePath; fields: readonly string[] }): Compensation<Input> {
  const idFrom = checkedPath('restoreFields', 'idFrom', options.idFrom)
  if (options.fields.length === 0) throw tasknetError('INVALID_DEFINITION', 'Compensation restoreFields: fields is empty; name the fields the step changes.', { builder: 'restoreFields' })
  return async (ctx) => {
    const c = ctx as CompensationContext<unknown>
    const snapshot = c.snapshot
    if (snapshot === null || typeof snapshot !== 'object') throw stateError(c, 'restoreFields', `the step kept no snapshot (keep({ … })) to restore ${options.fields.join(', ')} from.`)
    const id = idAt(c, 'restoreFields', options.table, idFrom)
    if ((await dbOf(c).get(id)) === null) return
    const kept = snapshot as Record<string, unknown>
    // `undefined` removes the field in a patch: it was not there before the step.
    await dbOf(c).patch(id, Object.fromEntries(options.fields.map((field) => [field, field in kept ? (kept[field] as Value) : undefined])))
  }
}

/**
 * Undoes a step that decremented a counter: adds the number at `amountFrom` (what the step took, usually
 * `output.<key>`) back to `field` of the document of `table` whose id is at `idFrom`. The field is read when the
 * compensation runs, so what others changed since stays. Document deleted since: nothing to add back to. A field
 * that is not a number fails the compensation.
 */
export function incrementBack<Input = unknown>(options: { table: string; idFrom: ValuePath; field: string; amountFrom: ValuePath }): Compensation<Input> {
  const idFrom = checkedPath('incrementBack', 'idFrom', options.idFrom)
  const amountFrom = checkedPath('incrementBack', 'amountFrom', options.amountFrom)
  return async (ctx) => {
    const c = ctx as CompensationContext<unknown>
    const id = idAt(c, 'incrementBack', options.table, idFrom)
    const amount = numberAt(c, 'incrementBack', amountFrom)
    const doc = await dbOf(c).get(id)
    if (doc === null) return
    const current = (doc as Record<string, unknown>)[options.field]
    if (typeof current !== 'number') throw stateError(c, 'incrementBack', `field '${options.field}' of ${options.table} ${id} is ${JSON.stringify(current)}, not a number.`)
    await dbOf(c).patch(id, { [options.field]: current + amount })
  }
}

/** What `refundCharge`'s handler receives. */
export type RefundRequest = { chargeId: string; amount: number; idempotencyKey: string; workflowId: string; step: string }

/**
 * Undoes a step that charged money: schedules the app's refund (`handler`, an internal mutation or action —
 * a payment provider is called from an action) with the charge id at `chargeIdFrom` and the amount at
 * `amountFrom`. Scheduling is part of the compensation's transaction: the refund is scheduled exactly when the
 * compensation commits, and it runs after it, on its own (its failure does not fail the saga's compensation; the
 * handler retries or reports as the app decides). `idempotencyKey` (`refund:<workflowId>:<step>`) is the same for
 * every attempt of this refund, for the provider.
 */
export function refundCharge<Input = unknown>(options: { handler: FunctionReference<'mutation' | 'action', 'internal'>; chargeIdFrom: ValuePath; amountFrom: ValuePath }): Compensation<Input> {
  const chargeIdFrom = checkedPath('refundCharge', 'chargeIdFrom', options.chargeIdFrom)
  const amountFrom = checkedPath('refundCharge', 'amountFrom', options.amountFrom)
  return async (ctx) => {
    const c = ctx as CompensationContext<unknown>
    const chargeId = read(c, chargeIdFrom)
    if (typeof chargeId !== 'string') throw stateError(c, 'refundCharge', `expected a charge id at ${chargeIdFrom}, found ${chargeId === undefined ? 'nothing' : JSON.stringify(chargeId)}.`)
    const amount = numberAt(c, 'refundCharge', amountFrom)
    const request: RefundRequest = { chargeId, amount, idempotencyKey: `refund:${c.workflowId}:${c.step}`, workflowId: c.workflowId, step: c.step }
    await c.mutationCtx.scheduler.runAfter(0, options.handler as FunctionReference<'mutation' | 'action', 'internal', RefundRequest>, request)
  }
}
