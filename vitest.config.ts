import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // convex-test runs Convex functions in the edge runtime, as a deployment does.
    environment: 'edge-runtime',
    server: { deps: { inline: ['convex-test', '@convex-dev/sharded-counter'] } },
    include: ['tests/**/*.test.ts'],
    typecheck: { enabled: true, include: ['tests/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
