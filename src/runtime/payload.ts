import { z } from 'zod/v4'
import type { ActionDefinition } from '../builder/definition'
import { tasknetError } from '../errors'

/** Where an action is being called, for error messages. */
export type ActionSite = { element: 'work item' | 'workflow'; name: string; id: string | undefined; action: string }

const describe = (site: ActionSite) => `${site.element} '${site.name}'${site.id ? ` (${site.id})` : ''}`

/**
 * Refuses a default (internal-only) action reached from a public mutation,
 * and validates the payload against the action's schema. A default action
 * takes no payload: it may be left out or be `{}`. A `z.never()` schema means
 * the action takes no payload at all.
 */
export function checkedPayload(action: ActionDefinition | undefined, payload: unknown, isInternal: boolean, site: ActionSite): unknown {
  const schema = action?.schema
  if (!schema) {
    if (!isInternal) {
      const builder = site.element === 'workflow' ? 'workflowActions' : 'workItemActions'
      throw tasknetError(
        'NOT_INTERNAL',
        `The '${site.action}' action of ${describe(site)} is a default action, which only internal mutations may call; declare it with Builder.${builder}().${site.action}(schema, callback) to call it from a client.`,
        { elementName: site.name, elementId: site.id, action: site.action },
      )
    }
    if (payload === undefined || isEmptyObject(payload)) return undefined
    throw tasknetError(
      'INVALID_PAYLOAD',
      `The '${site.action}' action of ${describe(site)} is a default action and takes no payload; got ${typeof payload === 'object' ? 'an object with fields' : typeof payload}.`,
      { elementName: site.name, elementId: site.id, action: site.action },
    )
  }
  // `_zod.def.type` rather than `instanceof z.ZodNever`: true of zod 4 classic and mini schemas alike.
  if (schema._zod.def.type === 'never' && (payload === undefined || isEmptyObject(payload))) return undefined
  const parsed = schema.safeParse(payload)
  if (!parsed.success) {
    throw tasknetError(
      'INVALID_PAYLOAD',
      `The payload of the '${site.action}' action of ${describe(site)} does not match its schema: ${z.prettifyError(parsed.error)}`,
      { elementName: site.name, elementId: site.id, action: site.action },
    )
  }
  return parsed.data
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
}
