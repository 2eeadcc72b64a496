import type { ActionDefinition } from './definition'

/**
 * tasknet validates payloads with zod 4 and imports it from `'zod/v4'`, a subpath both zod 4 and
 * zod ^3.25 export: an app on zod 4 declares its schemas with `import { z } from 'zod'`, an app on
 * zod ^3.25 with `import { z } from 'zod/v4'`. A zod 3 ("classic") schema — `import { z } from
 * 'zod'` under zod 3, or `'zod/v3'` — parses differently and is refused when the workflow is built.
 * Its types are refused too (`z.ZodType` is zod 4's); this catches JavaScript callers and casts.
 */
export function schemaProblems(where: string, actions: Readonly<Partial<Record<string, ActionDefinition>>>): string[] {
  const problems: string[] = []
  for (const [action, definition] of Object.entries(actions)) {
    const schema: unknown = definition?.schema
    if (schema === undefined || isZod4Schema(schema)) continue
    problems.push(
      isZod3Schema(schema)
        ? `the '${action}' action of ${where} has a zod 3 schema; tasknet needs zod 4 schemas: with zod ^3.25 write import { z } from 'zod/v4' where the schemas are declared, or upgrade to zod 4 and import { z } from 'zod'.`
        : `the '${action}' action of ${where} has a schema that is not a zod 4 schema: pass one made with zod 4 (import { z } from 'zod', or from 'zod/v4' with zod ^3.25), e.g. z.object({ ... }) or z.never() for no payload.`,
    )
  }
  return problems
}

/** Every zod 4 schema, classic or mini, carries its internals under `_zod`. */
function isZod4Schema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof value._zod === 'object'
}

/** A zod 3 schema has `_def` and `safeParse` but no `_zod`. */
function isZod3Schema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '_def' in value && 'safeParse' in value && typeof value.safeParse === 'function'
}
