import { mapImportRow, parseMessage, storableText, type ImportFormat, type ImportKind, type ImportMapping } from '@reachloop/domain'
import { sql } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import { ingest } from '../ingest/ingest-service.js'
import { readRows } from './import-file.js'

const BATCH = 500

/**
 * Runs an import: streams its file, maps each row to a Segment call, and ingests them in batches
 * through the same path as the tracking API. Refused rows go to the error report. Progress is
 * saved after every batch; a run that stops (crash, restart) resumes after the last saved row, and
 * because each row's messageId is derived from the file and row (or a mapped unique column),
 * running the same file again adds nothing.
 */
export async function runImport(
  ctx: AppContext,
  importId: string,
  onProgress?: (processedRows: number, processedBytes: number, fileBytes: number) => void,
): Promise<void> {
  const job = await ctx.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow()
  if (job.status === 'done' || !job.source_id || !job.kind || !job.mapping) return
  const source = { id: job.source_id, workspaceId: job.workspace_id }
  const mapping = job.mapping as ImportMapping
  const kind = job.kind as ImportKind
  const resumeAfter = job.processed_rows
  await ctx.db
    .updateTable('imports')
    .set({ status: 'running', started_at: job.started_at ?? ctx.clock.now(), error: null })
    .where('id', '=', importId)
    .execute()

  const { rows, counter } = readRows(job.file_path, job.format as ImportFormat)
  let batch: Array<{ number: number; message: Record<string, unknown> }> = []
  let errors: Array<{ import_id: string; row_number: number; reason: string; raw: string }> = []
  let lastRow = resumeAfter
  const flush = async () => {
    const outcome =
      batch.length > 0
        ? await ingest(
            ctx,
            source,
            batch.map((b) => b.message),
          )
        : { accepted: 0, duplicates: 0, rejected: [] }
    // The report keeps a refused row as read, less what the database cannot hold (NUL, lone
    // surrogates); JSON text holds neither raw, as JSON.stringify escapes them.
    const refused = [
      ...errors,
      ...outcome.rejected.map((r) => ({
        import_id: importId,
        row_number: batch[r.index]?.number ?? 0,
        reason: r.reason,
        raw: JSON.stringify(batch[r.index]?.message),
      })),
    ].map((e) => ({
      ...e,
      reason: storableText(e.reason),
      raw: storableText(e.raw),
    }))
    await ctx.db.transaction().execute(async (tx) => {
      if (refused.length > 0)
        await tx
          .insertInto('import_errors')
          .values(refused)
          .onConflict((oc) => oc.columns(['import_id', 'row_number']).doNothing())
          .execute()
      await sql`UPDATE imports SET processed_rows = ${lastRow}, processed_bytes = ${counter.bytes}, accepted = accepted + ${outcome.accepted},
        duplicates = duplicates + ${outcome.duplicates}, rejected = rejected + ${refused.length} WHERE id = ${importId}`.execute(tx)
    })
    onProgress?.(lastRow, counter.bytes, Number(job.file_bytes))
    batch = []
    errors = []
  }
  try {
    const receivedAt = ctx.clock.now()
    for await (const row of rows) {
      if (row.number <= resumeAfter) continue
      lastRow = row.number
      if (!row.fields) errors.push({ import_id: importId, row_number: row.number, reason: row.error ?? 'unreadable row', raw: row.raw })
      else {
        const message = mapImportRow(row.fields, kind, mapping, `import:${job.file_sha256}:${row.number}`)
        const check = parseMessage(message, receivedAt)
        if (check.ok) batch.push({ number: row.number, message })
        else errors.push({ import_id: importId, row_number: row.number, reason: check.problem.reason, raw: row.raw })
      }
      if (batch.length + errors.length >= BATCH) await flush()
    }
    await flush()
    await ctx.database.analyze()
    await ctx.db
      .updateTable('imports')
      .set({ status: 'done', processed_bytes: Number(job.file_bytes), finished_at: ctx.clock.now() })
      .where('id', '=', importId)
      .execute()
  } catch (error) {
    await ctx.db
      .updateTable('imports')
      .set({ status: 'failed', error: (error as Error).message.slice(0, 1000) })
      .where('id', '=', importId)
      .execute()
    throw error
  }
}
