import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // convex-test runs Convex functions in the edge runtime, as a deployment does.
    environment: 'edge-runtime',
    server: { deps: { inline: ['convex-test'] } },
    include: ['tests/**/*.test.ts'],
  },
})
