import { randomUUID } from 'node:crypto'
import {
  fail,
  ok,
  type MessageTemplate,
  type MessageTemplateChange,
  type NewMessageTemplate,
  type Result,
  type TemplateContent,
  type TemplatePreview,
} from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { computedValuesOf } from '../computed-properties/index.js'
import { profileRecords } from '../identity/index.js'
import { subscriptionGroups } from './consent-repository.js'
import { groupOf } from './delivery-gate.js'
import { queueMessages } from './message-queue.js'
import { compileMjml } from './mjml.js'
import { defaultAccount, providerAccount } from './provider-accounts-repository.js'
import { smsBillingParts } from './providers/sms/sms-billing.js'
import { RenderError, renderContent, usedVariables } from './render-message.js'
import { templateProblems } from './template-check.js'
import {
  deleteTemplate as removeTemplate,
  insertTemplate,
  publishTemplate as publish,
  template,
  templates,
  updateTemplate as saveTemplate,
  type TemplateRecord,
} from './templates-repository.js'
import { messageLinks } from './tracking-links.js'

export function toTemplate(r: TemplateRecord): MessageTemplate {
  return {
    id: r.id,
    name: r.name,
    channel: r.channel,
    category: r.category,
    subscriptionGroupId: r.subscriptionGroupId,
    providerAccountId: r.providerAccountId,
    fallbackTemplateId: r.fallbackTemplateId,
    draft: r.draft,
    published: r.published,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    unpublishedChanges: JSON.stringify(r.draft) !== JSON.stringify(r.published),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

/** Records a change to a template in the audit log, in the change's transaction. */
function auditTemplate(
  tx: Executor,
  scope: WorkspaceScope,
  change: { action: string; id: string; before?: unknown; after?: unknown; at: Date },
): Promise<void> {
  return recordAudit(tx, {
    workspaceId: scope.workspaceId,
    actor: scope.actor,
    action: change.action,
    entityType: 'message_template',
    entityId: change.id,
    before: change.before,
    after: change.after,
    requestId: scope.requestId,
    at: change.at,
  })
}

export async function listTemplates(ctx: AppContext, workspaceId: string): Promise<MessageTemplate[]> {
  return (await templates(ctx.db, workspaceId)).map(toTemplate)
}

export async function getTemplate(ctx: AppContext, workspaceId: string, id: string): Promise<Result<MessageTemplate>> {
  const found = await template(ctx.db, workspaceId, id)
  return found ? ok(toTemplate(found)) : fail('TEMPLATE_NOT_FOUND')
}

/** Refuses links to another workspace's or another channel's group, account or fallback. */
async function linksRefusal(
  ctx: AppContext,
  tx: Executor,
  workspaceId: string,
  channel: string,
  input: {
    subscriptionGroupId?: string | null | undefined
    providerAccountId?: string | null | undefined
    fallbackTemplateId?: string | null | undefined
  },
  selfId?: string,
) {
  if (input.subscriptionGroupId) {
    const group = (await subscriptionGroups(tx, workspaceId, ctx.clock.now())).find((g) => g.id === input.subscriptionGroupId)
    if (!group) return fail('SUBSCRIPTION_GROUP_NOT_FOUND', undefined, { field: 'body.subscriptionGroupId' })
    if (group.channel !== channel)
      return fail('CHANNEL_MISMATCH', `The group ${group.key} is for ${group.channel}, the template for ${channel}.`, {
        field: 'body.subscriptionGroupId',
      })
  }
  if (input.providerAccountId) {
    const account = await providerAccount(ctx, tx, workspaceId, input.providerAccountId)
    if (!account) return fail('PROVIDER_ACCOUNT_NOT_FOUND', undefined, { field: 'body.providerAccountId' })
    if (account.channel !== channel)
      return fail('CHANNEL_MISMATCH', `The account ${account.name} sends ${account.channel}, the template is ${channel}.`, {
        field: 'body.providerAccountId',
      })
  }
  if (input.fallbackTemplateId) {
    const fallback = await template(tx, workspaceId, input.fallbackTemplateId)
    if (!fallback || fallback.id === selfId)
      return fail('TEMPLATE_NOT_FOUND', 'The fallback template does not exist (or is this one).', { field: 'body.fallbackTemplateId' })
  }
  return null
}

export async function createTemplate(ctx: AppContext, scope: WorkspaceScope, input: NewMessageTemplate): Promise<Result<MessageTemplate>> {
  return transact(ctx.db, async (tx) => {
    if ((await templates(tx, scope.workspaceId)).some((t) => t.name === input.name))
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const refusal = await linksRefusal(ctx, tx, scope.workspaceId, input.draft.channel, input)
    if (refusal) return refusal
    const id = randomUUID()
    const now = ctx.clock.now()
    await insertTemplate(
      tx,
      scope.workspaceId,
      id,
      {
        name: input.name,
        category: input.category,
        subscriptionGroupId: input.subscriptionGroupId ?? null,
        providerAccountId: input.providerAccountId ?? null,
        fallbackTemplateId: input.fallbackTemplateId ?? null,
        draft: input.draft,
      },
      now,
    )
    const created = await template(tx, scope.workspaceId, id)
    if (!created) return fail('TEMPLATE_NOT_FOUND')
    await auditTemplate(tx, scope, { action: 'template.create', id, after: toTemplate(created), at: now })
    return ok(toTemplate(created))
  })
}

export async function updateTemplate(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
  change: MessageTemplateChange,
): Promise<Result<MessageTemplate>> {
  return transact(ctx.db, async (tx) => {
    const before = await template(tx, scope.workspaceId, id)
    if (!before) return fail('TEMPLATE_NOT_FOUND')
    if (change.draft && change.draft.channel !== before.channel)
      return fail('CHANNEL_MISMATCH', `The template is for ${before.channel}; make a new one for ${change.draft.channel}.`, {
        field: 'body.draft.channel',
      })
    if (change.name && change.name !== before.name && (await templates(tx, scope.workspaceId)).some((t) => t.name === change.name))
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const refusal = await linksRefusal(ctx, tx, scope.workspaceId, before.channel, change, id)
    if (refusal) return refusal
    const now = ctx.clock.now()
    await saveTemplate(
      tx,
      scope.workspaceId,
      id,
      {
        name: change.name ?? before.name,
        category: change.category ?? before.category,
        subscriptionGroupId: change.subscriptionGroupId !== undefined ? change.subscriptionGroupId : before.subscriptionGroupId,
        providerAccountId: change.providerAccountId !== undefined ? change.providerAccountId : before.providerAccountId,
        fallbackTemplateId: change.fallbackTemplateId !== undefined ? change.fallbackTemplateId : before.fallbackTemplateId,
        draft: change.draft ?? before.draft,
      },
      now,
    )
    const after = await template(tx, scope.workspaceId, id)
    if (!after) return fail('TEMPLATE_NOT_FOUND')
    await auditTemplate(tx, scope, { action: 'template.update', id, before: toTemplate(before), after: toTemplate(after), at: now })
    return ok(toTemplate(after))
  })
}

export async function deleteTemplate(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
  inUse: (tx: Executor) => Promise<boolean>,
): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const before = await template(tx, scope.workspaceId, id)
    if (!before) return fail('TEMPLATE_NOT_FOUND')
    if (await inUse(tx)) return fail('TEMPLATE_IN_USE')
    await removeTemplate(tx, scope.workspaceId, id)
    await auditTemplate(tx, scope, { action: 'template.delete', id, before: toTemplate(before), at: ctx.clock.now() })
    return ok({})
  })
}

/** Publishes the draft after checking it: every problem is listed, and nothing changes while there is one. */
export async function publishTemplate(ctx: AppContext, scope: WorkspaceScope, id: string): Promise<Result<MessageTemplate>> {
  return transact(ctx.db, async (tx) => {
    const before = await template(tx, scope.workspaceId, id)
    if (!before) return fail('TEMPLATE_NOT_FOUND')
    const problems = await templateProblems(tx, scope.workspaceId, before.draft)
    if (problems.length > 0) return fail('TEMPLATE_INVALID', undefined, { problems })
    const now = ctx.clock.now()
    await publish(tx, scope.workspaceId, id, before.draft, now)
    const after = await template(tx, scope.workspaceId, id)
    if (!after) return fail('TEMPLATE_NOT_FOUND')
    await auditTemplate(tx, scope, { action: 'template.publish', id, before: toTemplate(before), after: toTemplate(after), at: now })
    return ok(toTemplate(after))
  })
}

/** Renders the draft (or the editor's unsaved content) for a real profile, listing what it lacks. */
export async function previewTemplate(
  ctx: AppContext,
  workspaceId: string,
  id: string,
  input: { profileId?: string | undefined; draft?: TemplateContent | undefined; event?: Record<string, unknown> | undefined },
): Promise<Result<TemplatePreview>> {
  const found = await template(ctx.db, workspaceId, id)
  if (!found) return fail('TEMPLATE_NOT_FOUND')
  const content = input.draft ?? found.draft
  if (content.channel !== found.channel) return fail('CHANNEL_MISMATCH', undefined, { field: 'body.draft.channel' })
  const [profile] = input.profileId ? await profileRecords(ctx.db, workspaceId, [input.profileId]) : []
  if (input.profileId && !profile) return fail('PROFILE_NOT_FOUND', undefined, { field: 'body.profileId' })
  const computed = profile ? ((await computedValuesOf(ctx.db, workspaceId, [profile.id])).get(profile.id) ?? {}) : {}
  const scope = { profile: { id: profile?.id ?? null, ...(profile?.traits ?? {}) }, computed, event: input.event ?? {}, coupon: {} }
  const problems = await templateProblems(ctx.db, workspaceId, content)
  const used = usedVariables(content)
  const missing =
    'variables' in used
      ? [
          ...new Set(
            used.variables
              .map((v) => v.path)
              .filter(
                (path) =>
                  valueAt(scope, path) === undefined &&
                  !path.startsWith('coupon.') &&
                  path !== 'unsubscribe_url' &&
                  path !== 'preferences_url',
              ),
          ),
        ]
      : []
  const group = found.category === 'marketing' ? groupOf(found, await subscriptionGroups(ctx.db, workspaceId, ctx.clock.now())) : undefined
  const links = messageLinks(ctx, { id: 'preview', workspaceId, profileId: profile?.id ?? null }, group?.id ?? null)
  const account = found.providerAccountId
    ? await providerAccount(ctx, ctx.db, workspaceId, found.providerAccountId)
    : await defaultAccount(ctx, ctx.db, workspaceId, found.channel)
  try {
    const rendered = await renderContent(content, scope, links, {
      from: typeof account?.config.from === 'string' ? account.config.from : '',
      mjml: compileMjml,
    })
    const sms = rendered.channel === 'sms' ? { text: rendered.text, ...pick(smsBillingParts(rendered.text)) } : undefined
    return ok({ rendered, missing, problems, ...(sms ? { sms } : {}) })
  } catch (error) {
    const problem = error instanceof RenderError ? { field: error.field, message: error.message } : { field: '', message: String(error) }
    return ok({ rendered: null, missing, problems: problems.some((p) => p.field === problem.field) ? problems : [...problems, problem] })
  }
}

const pick = (b: { characters: number; parts: number; perPart: number }) => ({
  characters: b.characters,
  parts: b.parts,
  perPart: b.perPart,
})

function valueAt(scope: Record<string, unknown>, path: string): unknown {
  let at: unknown = scope
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

/**
 * Sends the draft to a chosen address — the operator's own phone or inbox — rendered for a
 * profile when one is given. A test send skips consent, caps and quiet hours, and leaves no events
 * on any timeline; it shows in the message log marked as a test.
 */
export async function testSendTemplate(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
  input: { to: string; profileId?: string | undefined },
): Promise<Result<{ messageId: string; duplicate: boolean }>> {
  return transact(ctx.db, async (tx) => {
    const found = await template(tx, scope.workspaceId, id)
    if (!found) return fail('TEMPLATE_NOT_FOUND')
    // A test sends the draft as it is now, so the operator sees the change before publishing it.
    const problems = await templateProblems(tx, scope.workspaceId, found.draft)
    if (problems.some((p) => !p.variable)) return fail('TEMPLATE_INVALID', undefined, { problems })
    const [outcome] = await queueMessages(ctx, tx, scope.workspaceId, [
      {
        profileId: input.profileId ?? null,
        templateId: id,
        channel: found.channel,
        category: found.category,
        idempotencyKey: `test:${randomUUID()}`,
        to: input.to,
        test: true,
        useDraft: true,
      },
    ])
    if (!outcome) return fail('TEMPLATE_NOT_FOUND')
    await auditTemplate(tx, scope, {
      action: 'template.test_send',
      id,
      after: { to: input.to, messageId: outcome.messageId },
      at: ctx.clock.now(),
    })
    return ok(outcome)
  })
}
