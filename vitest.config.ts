import { defineConfig } from 'vitest/config'

// Tests run on the default engine, an embedded PostgreSQL server started for the run; with DATABASE_URL
// (or TEST_DATABASE_URL) set they run on that PostgreSQL server instead, each test file in a database of
// its own; with TEST_ENGINE=pglite on PGlite in memory (`npm run test:pglite` runs the suites it must pass).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['tests/browser/**', '**/node_modules/**'],
    globalSetup: ['packages/server/src/test-support/embedded-server-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})
