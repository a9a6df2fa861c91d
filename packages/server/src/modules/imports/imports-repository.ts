import type { Import, ImportFormat, ImportKind, ImportMapping } from '@reachloop/domain'
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'

/** An import as `imports` keeps it: what operators see, and where its file is. */
export interface ImportRecord {
  import: Import
  workspaceId: string
  filePath: string
  fileSha256: string
}

type ImportRow = {
  id: string
  workspace_id: string
  kind: string | null
  format: string
  file_name: string
  file_path: string
  file_bytes: number
  file_sha256: string
  columns: unknown
  preview: unknown
  mapping: unknown
  source_id: string | null
  status: string
  processed_rows: number
  processed_bytes: number
  accepted: number
  duplicates: number
  rejected: number
  error: string | null
  created_at: Date
  started_at: Date | null
  finished_at: Date | null
}

/** The one mapping of an `imports` row (bigint columns come as strings). */
const toImportRecord = (r: ImportRow): ImportRecord => ({
  workspaceId: r.workspace_id,
  filePath: r.file_path,
  fileSha256: r.file_sha256,
  import: {
    id: r.id,
    kind: r.kind as Import['kind'],
    format: r.format as ImportFormat,
    fileName: r.file_name,
    fileBytes: Number(r.file_bytes),
    columns: r.columns as string[],
    preview: r.preview as unknown[],
    mapping: (r.mapping ?? null) as ImportMapping | null,
    sourceId: r.source_id,
    status: r.status as Import['status'],
    processedRows: r.processed_rows,
    processedBytes: Number(r.processed_bytes),
    accepted: r.accepted,
    duplicates: r.duplicates,
    rejected: r.rejected,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  },
})

/** A file uploaded for an import, with its columns and first rows. */
export interface NewImport {
  id: string
  workspaceId: string
  format: ImportFormat
  fileName: string
  filePath: string
  fileBytes: number
  fileSha256: string
  columns: string
  preview: string
  createdBy: string
  createdAt: Date
}

export async function insertImport(db: Executor, i: NewImport): Promise<ImportRecord> {
  const row = await db
    .insertInto('imports')
    .values({
      id: i.id,
      workspace_id: i.workspaceId,
      source_id: null,
      kind: null,
      format: i.format,
      file_name: i.fileName,
      file_path: i.filePath,
      file_bytes: i.fileBytes,
      file_sha256: i.fileSha256,
      columns: i.columns,
      preview: i.preview,
      mapping: null,
      status: 'uploaded',
      error: null,
      created_by: i.createdBy,
      created_at: i.createdAt,
      started_at: null,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toImportRecord(row)
}

/** An import by id, of the workspace when one is named (a job names only the import). */
export async function importRecord(db: Executor, workspaceId: string | null, importId: string): Promise<ImportRecord | undefined> {
  let q = db.selectFrom('imports').selectAll().where('id', '=', importId)
  if (workspaceId !== null) q = q.where('workspace_id', '=', workspaceId)
  const row = await q.executeTakeFirst()
  return row && toImportRecord(row)
}

/** The workspace's latest imports, newest first. */
export async function latestImports(db: Executor, workspaceId: string, limit: number): Promise<ImportRecord[]> {
  const rows = await db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toImportRecord)
}

/** Queues an uploaded import with its mapping; undefined when it is not (or no longer) uploaded. */
export async function queueUploaded(
  db: Executor,
  workspaceId: string,
  importId: string,
  start: { kind: ImportKind; sourceId: string; mapping: ImportMapping },
): Promise<ImportRecord | undefined> {
  const row = await db
    .updateTable('imports')
    .set({ kind: start.kind, source_id: start.sourceId, mapping: JSON.stringify(start.mapping), status: 'queued' })
    .where('id', '=', importId)
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'uploaded')
    .returningAll()
    .executeTakeFirst()
  return row && toImportRecord(row)
}

/** A run's status: running (since it first started), done, or failed with why. */
export type RunStatus =
  { status: 'running'; startedAt: Date } | { status: 'done'; fileBytes: number; at: Date } | { status: 'failed'; error: string }

export async function setRunStatus(db: Executor, importId: string, change: RunStatus): Promise<void> {
  const columns =
    change.status === 'running'
      ? { status: change.status, started_at: change.startedAt, error: null }
      : change.status === 'done'
        ? { status: change.status, processed_bytes: change.fileBytes, finished_at: change.at }
        : { status: change.status, error: change.error }
  await db.updateTable('imports').set(columns).where('id', '=', importId).execute()
}

/** A row of the file that was refused, as read, with why. */
export interface RefusedRow {
  rowNumber: number
  reason: string
  raw: string
}

/** Saves a batch's progress: the refused rows (once each) and the counts, after the last row read. */
export async function saveProgress(
  db: Executor,
  importId: string,
  progress: { lastRow: number; bytes: number; accepted: number; duplicates: number; refused: readonly RefusedRow[] },
): Promise<void> {
  if (progress.refused.length > 0)
    await db
      .insertInto('import_errors')
      .values(progress.refused.map((r) => ({ import_id: importId, row_number: r.rowNumber, reason: r.reason, raw: r.raw })))
      .onConflict((oc) => oc.columns(['import_id', 'row_number']).doNothing())
      .execute()
  await sql`UPDATE imports SET processed_rows = ${progress.lastRow}, processed_bytes = ${progress.bytes}, accepted = accepted + ${progress.accepted},
    duplicates = duplicates + ${progress.duplicates}, rejected = rejected + ${progress.refused.length} WHERE id = ${importId}`.execute(db)
}

/** An import's refused rows, in file order. */
export async function refusedRows(db: Executor, importId: string): Promise<RefusedRow[]> {
  const rows = await db.selectFrom('import_errors').selectAll().where('import_id', '=', importId).orderBy('row_number').execute()
  return rows.map((r) => ({ rowNumber: r.row_number, reason: r.reason, raw: r.raw }))
}
