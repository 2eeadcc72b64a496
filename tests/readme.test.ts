import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The README shows examples/app's files as they are: every TypeScript block that starts with a
 * `// examples/app/<path>` line must equal that file, and the app's main files must all be shown.
 * So "Using it in a Convex app" cannot drift from the app that CI installs and runs.
 */
const root = join(__dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```ts\n\/\/ (examples\/app\/[^\n]+)\n([\s\S]*?)```/g)].map(([, path, body]) => ({ path: path!, body: body! }))

describe('README and examples/app', () => {
  it('shows the workflow, schema, functions, client module and test of the app', () => {
    expect(blocks.map((b) => b.path).sort()).toEqual(
      [
        'examples/app/convex/approval.ts',
        'examples/app/convex/schema.ts',
        'examples/app/src/client/reviews.ts',
        'examples/app/src/workflows/approval.ts',
        'examples/app/tests/approval.test.ts',
      ].sort(),
    )
  })

  it.each(blocks.map((b) => [b.path, b.body] as const))('%s is shown as it is', (path, body) => {
    expect(existsSync(join(root, path))).toBe(true)
    expect(body).toBe(readFileSync(join(root, path), 'utf8'))
  })
})
