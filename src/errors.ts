import { ConvexError } from 'convex/values'

/**
 * The closed set of error codes tasknet raises. Callers recognise errors by
 * `error.data.code` (it survives function boundaries), never by `instanceof`.
 */
export const errorCodes = [
  'INVALID_DEFINITION', // a workflow definition that cannot run (raised when it is built)
  'INVALID_TRANSITION', // a lifecycle transition the element's state does not allow
  'INVALID_STATE', // a request the element's current state does not allow (e.g. a work item for a disabled task)
  'NOT_FOUND', // an id or name that does not exist in this workflow
  'NAME_MISMATCH', // args.name does not match the work item / workflow the id refers to
  'INVALID_PAYLOAD', // a payload that fails its zod schema
  'NOT_INTERNAL', // a default (internal-only) action reached from a public mutation
  'INVALID_ROUTE', // a route function that returned no target, or one that is not an outgoing flow
  'STALE_GENERATION', // a request aimed at an older generation of a task
  'INVALID_TRIGGER', // a second auto-trigger in one activity
  'ACTION_INCOMPLETE', // a custom action callback that returned without performing its transition
  'LIMIT_EXCEEDED', // a step that would exceed a documented limit (a transaction limit of Convex, an OR-join decision's bound)
] as const

export type ErrorCode = (typeof errorCodes)[number]

export type TasknetErrorData = {
  code: ErrorCode
  message: string
  [context: string]: string | number | boolean | null | undefined
}

/** Builds the engine's one error type. `context` holds only scalars, never whole objects. */
export function tasknetError(
  code: ErrorCode,
  message: string,
  context: Record<string, string | number | boolean | null | undefined> = {},
): ConvexError<TasknetErrorData> {
  return new ConvexError<TasknetErrorData>({ ...context, code, message })
}

/** The message of something thrown: a tasknet error's own message (not its JSON data), an Error's, or the value. */
export function errorMessage(thrown: unknown): string {
  const data = (thrown as { data?: { message?: unknown } } | null)?.data
  return typeof data?.message === 'string' ? data.message : thrown instanceof Error ? thrown.message : String(thrown)
}

/** True when `error` is a tasknet error, optionally with the given code. */
export function isTasknetError(error: unknown, code?: ErrorCode): error is ConvexError<TasknetErrorData> {
  if (!(error instanceof Error) || !('data' in error)) return false
  const data = (error as { data: unknown }).data
  if (typeof data !== 'object' || data === null || !('code' in data)) return false
  return code === undefined || (data as { code: unknown }).code === code
}
