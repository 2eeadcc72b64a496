// Writes convex/_generated/ with the Convex CLI's own codegen templates.
//
// `npx convex codegen` needs a deployment, which a machine without network
// cannot reach. The files it writes depend only on the list of modules in
// convex/ and on whether there is a schema, so this script renders them from
// the same templates the CLI uses. Run `npm run codegen` after adding or
// removing a module in convex/; `tests/codegen.test.ts` fails when the
// committed files are out of date.
import { readdirSync, statSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs'
import { join, relative, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const templates = join(root, 'node_modules/convex/dist/esm/cli/codegen_templates')
const load = (name) => import(pathToFileURL(join(templates, name)).href)

const { apiCodegen } = await load('api.js')
const { serverCodegen } = await load('server.js')
const { header } = await load('common.js')

/**
 * dataModel.js pulls in the CLI's config loader (and its dependencies), so the
 * schema-driven data model template is read from its source and rendered here.
 */
function dynamicDataModelDTS() {
  const source = readFileSync(join(templates, 'dataModel.js'), 'utf8')
  const match = source.match(/const dynamicDataModelContent = `([\s\S]*?)`;\n/)
  if (!match) throw new Error('convex changed its dataModel template: update scripts/codegen.mjs')
  return new Function('header', `return \`${match[1]}\``)(header)
}

/** The app's convex/ folder: the repository's own, or another app's with `--dir <path>` (examples/app/convex). */
const dirArg = process.argv.indexOf('--dir')
const defaultConvexDir = dirArg > 0 ? join(process.cwd(), process.argv[dirArg + 1]) : join(root, 'convex')

/** Module paths as the CLI lists them: every .ts/.js file under convex/ but _generated, schema and configs. */
function modulePaths(dir, convexDir) {
  const out = []
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry)
    if (statSync(full).isDirectory()) {
      if (entry !== '_generated' && !entry.startsWith('.')) out.push(...modulePaths(full, convexDir))
      continue
    }
    if (!/\.(ts|js)$/.test(entry) || entry.endsWith('.d.ts') || entry.includes('.test.') || entry === 'convex.config.ts') continue
    const path = relative(convexDir, full).split('\\').join('/')
    // The schema is not a function module; the CLI leaves it out of the api.
    if (path === 'schema.ts') continue
    out.push(path)
  }
  return out
}

export function render(convexDir = defaultConvexDir) {
  const paths = modulePaths(convexDir, convexDir).sort()
  const api = apiCodegen(paths, { useTypeScript: false })
  const server = serverCodegen({ useTypeScript: false })
  return {
    'api.d.ts': api.DTS,
    'api.js': api.JS,
    'server.d.ts': server.DTS,
    'server.js': server.JS,
    'dataModel.d.ts': dynamicDataModelDTS(),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(defaultConvexDir, '_generated')
  mkdirSync(out, { recursive: true })
  const check = process.argv.includes('--check')
  let stale = []
  for (const [name, content] of Object.entries(render())) {
    const file = join(out, name)
    let current = null
    try { current = readFileSync(file, 'utf8') } catch {}
    if (current !== content) {
      stale.push(name)
      if (!check) writeFileSync(file, content)
    }
  }
  if (check && stale.length) {
    console.error(`convex/_generated is out of date (${stale.join(', ')}): run npm run codegen`)
    process.exit(1)
  }
  console.log(check ? 'convex/_generated is current' : `wrote ${stale.length ? stale.join(', ') : 'nothing (already current)'}`)
}
