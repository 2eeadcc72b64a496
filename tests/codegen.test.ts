import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { render } from '../scripts/codegen.mjs'

const root = join(__dirname, '..')
const renderIn = (dir: string) => render(dir) as Promise<Record<string, string>>

describe.each([
  ['convex', 'npm run codegen'],
  ['examples/app/convex', 'npm run codegen -- --dir examples/app/convex'],
])('%s/_generated', (dir, command) => {
  it(`matches what the codegen templates render for the modules in ${dir}/ (run \`${command}\`)`, async () => {
    const files = await renderIn(join(root, dir))
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(join(root, dir, '_generated', name), 'utf8'), name).toBe(content)
    }
  })
})

describe('an app with convex.config.ts', () => {
  /** A throwaway app inside the repository, so its config resolves packages from node_modules. */
  async function renderApp(config: string | undefined): Promise<Record<string, string>> {
    mkdirSync(join(root, 'node_modules/.cache'), { recursive: true })
    const dir = mkdtempSync(join(root, 'node_modules/.cache/codegen-'))
    try {
      if (config !== undefined) writeFileSync(join(dir, 'convex.config.ts'), config)
      writeFileSync(join(dir, 'orders.ts'), 'export {}\n')
      return await renderIn(dir)
    } finally {
      rmSync(dir, { recursive: true })
    }
  }

  it('describes every component it installs, by the name it is installed under, with the ComponentApi its package ships', async () => {
    const files = await renderApp(`
import { defineApp } from 'convex/server'
import workpool from '@convex-dev/workpool/convex.config'
const app = defineApp()
app.use(workpool, { name: 'emails' })
app.use(workpool)
export default app
`)
    expect(files['api.js']).toContain('export const components = componentsGeneric();')
    expect(files['api.d.ts']).toContain('"orders": typeof orders,')
    const components = files['api.d.ts']!.slice(files['api.d.ts']!.indexOf('export declare const components'))
    expect(components.match(/^\s*"\w+": .*$/gm)?.map((line) => line.trim())).toEqual([
      '"emails": import("@convex-dev/workpool/_generated/component.js").ComponentApi<"emails">,',
      // Without a name, a component is installed under the name its definition gives itself.
      '"workpool": import("@convex-dev/workpool/_generated/component.js").ComponentApi<"workpool">,',
    ])
  })

  it("types the app's declared environment variables next to the platform's", async () => {
    const files = await renderApp(`
import { defineApp } from 'convex/server'
import { v } from 'convex/values'
export default defineApp({ env: { WEBHOOK_SECRET: v.string(), REGION: v.optional(v.string()) } })
`)
    expect(files['server.d.ts']).toContain('export declare const env: Env;')
    for (const line of ['readonly CONVEX_CLOUD_URL: string;', 'readonly WEBHOOK_SECRET: string;', 'readonly REGION: string | undefined;']) {
      expect(files['server.d.ts']).toContain(line)
    }
    expect(files['api.d.ts']).toMatch(/export declare const components: \{\s*\};/)
  })

  it('leaves an app without convex.config.ts with the plain templates: no components', async () => {
    const files = await renderApp(undefined)
    expect(files['api.d.ts']).toContain('"orders": typeof orders,')
    expect(files['api.js']).not.toContain('components')
    expect(files['server.d.ts']).toContain('export declare const env: Record<string, string | undefined>;')
  })
})
