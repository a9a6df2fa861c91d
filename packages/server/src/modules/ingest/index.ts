/** Ingest's public face: what other modules may call. */
export { ingest, type IngestOptions, type IngestOutcome, type Rejection } from './ingest-service.js'
export { createSource, sourceExists } from './sources-service.js'
export { sourceNamed, sourceRecords, type SourceRecord } from './sources-repository.js'
