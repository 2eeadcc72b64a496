import { defineConfig } from 'vitest/config'

export default defineConfig({
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
