import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { render } from '../scripts/codegen.mjs'

describe('convex/_generated', () => {
  it('matches what the codegen templates render for the modules in convex/ (run `npm run codegen`)', () => {
    const files = render() as Record<string, string>
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(join(__dirname, '../convex/_generated', name), 'utf8'), name).toBe(content)
    }
  })
})
