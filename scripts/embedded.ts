/**
 * The embedded backend for scripts: convex-test's in-memory Convex, with the
 * app's schema and modules and Convex's transaction limits switched on. In
 * vitest the modules come from `import.meta.glob`; a plain Node script builds
 * the same map from the files in convex/.
 */
import { readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { tasknetTest } from '../src/testing'
import schema from '../convex/schema'

const convexDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'convex')

function moduleMap(dir: string, out: Record<string, () => Promise<unknown>> = {}) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry)
    if (statSync(full).isDirectory()) moduleMap(full, out)
    else if (/\.(ts|js)$/.test(entry) && !entry.endsWith('.d.ts')) {
      out[`./${relative(convexDir, full).split('\\').join('/')}`] = () => import(pathToFileURL(full).href)
    }
  }
  return out
}

/** `modules`: modules made by the script, keyed by their path under convex/ (`./examples/x.ts` is `anyApi.examples.x`). */
export function embeddedBackend(modules: Record<string, () => Promise<unknown>> = {}) {
  return tasknetTest(schema, { ...moduleMap(convexDir), ...modules })
}

/**
 * Registers an installed Convex component under `name`, as its `/test` entry does in vitest (where
 * `import.meta.glob` lists its modules), from the JavaScript of its `dist/component`.
 */
async function registerComponent(t: ReturnType<typeof embeddedBackend>, name: string, packageName: string): Promise<void> {
  const componentDir = join(dirname(fileURLToPath(import.meta.resolve(`${packageName}/package.json`))), 'dist', 'component')
  const modules: Record<string, () => Promise<unknown>> = {}
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry)
      if (statSync(full).isDirectory()) walk(full)
      else if (entry.endsWith('.js')) modules[`./${relative(componentDir, full).split('\\').join('/')}`] = () => import(pathToFileURL(full).href)
    }
  }
  walk(componentDir)
  const schema = ((await import(pathToFileURL(join(componentDir, 'schema.js')).href)) as { default: Parameters<typeof t.registerComponent>[1] }).default
  t.registerComponent(name, schema, modules)
}

/** `@convex-dev/workpool` registered as `name` (with the batch worker it runs its loop on). */
export async function registerWorkpool(t: ReturnType<typeof embeddedBackend>, name: string): Promise<void> {
  await registerComponent(t, name, '@convex-dev/workpool')
  await registerComponent(t, `${name}/batchWorker`, '@convex-dev/batch-worker')
}
