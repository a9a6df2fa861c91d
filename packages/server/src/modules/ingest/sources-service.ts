import { randomUUID } from 'node:crypto'
import { fail, normalizeAllowedOrigins, ok, type NewSource, type Result, type Source, type SourceChange } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { hashSecret, randomSecret } from '../../platform/crypto/tokens.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { forgetSource } from './source-cache.js'
import {
  deleteSourceRecord,
  insertSource,
  sourceRecord,
  sourceRecords,
  updateSourceRecord,
  type SourceRecord,
} from './sources-repository.js'

/** A source as operators see it: its write key decrypted. */
const toSource = (ctx: AppContext, r: SourceRecord): Source => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  writeKey: ctx.secrets.decrypt(r.writeKeyCiphertext),
  allowedOrigins: r.allowedOrigins,
  createdAt: r.createdAt.toISOString(),
  rotatedAt: r.rotatedAt?.toISOString() ?? null,
})

/** A new write key: looked up by its hash, shown to operators from its ciphertext. */
const newWriteKey = (ctx: AppContext) => {
  const key = `wk_${randomSecret(24)}`
  return { key, hash: hashSecret(key), ciphertext: ctx.secrets.encrypt(key) }
}

/** Audit entries never hold a write key. */
const auditView = (s: Source) => ({ id: s.id, name: s.name, kind: s.kind, allowedOrigins: s.allowedOrigins })

export async function listSources(ctx: AppContext, workspaceId: string): Promise<Source[]> {
  return (await sourceRecords(ctx.db, workspaceId)).map((r) => toSource(ctx, r))
}

/** Whether the workspace has the source (an import names one). */
export async function sourceExists(db: Executor, workspaceId: string, sourceId: string): Promise<boolean> {
  return (await sourceRecord(db, workspaceId, sourceId)) !== undefined
}

export async function createSource(
  ctx: AppContext,
  scope: Pick<WorkspaceScope, 'workspaceId' | 'actor' | 'requestId'>,
  input: NewSource,
  db: Executor = ctx.db,
): Promise<Source> {
  const now = ctx.clock.now()
  const record = await insertSource(db, {
    id: randomUUID(),
    workspaceId: scope.workspaceId,
    name: input.name,
    kind: input.kind,
    writeKey: newWriteKey(ctx),
    at: now,
  })
  const source = toSource(ctx, record)
  await recordAudit(db, {
    workspaceId: scope.workspaceId,
    actor: scope.actor,
    action: 'source.create',
    entityType: 'source',
    entityId: source.id,
    after: auditView(source),
    requestId: scope.requestId,
    at: now,
  })
  return source
}

export async function rotateSourceKey(ctx: AppContext, scope: WorkspaceScope, sourceId: string): Promise<Result<Source>> {
  const result = await transact(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    const record = await updateSourceRecord(tx, scope.workspaceId, sourceId, { writeKey: { ...newWriteKey(ctx), rotatedAt: now } })
    if (!record) return fail('SOURCE_NOT_FOUND')
    const source = toSource(ctx, record)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'source.rotate_key',
      entityType: 'source',
      entityId: sourceId,
      after: auditView(source),
      requestId: scope.requestId,
      at: now,
    })
    return ok(source)
  })
  forgetSource(ctx, sourceId)
  return result
}

/**
 * Renames a source or sets the browser origins it takes events from. Origins are stored as browsers
 * send them (see `normalizeAllowedOrigins`), and an empty list as null: any origin.
 */
export async function updateSource(
  ctx: AppContext,
  scope: WorkspaceScope,
  sourceId: string,
  change: SourceChange,
): Promise<Result<Source>> {
  const origins = change.allowedOrigins === undefined ? undefined : normalizeAllowedOrigins(change.allowedOrigins)
  const [bad] = origins?.invalid ?? []
  if (bad)
    return fail(
      'INVALID_ORIGIN',
      `"${bad.value.slice(0, 100)}" is not an origin: write scheme://host[:port], e.g. https://shop.example.com.`,
      { field: `body.allowedOrigins.${bad.index}`, invalid: origins?.invalid },
    )
  const result = await transact(ctx.db, async (tx) => {
    const before = await sourceRecord(tx, scope.workspaceId, sourceId, { forUpdate: true })
    if (!before) return fail('SOURCE_NOT_FOUND')
    const columns = {
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(origins === undefined ? {} : { allowedOrigins: origins.origins }),
    }
    // A PATCH of nothing (`{}`) changes and records nothing.
    if (Object.keys(columns).length === 0) return ok(toSource(ctx, before))
    const record = await updateSourceRecord(tx, scope.workspaceId, sourceId, columns)
    if (!record) return fail('SOURCE_NOT_FOUND')
    const source = toSource(ctx, record)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'source.update',
      entityType: 'source',
      entityId: sourceId,
      before: auditView(toSource(ctx, before)),
      after: auditView(source),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(source)
  })
  forgetSource(ctx, sourceId)
  return result
}

export async function deleteSource(ctx: AppContext, scope: WorkspaceScope, sourceId: string): Promise<Result<Record<string, never>>> {
  const result = await transact(ctx.db, async (tx) => {
    const record = await deleteSourceRecord(tx, scope.workspaceId, sourceId)
    if (!record) return fail('SOURCE_NOT_FOUND')
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'source.delete',
      entityType: 'source',
      entityId: sourceId,
      before: auditView(toSource(ctx, record)),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
  forgetSource(ctx, sourceId)
  return result
}
