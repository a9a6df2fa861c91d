import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { fail, ok, storableCopy, type Import, type ImportFormat, type Result, type StartImport } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { csvField } from '../../platform/http/csv-field.js'
import { sourceExists } from '../ingest/index.js'
import { previewFile, saveUpload } from './import-file.js'
import { importRecord, insertImport, latestImports, queueUploaded, refusedRows } from './imports-repository.js'
import { IMPORT_QUEUE } from './import-queue.js'

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
    const record = await insertImport(tx, {
      id,
      workspaceId: scope.workspaceId,
      format,
      fileName,
      filePath: path,
      fileBytes: saved.bytes,
      fileSha256: saved.sha256,
      columns: JSON.stringify(storableCopy(head.columns)),
      preview: JSON.stringify(storableCopy(head.preview)),
      createdBy: scope.actor.label,
      createdAt: now,
    })
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
    return ok(record.import)
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
    if (!(await sourceExists(tx, scope.workspaceId, input.sourceId))) return fail('SOURCE_NOT_FOUND')
    const record = await queueUploaded(tx, scope.workspaceId, importId, input)
    if (!record) return fail((await importRecord(tx, scope.workspaceId, importId)) ? 'IMPORT_NOT_STARTABLE' : 'IMPORT_NOT_FOUND')
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
    return ok(record.import)
  })
}

export async function listImports(ctx: AppContext, workspaceId: string): Promise<Import[]> {
  return (await latestImports(ctx.db, workspaceId, 100)).map((r) => r.import)
}

export async function getImport(ctx: AppContext, workspaceId: string, importId: string): Promise<Result<Import>> {
  const record = await importRecord(ctx.db, workspaceId, importId)
  return record ? ok(record.import) : fail('IMPORT_NOT_FOUND')
}

/** The refused rows as CSV: row number, reason, and the row as it was in the file. */
export async function importErrorReport(ctx: AppContext, workspaceId: string, importId: string): Promise<Result<string>> {
  const found = await getImport(ctx, workspaceId, importId)
  if (!found.ok) return found
  const rows = await refusedRows(ctx.db, importId)
  return ok(['row,reason,raw', ...rows.map((r) => [r.rowNumber, r.reason, r.raw].map(csvField).join(','))].join('\n') + '\n')
}
