import { defineConfig } from 'tsup'

/**
 * The published build: ESM JavaScript and declaration files in dist/ (`npm run build`, run by
 * `prepack`). tsup 8.5.x, pinned exactly: tsup 9 needs Node 22 and this project supports Node 20.
 * Chosen over plain `tsc` because it bundles the declarations into a few files whose imports carry
 * `.js` extensions, so they resolve under `moduleResolution: nodenext` as well as `bundler`, and the
 * JavaScript into entries plus shared chunks (`splitting`), so `tasknet/schema` stays tiny.
 *
 * Entries: `tasknet` (everything), `tasknet/schema` (the tables and validators only: no Builder,
 * runtime) and `tasknet/testing`. Peer and optional-peer packages stay external.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    schema: 'src/schema.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm'],
  dts: true,
  splitting: true,
  treeshake: true,
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  outDir: 'dist',
  external: ['convex', 'zod', 'convex-test', 'vitest'],
  tsconfig: 'tsconfig.build.json',
})
