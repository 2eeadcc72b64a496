// Writes convex/_generated/ with the Convex CLI's own codegen templates.
//
// `npx convex codegen` needs a deployment, which a machine without network
// cannot reach. The files it writes depend only on the list of modules in
// convex/, on whether there is a schema, and on the components convex.config.ts
// installs, so this script renders them from the same templates the CLI uses.
// Run `npm run codegen` after adding or removing a module in convex/ or a
// component in convex.config.ts; `tests/codegen.test.ts` fails when the
// committed files are out of date.
//
// An app without convex.config.ts gets the CLI's plain templates (api.js:
// `apiCodegen`). An app with one gets what the CLI writes for a root component
// (`componentApiJs`, `componentApiDTS`, and `serverCodegen` with the app's
// environment variables): `components` in api.js is `componentsGeneric()`, and
// api.d.ts types each installed component as the `ComponentApi` its package
// ships in `<package>/_generated/component.js`. The names and packages come
// from evaluating convex.config.ts itself (bundled with esbuild, each
// component's definition given the `componentDefinitionPath` and `defaultName`
// that a deployment would give it), so any component an app installs is
// described without naming it here.
import { readdirSync, statSync, writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs'
import path, { join, relative, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as esbuild from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'node_modules/convex/dist/esm/cli')
const templates = join(cli, 'codegen_templates')
const load = (name) => import(pathToFileURL(join(templates, name)).href)

const { apiCodegen, importPath, moduleIdentifier } = await load('api.js')
const { serverCodegen } = await load('server.js')
const common = await load('common.js')
const { header } = common
const validatorHelpers = await load('validator_helpers.js')

/**
 * Some templates import the CLI's bundler and config loader, whose dependencies
 * the convex package bundles into its CLI rather than installing. Those
 * templates are evaluated from their source with their imports supplied:
 * the same functions the CLI runs, fed by this script. A template that starts
 * importing something new fails here instead of rendering something else.
 */
function templateFunctions(file, scope) {
  const source = readFileSync(join(cli, file), 'utf8')
  const imports = [...source.matchAll(/^import\s+([\s\S]*?)\s+from\s+"[^"]+";$/gm)]
  const imported = imports.flatMap(([, clause]) => clause.replace(/[{}]/g, '').split(',').map((name) => name.trim()).filter(Boolean))
  const missing = imported.filter((name) => !(name in scope))
  if (missing.length) throw new Error(`convex changed ${file} (it now imports ${missing.join(', ')}): update scripts/codegen.mjs`)
  let body = source.replace(/^"use strict";$/m, '')
  for (const [statement] of imports) body = body.replace(statement, '')
  body = body.replace(/^export /gm, '')
  const names = [...body.matchAll(/^(?:async )?function\*? ?(\w+)/gm)].map((m) => m[1])
  const given = imported.filter((name) => name in scope)
  return new Function(...given, `${body}\nreturn { ${names.join(', ')} };`)(...given.map((name) => scope[name]))
}

const notUsed = (name) => () => {
  throw new Error(`scripts/codegen.mjs does not supply ${name}: convex changed its codegen templates`)
}

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

/**
 * Module paths as the CLI lists them: every .ts/.js file under convex/ but _generated, schema and
 * configs, and none inside a nested component's folder (one with its own convex.config.ts).
 */
function modulePaths(dir, convexDir) {
  const out = []
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry)
    if (statSync(full).isDirectory()) {
      if (entry !== '_generated' && !entry.startsWith('.') && !existsSync(join(full, 'convex.config.ts'))) out.push(...modulePaths(full, convexDir))
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

const componentNamespace = 'tasknet-codegen-component'

/**
 * Evaluates convex.config.ts: its `defineApp()` and every component it `use`s. A deployment gives
 * each imported component definition its `componentDefinitionPath` (its folder, relative to the
 * app's) and `defaultName`; a wrapper module does the same here, and records the specifier the app
 * imported it by, which the CLI turns into the package api.d.ts imports the component's types from.
 */
async function appDefinition(convexDir, configFile) {
  const specifiers = new Map()
  const result = await esbuild.build({
    entryPoints: [configFile],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    plugins: [
      {
        name: 'component-definitions',
        setup(build) {
          build.onResolve({ filter: /convex\.config/ }, async (args) => {
            if (args.kind === 'entry-point' || args.pluginData?.definition) return undefined
            const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { definition: true } })
            if (resolved.errors.length) return { errors: resolved.errors }
            const componentPath = relative(convexDir, dirname(resolved.path)).split(path.sep).join('/')
            // The CLI strips `/convex.config…` from a package import: `@convex-dev/workpool`.
            specifiers.set(componentPath, args.path.replace(/\/convex\.config.*$/, ''))
            return { path: resolved.path, namespace: componentNamespace, pluginData: { componentPath } }
          })
          build.onLoad({ filter: /.*/, namespace: componentNamespace }, (args) => ({
            contents: `import definition from ${JSON.stringify(args.path)}
export default { ...definition, componentDefinitionPath: ${JSON.stringify(args.pluginData.componentPath)}, defaultName: definition._name }`,
            resolveDir: dirname(args.path),
            loader: 'js',
            pluginData: { definition: true },
          }))
        },
      },
    ],
  })
  const code = result.outputFiles[0].text
  const app = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).default
  const definition = app.export()
  return { definition, specifiers }
}

/** The api.(d.ts|js) and server.(d.ts|js) the CLI writes for a root component (an app with convex.config.ts). */
async function componentAppFiles(convexDir, configFile, paths) {
  const { definition, specifiers } = await appDefinition(convexDir, configFile)
  const directoryStructure = templateFunctions('lib/components/definition/directoryStructure.js', {
    path,
    DEFINITION_FILENAME_JS: 'convex.config.js',
    DEFINITION_FILENAME_TS: 'convex.config.ts',
    getFunctionsDirectoryPath: notUsed('getFunctionsDirectoryPath'),
  })
  const { componentApiJs, componentApiDTS } = templateFunctions('codegen_templates/component_api.js', {
    path,
    // The module list the CLI's bundler would find: the same as the plain templates get.
    entryPoints: async (_ctx, dir) => paths.map((p) => join(dir, p)),
    toAbsolutePath: directoryStructure.toAbsolutePath,
    toComponentDefinitionPath: directoryStructure.toComponentDefinitionPath,
    importPath,
    moduleIdentifier,
    ...common,
    ...validatorHelpers,
  })
  const ctx = {
    crash: async ({ printedMessage }) => {
      throw new Error(printedMessage)
    },
  }
  const rootComponent = { isRoot: true, path: convexDir, definitionPath: configFile, isRootWithoutConfig: false }
  const componentsMap = new Map(
    definition.childComponents.map((child) => [
      directoryStructure.toAbsolutePath(rootComponent, child.path),
      { importSpecifier: specifiers.get(child.path) },
    ]),
  )
  const startPush = { analysis: { '': { definition } } }
  const apiDTS = await componentApiDTS(ctx, startPush, rootComponent, rootComponent, componentsMap, {
    staticApi: false,
    useComponentApiImports: true,
  })
  const server = serverCodegen({ useTypeScript: false, envVars: definition.envVars ?? [] })
  return { 'api.d.ts': apiDTS, 'api.js': componentApiJs(), 'server.d.ts': server.DTS, 'server.js': server.JS }
}

export async function render(convexDir = defaultConvexDir) {
  const paths = modulePaths(convexDir, convexDir).sort()
  const configFile = join(convexDir, 'convex.config.ts')
  if (existsSync(configFile)) {
    return { ...(await componentAppFiles(convexDir, configFile, paths)), 'dataModel.d.ts': dynamicDataModelDTS() }
  }
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
  for (const [name, content] of Object.entries(await render())) {
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
