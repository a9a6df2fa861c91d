/**
 * `@reachloop/server/testing`: what the repository's own tests and benches need from the server —
 * test apps and databases, the seed of property tests, and the few server internals they drive
 * directly. Test-only: it resolves only with the `source` condition and is never built into `dist/`.
 *
 * @example
 * import { createTestApp, setupOwner } from '@reachloop/server/testing'
 */
import { fileURLToPath } from 'node:url'

export { createTestApp, setupOwner, signIn, withOwnerApp, TestCaller, type OwnerApp, type TestApp } from './test-support/test-app.js'
export { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './test-support/test-database.js'
export { createScratchDatabase, type ScratchDatabase } from './test-support/scratch-database.js'
export { drainLog, runDueJobs, settle } from './test-support/run-background.js'
export { sampleOf, type JsonSchema } from './test-support/sample-body.js'
export { propertySeed, replayHint, type PropertySeed } from './test-support/property-seed.js'

export { openDatabase, type Database } from './platform/db/database.js'
export type { DB } from './platform/db/schema.js'
export { migrate } from './platform/db/migrate.js'
export { processAlive, readPostmaster } from './platform/db/postmaster-pid.js'
export { freePort } from './platform/net/free-port.js'
export { EventLogRunner } from './platform/event-log/event-log.js'
export { JobQueue } from './platform/jobs/job-queue.js'
export { JobWorker } from './platform/jobs/job-worker.js'

export { demoCustomer, random } from './modules/demo/index.js'
export { ingest } from './modules/ingest/index.js'
export { segmentConsumer } from './modules/audiences/audience-consumer.js'

/** The CLI's source entry, for tests and benches that run `reachloop` as a child process (`node --conditions=source --import tsx`). */
export const CLI_ENTRY = fileURLToPath(new URL('./cli/main.ts', import.meta.url))

/** A process that runs one job worker over a database, for tests and benches of workers in other processes. */
export const JOB_WORKER_PROCESS_ENTRY = fileURLToPath(new URL('./test-support/job-worker-process.ts', import.meta.url))
export { startRecordingServer, type RecordedRequest, type CannedReply, type RecordingServer } from './test-support/recording-server.js'
