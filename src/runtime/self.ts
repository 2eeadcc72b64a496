import type { FunctionReference } from 'convex/server'
import { tasknetError } from '../errors'

/**
 * One of a workflow's own generated functions, found through `workflowApi`'s `self` option
 * (`() => internal.orders`), for the engine to schedule it. Refused with a message that says what to
 * pass or export when the option is missing or the module does not export the function.
 */
export function generatedFunction<Kind extends 'mutation' | 'action'>(
  self: (() => unknown) | undefined,
  workflowName: string,
  name: string,
  why: string,
): FunctionReference<Kind, 'internal'> {
  if (!self) {
    throw tasknetError(
      'INVALID_DEFINITION',
      `Workflow '${workflowName}' ${why}, which schedules its generated '${name}': pass workflowApi(…, { self: (): unknown => internal.<module> }) naming the module that exports its functions.`,
      { workflowName, function: name },
    )
  }
  const functions = self() as Record<string, unknown> | undefined
  const reference = functions?.[name]
  if (reference === undefined) {
    throw tasknetError(
      'INVALID_DEFINITION',
      `Workflow '${workflowName}' ${why}, which schedules its generated '${name}', but the module given as self does not export '${name}': export it with the other functions of workflowApi.`,
      { workflowName, function: name },
    )
  }
  return reference as FunctionReference<Kind, 'internal'>
}
