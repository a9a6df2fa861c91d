import { defineConfig } from 'vitest/config'

// Tests run on an embedded PostgreSQL server started for the run; with DATABASE_URL (or TEST_DATABASE_URL)
// set they run on that PostgreSQL server instead. Either way each test file has a database of its own.
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
