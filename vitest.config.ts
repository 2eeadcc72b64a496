import { transform } from 'esbuild'
import { defineConfig, type Plugin } from 'vitest/config'

/**
 * Lowers TypeScript's standard decorators (the class style of sagas, src/saga/decorators.ts) before vite's own
 * TypeScript transform: vite's transformer (oxc) lowers only `experimentalDecorators`, and Node 20 cannot run
 * `@` syntax. Only files with a line starting with a decorator are touched (as Prettier writes them; not
 * `{@link …}` in comments); esbuild's `es2022` target lowers them as `tsc` would, and leaves the rest as it is.
 */
const lowerDecorators: Plugin = {
  name: 'tasknet:lower-standard-decorators',
  enforce: 'pre',
  async transform(code, id) {
    if (!/\.ts$/.test(id) || id.includes('/node_modules/') || !/^\s*@[A-Za-z_$]/m.test(code)) return null
    const out = await transform(code, { loader: 'ts', target: 'es2022', format: 'esm', sourcemap: true, sourcefile: id, tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } } })
    return { code: out.code, map: out.map }
  },
}

export default defineConfig({
  plugins: [lowerDecorators],
  test: {
    // convex-test runs Convex functions in the edge runtime, as a deployment does. The component packages
    // ship TypeScript sources for convex-test (`import.meta.glob` in their `/test` entries), so vite
    // transforms them rather than Node loading them.
    environment: 'edge-runtime',
    server: { deps: { inline: ['convex-test', '@convex-dev/sharded-counter', '@convex-dev/workpool', '@convex-dev/batch-worker'] } },
    include: ['tests/**/*.test.ts'],
    typecheck: { enabled: true, include: ['tests/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
