/**
 * `npm run size`: what tasknet adds to a Convex app's bundles, measured against the BUILT package
 * (`dist/`, through package.json's `exports`, as an app installing the tarball gets it). It builds
 * first (`npm run build`; `--no-build` skips that), then bundles in a temporary app:
 *
 *   (a) a Convex module exporting `workflowApi(...)` of a small approval workflow (Builder + zod),
 *       minus the same module without tasknet (the same zod schemas in a plain Convex mutation);
 *   (b) a `convex/schema.ts` spreading `tasknetTables` from `tasknet/schema`, minus the same schema
 *       importing only convex.
 *
 * Bundled with the Convex CLI's esbuild options, as `innerEsbuild` in
 * node_modules/convex/dist/esm/bundler/debugBundle.js (convex 1.48) sets them for the default
 * (isolate) runtime — `bundleSchema` and the function modules both use `platform: 'browser'`:
 * bundle, format esm, target esnext, jsx automatic, conditions ['convex', 'module'],
 * treeShaking, minifySyntax, minifyIdentifiers, minifyWhitespace false (Convex keeps lines for its
 * source maps), keepNames, define process.env.NODE_ENV = "production", and its async_hooks shim.
 * Not followed: splitting and chunk names (each module is bundled alone here, so a module's figure
 * is all it pulls in) and source maps (not counted). Each figure is printed for Convex's options
 * exactly (what a deployment uploads) and fully minified (minifyWhitespace on too). The limits of
 * issue 11 are on the minified figures: tasknet's share of (a) at most 100 KB, of (b) under 5 KB.
 * Exits 1 when one is over.
 *
 * Kept apart from `npm run bench` (per-step database cost): this is a property of the build.
 */
import { execSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as esbuild from 'esbuild'

const root = resolve(import.meta.dirname, '..')
const KB = 1024
const limits = { module: 100 * KB, schema: 5 * KB }

if (!process.argv.includes('--no-build')) execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })

const modules = {
  withTasknet: `
import { z } from 'zod'
import { Builder, workflowApi } from 'tasknet'

const review = Builder.workItem('review').withActions(
  Builder.workItemActions()
    .start(z.never(), async ({ workItem }) => { await workItem.start() })
    .complete(z.object({ approved: z.boolean(), comment: z.string().optional() }), async ({ workItem }) => { await workItem.complete() }),
)
const publish = Builder.workItem('publish').withActivities({
  onInitialized: ({ workItem }) => workItem.start(),
  onStarted: ({ workItem }) => workItem.complete(),
})
const approval = Builder.workflow('approval')
  .withActions(Builder.workflowActions().initialize(z.object({ title: z.string() }), async ({ workflow }) => { await workflow.initialize() }))
  .startCondition('start')
  .task('review', Builder.task(review).withSplitType('xor').withActivities({ onEnabled: async ({ workItem }) => { await workItem.initialize() } }))
  .task('publish', Builder.task(publish).withActivities({ onEnabled: async ({ workItem }) => { await workItem.initialize() } }))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('review'))
  .connectTask('review', (to) => to.task('publish').condition('end').route(async ({ route }) => route.toTask('publish')))
  .connectTask('publish', (to) => to.condition('end'))

export const { initializeRootWorkflow, startWorkItem, completeWorkItem, internalCancelRootWorkflow, getWorkItems } = workflowApi(approval)
`,
  withoutTasknet: `
import { z } from 'zod'
import { mutationGeneric } from 'convex/server'
import { v } from 'convex/values'

const start = z.never()
const complete = z.object({ approved: z.boolean(), comment: z.string().optional() })
const initialize = z.object({ title: z.string() })

export const initializeRequest = mutationGeneric({
  args: { payload: v.any() },
  handler: async (ctx, { payload }) => { await ctx.db.insert('requests', initialize.parse(payload)) },
})
export const reviewRequest = mutationGeneric({
  args: { id: v.id('requests'), payload: v.any() },
  handler: async (ctx, { id, payload }) => {
    if (payload !== undefined) start.parse(payload)
    await ctx.db.patch(id, complete.parse(payload))
  },
})
`,
  schemaWithTasknet: `
import { defineSchema, defineTable } from 'convex/server'
import { v } from 'convex/values'
import { tasknetTables, vWorkflowId } from 'tasknet/schema'

export default defineSchema({
  ...tasknetTables,
  requests: defineTable({ workflowId: vWorkflowId, title: v.string() }),
  reviews: defineTable({ workflowId: vWorkflowId, approved: v.boolean() }).index('by_workflowId', ['workflowId']),
})
`,
  schemaWithoutTasknet: `
import { defineSchema, defineTable } from 'convex/server'
import { v } from 'convex/values'

export default defineSchema({
  requests: defineTable({ workflowId: v.string(), title: v.string() }),
  reviews: defineTable({ workflowId: v.string(), approved: v.boolean() }).index('by_workflowId', ['workflowId']),
})
`,
}

/** The Convex CLI's shim for `async_hooks` on the browser platform (debugBundle.js, `nodeShimsPlugin`). */
const asyncHooksShim: esbuild.Plugin = {
  name: 'convex-async-hooks-shim',
  setup(build) {
    build.onResolve({ filter: /^(node:)?async_hooks$/ }, (args) => ({ path: args.path, namespace: 'async-hooks-shim' }))
    build.onLoad({ filter: /.*/, namespace: 'async-hooks-shim' }, () => ({
      contents: `export const AsyncLocalStorage = globalThis.AsyncLocalStorage;
export const AsyncResource = globalThis.AsyncResource;
export default { AsyncLocalStorage, AsyncResource };`,
      loader: 'js',
    }))
  },
}

// A temporary app whose node_modules holds tasknet (this checkout: package.json + dist/) and the
// checkout's convex and zod. esbuild follows the links to their real paths, so tasknet's own
// imports of convex and zod resolve to the same files as the app's, as with a flat npm install.
const app = mkdtempSync(join(tmpdir(), 'tasknet-size-'))
try {
  mkdirSync(join(app, 'convex'))
  mkdirSync(join(app, 'node_modules'))
  symlinkSync(root, join(app, 'node_modules', 'tasknet'), 'dir')
  for (const name of ['convex', 'zod']) symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name), 'dir')
  for (const [name, source] of Object.entries(modules)) writeFileSync(join(app, 'convex', `${name}.ts`), source)

  type Figure = { bytes: number; byPackage: Map<string, number> }
  const bundle = async (name: keyof typeof modules, minifyWhitespace: boolean): Promise<Figure> => {
    const result = await esbuild.build({
      entryPoints: [join(app, 'convex', `${name}.ts`)],
      absWorkingDir: app,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'esnext',
      jsx: 'automatic',
      outdir: 'out',
      conditions: ['convex', 'module'],
      plugins: [asyncHooksShim],
      write: false,
      treeShaking: true,
      minifySyntax: true,
      minifyIdentifiers: true,
      minifyWhitespace,
      keepNames: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'warning',
    })
    const output = result.outputFiles.find((f) => f.path.endsWith('.js'))!
    const byPackage = new Map<string, number>()
    for (const meta of Object.values(result.metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
        const pkg = packageOf(input)
        byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput)
      }
    }
    return { bytes: output.contents.byteLength, byPackage }
  }

  let over = false
  const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`
  const report = async (what: string, withName: keyof typeof modules, withoutName: keyof typeof modules, limit: number) => {
    console.log(`${what}:`)
    for (const [label, whitespace] of [['Convex CLI options', false], ['fully minified', true]] as const) {
      const [withIt, withoutIt] = [await bundle(withName, whitespace), await bundle(withoutName, whitespace)]
      const share = withIt.bytes - withoutIt.bytes
      // The limit is on the minified figure; Convex's own (whitespace kept) is printed beside it.
      const checked = whitespace
      const ok = share <= limit
      if (checked) over ||= !ok
      // What tasknet brings: its own dist and any package of its own (not the app, convex or zod).
      const parts = [...withIt.byPackage].filter(([pkg]) => !['app', 'shim', 'convex', 'zod'].includes(pkg))
      console.log(
        `  ${label.padEnd(19)} ${kb(withIt.bytes).padStart(9)} with tasknet, ${kb(withoutIt.bytes).padStart(9)} without: ` +
          `tasknet's share ${kb(share)}` +
          (checked ? ` (limit ${kb(limit)}) ${ok ? 'ok' : 'OVER'}` : '') +
          (parts.length ? `  [${parts.map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`).join(', ')}]` : ''),
      )
    }
  }
  await report('(a) a Convex module exporting workflowApi(...) of a small workflow, minus the same without tasknet', 'withTasknet', 'withoutTasknet', limits.module)
  await report("(b) convex/schema.ts spreading tasknetTables from 'tasknet/schema', minus one importing only convex", 'schemaWithTasknet', 'schemaWithoutTasknet', limits.schema)
  if (over) {
    console.error('A share is over its limit: see which package pulls the weight above.')
    process.exitCode = 1
  }
} finally {
  rmSync(app, { recursive: true, force: true })
}

/** The package an input file of the metafile belongs to; tasknet's dist is `tasknet`, the app's files `app`. */
function packageOf(input: string): string {
  const abs = resolve(app, input)
  if (abs.startsWith(join(root, 'dist'))) return 'tasknet'
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)
  return match ? match[1]! : input.startsWith('async-hooks-shim:') ? 'shim' : 'app'
}
