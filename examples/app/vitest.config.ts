import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // convex-test runs Convex functions in the edge runtime, as a deployment does.
    environment: 'edge-runtime',
    // The work pool runs in convex-test as a registered component, so vitest must bundle it too.
    server: { deps: { inline: ['convex-test', '@convex-dev/workpool'] } },
    include: ['tests/**/*.test.ts'],
  },
})
