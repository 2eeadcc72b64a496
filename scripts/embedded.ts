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

export function embeddedBackend() {
  return tasknetTest(schema, moduleMap(convexDir))
}
