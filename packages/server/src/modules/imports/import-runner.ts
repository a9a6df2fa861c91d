import { invalidIdentifierTrait, mapImportRow, parseMessage, storableText, type ImportKind, type ImportMapping } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import { ingest } from '../ingest/index.js'
import { readRows } from './import-file.js'
import { importRecord, saveProgress, setRunStatus, type ImportRecord, type RefusedRow } from './imports-repository.js'

const BATCH = 500

/** Reports how far a run is: rows and bytes read, of the file's bytes. */
type OnProgress = (processedRows: number, processedBytes: number, fileBytes: number) => void

/**
 * Ingests a batch of mapped rows and saves the run's progress with the rows refused (those that
 * could not be read or mapped, and those ingestion refused). The report keeps a refused row as
 * read, less what the database cannot hold (NUL, lone surrogates); JSON text holds neither raw, as
 * JSON.stringify escapes them.
 */
async function ingestBatch(
  ctx: AppContext,
  run: { importId: string; source: { id: string; workspaceId: string } },
  batch: ReadonlyArray<{ number: number; message: Record<string, unknown> }>,
  errors: readonly RefusedRow[],
  position: { lastRow: number; bytes: number },
): Promise<void> {
  const outcome =
    batch.length > 0
      ? await ingest(
          ctx,
          run.source,
          batch.map((b) => b.message),
        )
      : { accepted: 0, duplicates: 0, rejected: [] }
  const refused = [
    ...errors,
    ...outcome.rejected.map((r) => ({
      rowNumber: batch[r.index]?.number ?? 0,
      reason: r.reason,
      raw: JSON.stringify(batch[r.index]?.message),
    })),
  ].map((e) => ({ ...e, reason: storableText(e.reason), raw: storableText(e.raw) }))
  await ctx.db
    .transaction()
    .execute((tx) => saveProgress(tx, run.importId, { ...position, accepted: outcome.accepted, duplicates: outcome.duplicates, refused }))
}

/**
 * Runs an import: streams its file, maps each row to a Segment call, and ingests them in batches
 * through the same path as the tracking API. Refused rows go to the error report. Progress is
 * saved after every batch; a run that stops (crash, restart) resumes after the last saved row, and
 * because each row's messageId is derived from the file and row (or a mapped unique column),
 * running the same file again adds nothing.
 */
export async function runImport(ctx: AppContext, importId: string, onProgress?: OnProgress): Promise<void> {
  const record = await importRecord(ctx.db, null, importId)
  if (!record) throw new Error(`no import ${importId}`)
  const job = record.import
  if (job.status === 'done' || !job.sourceId || !job.kind || !job.mapping) return
  const run = { importId, source: { id: job.sourceId, workspaceId: record.workspaceId } }
  const startedAt = job.startedAt ? new Date(job.startedAt) : ctx.clock.now()
  await setRunStatus(ctx.db, importId, { status: 'running', startedAt })
  try {
    await readAndIngest(ctx, run, { ...record, kind: job.kind, mapping: job.mapping }, onProgress)
    await ctx.database.analyze()
    await setRunStatus(ctx.db, importId, { status: 'done', fileBytes: job.fileBytes, at: ctx.clock.now() })
  } catch (error) {
    await setRunStatus(ctx.db, importId, { status: 'failed', error: (error as Error).message.slice(0, 1000) })
    throw error
  }
}

/**
 * Reads the file after the last saved row, mapping and checking each row (a mapped phone or email
 * must be one), and ingests them batch by batch.
 */
async function readAndIngest(
  ctx: AppContext,
  run: { importId: string; source: { id: string; workspaceId: string } },
  file: ImportRecord & { kind: ImportKind; mapping: ImportMapping },
  onProgress: OnProgress | undefined,
): Promise<void> {
  const resumeAfter = file.import.processedRows
  const { rows, counter } = readRows(file.filePath, file.import.format)
  let batch: Array<{ number: number; message: Record<string, unknown> }> = []
  let errors: RefusedRow[] = []
  let lastRow = resumeAfter
  const flush = async () => {
    await ingestBatch(ctx, run, batch, errors, { lastRow, bytes: counter.bytes })
    onProgress?.(lastRow, counter.bytes, file.import.fileBytes)
    batch = []
    errors = []
  }
  const receivedAt = ctx.clock.now()
  for await (const row of rows) {
    if (row.number <= resumeAfter) continue
    lastRow = row.number
    if (!row.fields) errors.push({ rowNumber: row.number, reason: row.error ?? 'unreadable row', raw: row.raw })
    else {
      const message = mapImportRow(row.fields, file.kind, file.mapping, `import:${file.fileSha256}:${row.number}`)
      const check = parseMessage(message, receivedAt, undefined, ctx.internalEvents)
      const badIdentifier = check.ok ? invalidIdentifierTrait(message) : null
      if (!check.ok) errors.push({ rowNumber: row.number, reason: check.problem.reason, raw: row.raw })
      else if (badIdentifier) errors.push({ rowNumber: row.number, reason: badIdentifier.reason, raw: row.raw })
      else batch.push({ number: row.number, message })
    }
    if (batch.length + errors.length >= BATCH) await flush()
  }
  await flush()
}
