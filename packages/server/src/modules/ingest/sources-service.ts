import { randomUUID } from 'node:crypto'
import { fail, normalizeAllowedOrigins, ok, type NewSource, type Result, type Source, type SourceChange } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { hashSecret, randomSecret } from '../../platform/crypto/tokens.js'
import { transact, type Executor } from '../../platform/db/database.js'

type SourceRow = {
  id: string
  name: string
  kind: string
  write_key_ciphertext: string
  allowed_origins: string[] | null
  created_at: Date
  rotated_at: Date | null
}

const toSource = (ctx: AppContext, r: SourceRow): Source => ({
  id: r.id,
  name: r.name,
  kind: r.kind as Source['kind'],
  writeKey: ctx.secrets.decrypt(r.write_key_ciphertext),
  allowedOrigins: r.allowed_origins,
  createdAt: r.created_at.toISOString(),
  rotatedAt: r.rotated_at?.toISOString() ?? null,
})

/** A new write key: looked up by its hash, shown to operators from its ciphertext. */
const newWriteKey = (ctx: AppContext) => {
  const key = `wk_${randomSecret(24)}`
  return { key, hash: hashSecret(key), ciphertext: ctx.secrets.encrypt(key) }
}

/** Audit entries never hold a write key. */
const auditView = (s: Source) => ({ id: s.id, name: s.name, kind: s.kind, allowedOrigins: s.allowedOrigins })

export async function listSources(ctx: AppContext, workspaceId: string): Promise<Source[]> {
  const rows = await ctx.db.selectFrom('sources').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute()
  return rows.map((r) => toSource(ctx, r))
}

export async function createSource(
  ctx: AppContext,
  scope: Pick<WorkspaceScope, 'workspaceId' | 'actor' | 'requestId'>,
  input: NewSource,
  db: Executor = ctx.db,
): Promise<Source> {
  const key = newWriteKey(ctx)
  const now = ctx.clock.now()
  const row = await db
    .insertInto('sources')
    .values({
      id: randomUUID(),
      workspace_id: scope.workspaceId,
      name: input.name,
      kind: input.kind,
      write_key_hash: key.hash,
      write_key_ciphertext: key.ciphertext,
      created_at: now,
      rotated_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const source = toSource(ctx, row)
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
    const key = newWriteKey(ctx)
    const now = ctx.clock.now()
    const row = await tx
      .updateTable('sources')
      .set({ write_key_hash: key.hash, write_key_ciphertext: key.ciphertext, rotated_at: now })
      .where('id', '=', sourceId)
      .where('workspace_id', '=', scope.workspaceId)
      .returningAll()
      .executeTakeFirst()
    if (!row) return fail('SOURCE_NOT_FOUND')
    const source = toSource(ctx, row)
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
    const before = await tx
      .selectFrom('sources')
      .selectAll()
      .where('id', '=', sourceId)
      .where('workspace_id', '=', scope.workspaceId)
      .forUpdate()
      .executeTakeFirst()
    if (!before) return fail('SOURCE_NOT_FOUND')
    const columns = {
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(origins === undefined ? {} : { allowed_origins: origins.origins === null ? null : JSON.stringify(origins.origins) }),
    }
    // A PATCH of nothing (`{}`) changes and records nothing; an UPDATE without columns is not SQL.
    if (Object.keys(columns).length === 0) return ok(toSource(ctx, before))
    const row = await tx.updateTable('sources').set(columns).where('id', '=', sourceId).returningAll().executeTakeFirstOrThrow()
    const source = toSource(ctx, row)
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
    const row = await tx
      .deleteFrom('sources')
      .where('id', '=', sourceId)
      .where('workspace_id', '=', scope.workspaceId)
      .returningAll()
      .executeTakeFirst()
    if (!row) return fail('SOURCE_NOT_FOUND')
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'source.delete',
      entityType: 'source',
      entityId: sourceId,
      before: auditView(toSource(ctx, row)),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
  forgetSource(ctx, sourceId)
  return result
}

/** What the tracking API needs of a source: who it is and which browser origins may send to it. */
export interface TrackingSource {
  id: string
  workspaceId: string
  /** null allows any origin. */
  allowedOrigins: string[] | null
}

/** The source a write key belongs to, or undefined. */
export async function sourceByWriteKey(ctx: AppContext, writeKey: string): Promise<TrackingSource | undefined> {
  const hash = hashSecret(writeKey)
  return ctx.caches.sources.get(hash, async () => {
    const row = await ctx.db
      .selectFrom('sources')
      .select(['id', 'workspace_id', 'allowed_origins'])
      .where('write_key_hash', '=', hash)
      .executeTakeFirst()
    return row ? { id: row.id, workspaceId: row.workspace_id, allowedOrigins: row.allowed_origins } : undefined
  })
}

/** A rotated or deleted key stops working in this process at once (in others within seconds). */
const forgetSource = (ctx: AppContext, sourceId: string) => ctx.caches.sources.clear((_hash, source) => source?.id === sourceId)
