import type { ImportKind, ImportMapping, Source } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'

/** A source as `sources` keeps it: its write key as ciphertext (and hash), its origins, and its webhook if set. */
export interface SourceRecord {
  id: string
  workspaceId: string
  name: string
  kind: Source['kind']
  writeKeyCiphertext: string
  /** null allows any origin. */
  allowedOrigins: string[] | null
  createdAt: Date
  rotatedAt: Date | null
  /** The webhook's signing secret, kept once made even if the webhook is changed. */
  webhookSecretCiphertext: string | null
  /** The webhook when it is set whole: secret, kind and mapping. */
  webhook: { secretCiphertext: string; kind: ImportKind; mapping: ImportMapping } | null
}

type SourceRow = {
  id: string
  workspace_id: string
  name: string
  kind: string
  write_key_ciphertext: string
  allowed_origins: string[] | null
  created_at: Date
  rotated_at: Date | null
  webhook_secret_ciphertext: string | null
  webhook_kind: string | null
  webhook_mapping: unknown
}

const COLUMNS = [
  'id',
  'workspace_id',
  'name',
  'kind',
  'write_key_ciphertext',
  'allowed_origins',
  'created_at',
  'rotated_at',
  'webhook_secret_ciphertext',
  'webhook_kind',
  'webhook_mapping',
] as const

/** The one mapping of a `sources` row. */
const toSourceRecord = (r: SourceRow): SourceRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  kind: r.kind as Source['kind'],
  writeKeyCiphertext: r.write_key_ciphertext,
  allowedOrigins: r.allowed_origins,
  createdAt: r.created_at,
  rotatedAt: r.rotated_at,
  webhookSecretCiphertext: r.webhook_secret_ciphertext,
  webhook:
    r.webhook_secret_ciphertext && r.webhook_kind && r.webhook_mapping
      ? { secretCiphertext: r.webhook_secret_ciphertext, kind: r.webhook_kind as ImportKind, mapping: r.webhook_mapping as ImportMapping }
      : null,
})

export async function sourceRecords(db: Executor, workspaceId: string): Promise<SourceRecord[]> {
  const rows = await db.selectFrom('sources').select(COLUMNS).where('workspace_id', '=', workspaceId).orderBy('created_at').execute()
  return rows.map(toSourceRecord)
}

/** A source of the workspace (any workspace's when none is named: a webhook push names only the source), locked when asked. */
export async function sourceRecord(
  db: Executor,
  workspaceId: string | null,
  sourceId: string,
  options: { forUpdate?: boolean } = {},
): Promise<SourceRecord | undefined> {
  let q = db.selectFrom('sources').select(COLUMNS).where('id', '=', sourceId)
  if (workspaceId !== null) q = q.where('workspace_id', '=', workspaceId)
  const row = await (options.forUpdate ? q.forUpdate() : q).executeTakeFirst()
  return row && toSourceRecord(row)
}

/** The source of a workspace by id or by name (the CLI names sources either way). */
export async function sourceNamed(db: Executor, workspaceId: string, idOrName: string): Promise<SourceRecord | undefined> {
  const byId = /^[0-9a-f-]{36}$/i.test(idOrName)
  const row = await db
    .selectFrom('sources')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where(byId ? 'id' : 'name', '=', idOrName)
    .executeTakeFirst()
  return row && toSourceRecord(row)
}

/** The source a write key's hash belongs to. */
export async function sourceByKeyHash(db: Executor, hash: string): Promise<SourceRecord | undefined> {
  const row = await db.selectFrom('sources').select(COLUMNS).where('write_key_hash', '=', hash).executeTakeFirst()
  return row && toSourceRecord(row)
}

export async function insertSource(
  db: Executor,
  source: { id: string; workspaceId: string; name: string; kind: string; writeKey: { hash: string; ciphertext: string }; at: Date },
): Promise<SourceRecord> {
  const row = await db
    .insertInto('sources')
    .values({
      id: source.id,
      workspace_id: source.workspaceId,
      name: source.name,
      kind: source.kind,
      write_key_hash: source.writeKey.hash,
      write_key_ciphertext: source.writeKey.ciphertext,
      created_at: source.at,
      rotated_at: null,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
  return toSourceRecord(row)
}

/** What a change of a source may set. */
export interface SourceColumns {
  name?: string
  allowedOrigins?: string[] | null
  writeKey?: { hash: string; ciphertext: string; rotatedAt: Date }
  webhook?: { secretCiphertext: string; kind: ImportKind; mapping: ImportMapping }
}

/** Changes a source of the workspace; undefined when there is none. An empty change reads the source as it is. */
export async function updateSourceRecord(
  db: Executor,
  workspaceId: string,
  sourceId: string,
  change: SourceColumns,
): Promise<SourceRecord | undefined> {
  const columns = {
    ...(change.name === undefined ? {} : { name: change.name }),
    ...(change.allowedOrigins === undefined
      ? {}
      : { allowed_origins: change.allowedOrigins === null ? null : JSON.stringify(change.allowedOrigins) }),
    ...(change.writeKey
      ? { write_key_hash: change.writeKey.hash, write_key_ciphertext: change.writeKey.ciphertext, rotated_at: change.writeKey.rotatedAt }
      : {}),
    ...(change.webhook
      ? {
          webhook_secret_ciphertext: change.webhook.secretCiphertext,
          webhook_kind: change.webhook.kind,
          webhook_mapping: JSON.stringify(change.webhook.mapping),
        }
      : {}),
  }
  // An UPDATE without columns is not SQL.
  if (Object.keys(columns).length === 0) return sourceRecord(db, workspaceId, sourceId)
  const row = await db
    .updateTable('sources')
    .set(columns)
    .where('id', '=', sourceId)
    .where('workspace_id', '=', workspaceId)
    .returning(COLUMNS)
    .executeTakeFirst()
  return row && toSourceRecord(row)
}

export async function deleteSourceRecord(db: Executor, workspaceId: string, sourceId: string): Promise<SourceRecord | undefined> {
  const row = await db
    .deleteFrom('sources')
    .where('id', '=', sourceId)
    .where('workspace_id', '=', workspaceId)
    .returning(COLUMNS)
    .executeTakeFirst()
  return row && toSourceRecord(row)
}
