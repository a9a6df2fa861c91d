import type { Channel, MessageCategory, TemplateContent } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import { messagingDb } from './messaging-schema.js'

/** A message template: the draft being edited and, once published, the content sends use. */
export interface TemplateRecord {
  id: string
  name: string
  channel: Channel
  category: MessageCategory
  subscriptionGroupId: string | null
  providerAccountId: string | null
  fallbackTemplateId: string | null
  draft: TemplateContent
  published: TemplateContent | null
  publishedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

type Row = {
  id: string
  name: string
  channel: string
  category: MessageCategory
  subscription_group_id: string | null
  provider_account_id: string | null
  fallback_template_id: string | null
  draft: unknown
  published: unknown
  published_at: Date | null
  created_at: Date
  updated_at: Date
}

const toRecord = (r: Row): TemplateRecord => ({
  id: r.id,
  name: r.name,
  channel: r.channel as Channel,
  category: r.category,
  subscriptionGroupId: r.subscription_group_id,
  providerAccountId: r.provider_account_id,
  fallbackTemplateId: r.fallback_template_id,
  draft: r.draft as TemplateContent,
  published: (r.published ?? null) as TemplateContent | null,
  publishedAt: r.published_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const COLUMNS = [
  'id',
  'name',
  'channel',
  'category',
  'subscription_group_id',
  'provider_account_id',
  'fallback_template_id',
  'draft',
  'published',
  'published_at',
  'created_at',
  'updated_at',
] as const

export async function templates(db: Executor, workspaceId: string): Promise<TemplateRecord[]> {
  const rows = await messagingDb(db)
    .selectFrom('message_templates')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('updated_at', 'desc')
    .execute()
  return rows.map(toRecord)
}

export async function template(db: Executor, workspaceId: string, id: string): Promise<TemplateRecord | undefined> {
  const row = await messagingDb(db)
    .selectFrom('message_templates')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toRecord(row)
}

export async function templatesByIds(db: Executor, workspaceId: string, ids: readonly string[]): Promise<Map<string, TemplateRecord>> {
  if (ids.length === 0) return new Map()
  const rows = await messagingDb(db)
    .selectFrom('message_templates')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...ids])
    .execute()
  return new Map(rows.map((r) => [r.id, toRecord(r)]))
}

export interface TemplateWrite {
  name: string
  category: MessageCategory
  subscriptionGroupId: string | null
  providerAccountId: string | null
  fallbackTemplateId: string | null
  draft: TemplateContent
}

export async function insertTemplate(db: Executor, workspaceId: string, id: string, write: TemplateWrite, now: Date): Promise<void> {
  await messagingDb(db)
    .insertInto('message_templates')
    .values({
      id,
      workspace_id: workspaceId,
      name: write.name,
      channel: write.draft.channel,
      category: write.category,
      subscription_group_id: write.subscriptionGroupId,
      provider_account_id: write.providerAccountId,
      fallback_template_id: write.fallbackTemplateId,
      draft: JSON.stringify(write.draft),
      published: null,
      published_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

export async function updateTemplate(db: Executor, workspaceId: string, id: string, write: TemplateWrite, now: Date): Promise<void> {
  await messagingDb(db)
    .updateTable('message_templates')
    .set({
      name: write.name,
      category: write.category,
      subscription_group_id: write.subscriptionGroupId,
      provider_account_id: write.providerAccountId,
      fallback_template_id: write.fallbackTemplateId,
      draft: JSON.stringify(write.draft),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

/** Makes the draft what sends use. */
export async function publishTemplate(db: Executor, workspaceId: string, id: string, content: TemplateContent, now: Date): Promise<void> {
  await messagingDb(db)
    .updateTable('message_templates')
    .set({ published: JSON.stringify(content), published_at: now, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

export async function deleteTemplate(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const r = await messagingDb(db)
    .deleteFrom('message_templates')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
