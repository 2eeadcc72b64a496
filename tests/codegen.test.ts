import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { render } from '../scripts/codegen.mjs'

describe.each([
  ['convex', 'npm run codegen'],
  ['examples/app/convex', 'npm run codegen -- --dir examples/app/convex'],
])('%s/_generated', (dir, command) => {
  it(`matches what the codegen templates render for the modules in ${dir}/ (run \`${command}\`)`, () => {
    const files = render(join(__dirname, '..', dir)) as Record<string, string>
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(join(__dirname, '..', dir, '_generated', name), 'utf8'), name).toBe(content)
    }
  })
})
