import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import {
  fail,
  ok,
  storableCopy,
  type Import,
  type ImportFormat,
  type ImportMapping,
  type Result,
  type StartImport,
} from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { csvField } from '../../platform/http/csv-field.js'
import { previewFile, saveUpload } from './import-file.js'
import { Type } from '@sinclair/typebox'
import { defineQueue } from '../../platform/jobs/queue.js'

export const IMPORT_QUEUE = defineQueue('import.run', Type.Object({ importId: Type.String({ minLength: 1 }) }))

type ImportRow = {
  id: string
  kind: string | null
  format: string
  file_name: string
  file_bytes: number
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

export const toImport = (r: ImportRow): Import => ({
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
})

/** Where uploaded files wait for their import (several processes on PostgreSQL need it on a shared volume). */
export const importDir = (ctx: AppContext) => ctx.config.importDir

/** Stores an uploaded file, reads its columns and first rows, and records the import as uploaded. */
export async function receiveUpload(
  ctx: AppContext,
  scope: Pick<WorkspaceScope, 'workspaceId' | 'actor' | 'requestId'>,
  body: Readable,
  format: ImportFormat,
  fileName: string,
): Promise<Result<Import>> {
  const id = randomUUID()
  const dir = join(importDir(ctx), scope.workspaceId)
  const path = join(dir, `${id}.${format}`)
  let saved: { bytes: number; sha256: string }
  try {
    saved = await saveUpload(body, dir, path, ctx.config.importMaxBytes)
  } catch (error) {
    return fail('PAYLOAD_TOO_LARGE', (error as Error).message)
  }
  let head: Awaited<ReturnType<typeof previewFile>>
  try {
    head = await previewFile(path, format)
  } catch (error) {
    await rm(path, { force: true })
    return fail('INVALID_FILE', `The file cannot be read as ${format.toUpperCase()}: ${(error as Error).message}`)
  }
  if (head.columns.length === 0) {
    await rm(path, { force: true })
    return fail('INVALID_FILE', 'The file has no rows.')
  }
  return transact(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    const row = await tx
      .insertInto('imports')
      .values({
        id,
        workspace_id: scope.workspaceId,
        source_id: null,
        kind: null,
        format,
        file_name: fileName,
        file_path: path,
        file_bytes: saved.bytes,
        file_sha256: saved.sha256,
        columns: JSON.stringify(storableCopy(head.columns)),
        preview: JSON.stringify(storableCopy(head.preview)),
        mapping: null,
        status: 'uploaded',
        error: null,
        created_by: scope.actor.label,
        created_at: now,
        started_at: null,
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'import.upload',
      entityType: 'import',
      entityId: id,
      after: { fileName, format, bytes: saved.bytes, sha256: saved.sha256 },
      requestId: scope.requestId,
      at: now,
    })
    return ok(toImport(row))
  })
}

const checkMapping = (input: StartImport): string | undefined => {
  const m = input.mapping
  if (!m.userId && !m.anonymousId && !m.traits?.phone && !m.traits?.email)
    return 'map userId, anonymousId, or a phone or email trait, so rows can be tied to customers'
  if (input.kind === 'events' && !m.event && !m.eventName) return 'an events import needs an event column or an eventName for every row'
  return undefined
}

/** Sets the mapping and queues the import as a job; a started import cannot be started again. */
export async function startImport(
  ctx: AppContext,
  scope: Pick<WorkspaceScope, 'workspaceId' | 'actor' | 'requestId'>,
  importId: string,
  input: StartImport,
): Promise<Result<Import>> {
  const problem = checkMapping(input)
  if (problem) return fail('INVALID_MAPPING', problem, { fields: [{ field: 'body.mapping', message: problem }] })
  return transact(ctx.db, async (tx) => {
    const source = await tx
      .selectFrom('sources')
      .select('id')
      .where('id', '=', input.sourceId)
      .where('workspace_id', '=', scope.workspaceId)
      .executeTakeFirst()
    if (!source) return fail('SOURCE_NOT_FOUND')
    const row = await tx
      .updateTable('imports')
      .set({ kind: input.kind, source_id: input.sourceId, mapping: JSON.stringify(input.mapping), status: 'queued' })
      .where('id', '=', importId)
      .where('workspace_id', '=', scope.workspaceId)
      .where('status', '=', 'uploaded')
      .returningAll()
      .executeTakeFirst()
    if (!row) {
      const exists = await tx
        .selectFrom('imports')
        .select('id')
        .where('id', '=', importId)
        .where('workspace_id', '=', scope.workspaceId)
        .executeTakeFirst()
      return fail(exists ? 'IMPORT_NOT_STARTABLE' : 'IMPORT_NOT_FOUND')
    }
    await ctx.jobs.enqueue(
      { queue: IMPORT_QUEUE, workspaceId: scope.workspaceId, payload: { importId }, idempotencyKey: importId, maxAttempts: 3 },
      tx,
    )
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'import.start',
      entityType: 'import',
      entityId: importId,
      after: { kind: input.kind, sourceId: input.sourceId, mapping: input.mapping },
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(toImport(row))
  })
}

export async function listImports(ctx: AppContext, workspaceId: string): Promise<Import[]> {
  const rows = await ctx.db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute()
  return rows.map(toImport)
}

export async function getImport(ctx: AppContext, workspaceId: string, importId: string): Promise<Result<Import>> {
  const row = await ctx.db
    .selectFrom('imports')
    .selectAll()
    .where('id', '=', importId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
  return row ? ok(toImport(row)) : fail('IMPORT_NOT_FOUND')
}

/** The refused rows as CSV: row number, reason, and the row as it was in the file. */
export async function importErrorReport(ctx: AppContext, workspaceId: string, importId: string): Promise<Result<string>> {
  const found = await getImport(ctx, workspaceId, importId)
  if (!found.ok) return found
  const rows = await ctx.db.selectFrom('import_errors').selectAll().where('import_id', '=', importId).orderBy('row_number').execute()
  return ok(['row,reason,raw', ...rows.map((r) => [r.row_number, r.reason, r.raw].map(csvField).join(','))].join('\n') + '\n')
}
