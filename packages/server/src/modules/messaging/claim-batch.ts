import { MESSAGE_EVENTS, type TemplateContent } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { workspaceZone } from '../audiences/index.js'
import { computedValuesOf } from '../computed-properties/index.js'
import { identifiersOfProfiles, profileRecords } from '../identity/index.js'
import { runStates } from './broadcasts-repository.js'
import { queueFallbacks } from './channel-fallback.js'
import { blockedAddresses, consentsOf, messagingSettings, subscriptionGroups } from './consent-repository.js'
import { candidateAddresses, gate, groupOf, sendsLookback, zoneOfProfile, type GateFacts } from './delivery-gate.js'
import { appendEvents } from './message-events.js'
import { enqueueSends } from './message-queue.js'
import {
  lockProfilesAndReadSends,
  lockUnsent,
  markDeferred,
  markFailed,
  markSending,
  markSuppressed,
  type MessageRecord,
} from './messages-repository.js'
import { compileMjml } from './mjml.js'
import { defaultAccount, providerAccount, takeRate, type ProviderAccountRecord } from './provider-accounts-repository.js'
import type { ReadySend } from './provider-deps.js'
import { recoverSending } from './crash-recovery.js'
import type { RenderedMessage } from './providers/provider-adapter.js'
import { RenderError, renderContent } from './render-message.js'
import { templatesByIds, type TemplateRecord } from './templates-repository.js'
import { messageLinks } from './tracking-links.js'

/** A message the rules let through, before its account, rate slot and rendering. */
interface Cleared {
  message: MessageRecord
  template: TemplateRecord
  content: TemplateContent
  address: string
  platform?: 'ios' | 'android'
  sender?: string
}

/** What a batch decided for its messages, written together at the end of the claim. */
interface Decisions {
  suppressed: Array<{ id: string; reason: string }>
  deferred: Array<{ id: string; notBefore: Date; reason: string | null }>
  failed: Array<{ id: string; reason: string; response: unknown }>
  sending: Array<{ id: string; address: string; accountId: string; content: unknown }>
}

/** Everything the rules read for a batch, loaded once (profiles locked for the caps). */
async function loadFacts(ctx: AppContext, tx: Executor, workspaceId: string, due: readonly MessageRecord[], now: Date) {
  const templates = await templatesByIds(tx, workspaceId, [
    ...new Set(due.map((m) => m.templateId).filter((id): id is string => id !== null)),
  ])
  const profileIds = [...new Set(due.map((m) => m.profileId).filter((id): id is string => id !== null))]
  const profileList = await profileRecords(tx, workspaceId, profileIds)
  const identifierList = await identifiersOfProfiles(tx, profileIds)
  const groups = await subscriptionGroups(tx, workspaceId, now)
  const settings = await messagingSettings(tx, workspaceId)
  const zone = await workspaceZone(tx, workspaceId)
  const computed = await computedValuesOf(tx, workspaceId, profileIds)
  const profiles = new Map(profileList.map((p) => [p.id, p]))
  const identifiers = new Map<string, Array<{ type: string; value: string }>>()
  for (const i of identifierList) identifiers.set(i.profileId, [...(identifiers.get(i.profileId) ?? []), i])
  const marketing = due.filter((m) => m.category === 'marketing' && !m.test && m.profileId).map((m) => m.profileId ?? '')
  let lookback = now
  for (const id of marketing) {
    const since = sendsLookback(settings, now, zoneOfProfile(profiles.get(id), zone))
    if (since < lookback) lookback = since
  }
  const sends = await lockProfilesAndReadSends(tx, marketing, lookback)
  const consents = await consentsOf(tx, workspaceId, marketing)
  const facts: GateFacts = { now, workspaceZone: zone, settings, groups, profiles, identifiers, consents, blocked: new Set(), sends }
  return { templates, computed, facts }
}

/** The rules for each due message: send, suppress with a reason, defer (quiet hours) or fail. */
async function judge(
  tx: Executor,
  workspaceId: string,
  due: readonly MessageRecord[],
  templates: ReadonlyMap<string, TemplateRecord>,
  facts: GateFacts,
  decisions: Decisions,
): Promise<Cleared[]> {
  const cleared: Cleared[] = []
  const blockedByChannel = new Map<string, Set<string>>()
  for (const message of due) {
    const template = message.templateId ? templates.get(message.templateId) : undefined
    const content = message.test && message.variables.useDraft ? template?.draft : template?.published
    if (!template || !content) {
      decisions.failed.push({ id: message.id, reason: 'template_unpublished', response: null })
      continue
    }
    let blocked = blockedByChannel.get(message.channel)
    if (!blocked) {
      const candidates = due
        .filter((m) => m.channel === message.channel)
        .flatMap((m) => candidateAddresses(m, facts.identifiers, facts.profiles))
      blocked = await blockedAddresses(tx, workspaceId, message.channel, candidates)
      blockedByChannel.set(message.channel, blocked)
    }
    const verdict = gate(message, template, content, { ...facts, blocked })
    switch (verdict.verdict) {
      case 'send':
        cleared.push({
          message,
          template,
          content,
          address: verdict.address,
          ...(verdict.platform ? { platform: verdict.platform } : {}),
          ...(verdict.sender ? { sender: verdict.sender } : {}),
        })
        break
      case 'suppress':
        decisions.suppressed.push({ id: message.id, reason: verdict.reason })
        break
      case 'defer':
        decisions.deferred.push({ id: message.id, notBefore: verdict.until, reason: verdict.reason })
        break
      case 'fail':
        decisions.failed.push({ id: message.id, reason: verdict.reason, response: null })
        break
    }
  }
  return cleared
}

/** Cleared messages by account: the template's, else the channel's default (none: suppressed, no_provider). */
async function byAccount(ctx: AppContext, tx: Executor, workspaceId: string, cleared: readonly Cleared[], decisions: Decisions) {
  const accounts = new Map<string, ProviderAccountRecord | undefined>()
  const groups = new Map<string, { account: ProviderAccountRecord; items: Cleared[] }>()
  for (const c of cleared) {
    const key = c.template.providerAccountId ?? `default:${c.template.channel}`
    if (!accounts.has(key)) {
      accounts.set(
        key,
        c.template.providerAccountId
          ? await providerAccount(ctx, tx, workspaceId, c.template.providerAccountId)
          : await defaultAccount(ctx, tx, workspaceId, c.template.channel),
      )
    }
    const account = accounts.get(key)
    if (!account) {
      decisions.suppressed.push({ id: c.message.id, reason: 'no_provider' })
      continue
    }
    const group = groups.get(account.id) ?? { account, items: [] }
    group.items.push(c)
    groups.set(account.id, group)
  }
  return groups.values()
}

/** Renders one cleared message for its profile, with its own signed links. */
async function render(
  ctx: AppContext,
  c: Cleared,
  account: ProviderAccountRecord,
  facts: GateFacts,
  computed: ReadonlyMap<string, Record<string, unknown>>,
): Promise<RenderedMessage> {
  const group = c.message.category === 'marketing' ? groupOf(c.template, facts.groups) : undefined
  const profile = c.message.profileId ? facts.profiles.get(c.message.profileId) : undefined
  const rendered = await renderContent(
    c.content,
    {
      profile: { id: c.message.profileId, ...(profile?.traits ?? {}) },
      computed: (c.message.profileId && computed.get(c.message.profileId)) || {},
      event: c.message.variables.event ?? {},
      coupon: c.message.variables.coupon ?? {},
    },
    messageLinks(ctx, c.message, group?.id ?? null),
    { from: typeof account.config.from === 'string' ? account.config.from : '', mjml: compileMjml },
  )
  return rendered.channel === 'wecom' && c.sender ? { ...rendered, sender: c.sender } : rendered
}

/** Takes each account's rate slots for this second (the rest waits a second), then renders what may go. */
async function prepare(
  ctx: AppContext,
  tx: Executor,
  groups: Iterable<{ account: ProviderAccountRecord; items: Cleared[] }>,
  facts: GateFacts,
  computed: ReadonlyMap<string, Record<string, unknown>>,
  decisions: Decisions,
): Promise<ReadySend[]> {
  const ready: ReadySend[] = []
  const now = facts.now
  const nextSecond = new Date((Math.floor(now.getTime() / 1000) + 1) * 1000)
  for (const { account, items } of groups) {
    const granted = account.ratePerSecond === null ? items.length : await takeRate(tx, account.id, account.ratePerSecond, items.length, now)
    for (const [i, c] of items.entries()) {
      if (i >= granted) {
        decisions.deferred.push({ id: c.message.id, notBefore: nextSecond, reason: null })
        continue
      }
      let rendered: RenderedMessage
      try {
        rendered = await render(ctx, c, account, facts, computed)
      } catch (error) {
        decisions.failed.push({
          id: c.message.id,
          reason: 'render_failed',
          response: { error: error instanceof RenderError ? error.message : String(error) },
        })
        continue
      }
      decisions.sending.push({ id: c.message.id, address: c.address, accountId: account.id, content: rendered })
      const outgoing = {
        messageId: c.message.id,
        idempotencyKey: c.message.idempotencyKey,
        to: c.address,
        ...(c.platform ? { platform: c.platform } : {}),
        content: rendered,
      }
      ready.push({ message: c.message, account, attempt: c.message.attempts + 1, outgoing })
    }
  }
  return ready
}

/**
 * The claim of a send batch, in one transaction: lock the rows; put back those not due yet or
 * held by a paused broadcast; recover rows a crash left `sending`; apply the rules (consent,
 * address, blocklist, quiet hours, caps under each profile's lock); take rate-limit slots; render;
 * and mark what may go `sending` — committed before any provider is called.
 */
export async function claimBatch(
  ctx: AppContext,
  tx: Executor,
  messageIds: readonly string[],
): Promise<{ ready: ReadySend[]; runIds: string[] }> {
  const now = ctx.clock.now()
  const rows = await lockUnsent(tx, messageIds)
  if (rows.length === 0) return { ready: [], runIds: [] }
  const workspaceId = rows[0]?.workspaceId ?? ''
  const decisions: Decisions = { suppressed: [], deferred: [], failed: [], sending: [] }
  const queued = rows.filter((m) => m.status === 'queued')
  // A job that ran before some of its messages were due (they were deferred since): queue them again for their time.
  await enqueueSends(
    ctx,
    tx,
    workspaceId,
    queued.filter((m) => m.notBefore > now).map((m) => ({ id: m.id, notBefore: m.notBefore })),
  )
  // A paused broadcast's messages wait (resuming queues them again); a cancelled one's are not sent.
  const runs = await runStates(tx, [...new Set(queued.map((m) => m.runId).filter((id): id is string => id !== null))])
  const runOf = (m: MessageRecord) => (m.runId ? runs.get(m.runId) : undefined)
  for (const m of queued) if (m.notBefore <= now && runOf(m) === 'cancelled') decisions.suppressed.push({ id: m.id, reason: 'cancelled' })
  const due = queued.filter((m) => m.notBefore <= now && runOf(m) !== 'paused' && runOf(m) !== 'cancelled')
  const ready = await recoverSending(
    ctx,
    tx,
    rows.filter((m) => m.status === 'sending'),
  )
  if (due.length > 0) {
    const { templates, computed, facts } = await loadFacts(ctx, tx, workspaceId, due, now)
    const cleared = await judge(tx, workspaceId, due, templates, facts, decisions)
    ready.push(...(await prepare(ctx, tx, await byAccount(ctx, tx, workspaceId, cleared, decisions), facts, computed, decisions)))
    const noAddress = decisions.suppressed.filter((s) => s.reason === 'no_address').map((s) => s.id)
    await queueFallbacks(ctx, tx, workspaceId, templates, noAddress, rows)
  }
  await markSending(tx, decisions.sending, now)
  await markSuppressed(tx, decisions.suppressed, now)
  await markDeferred(tx, decisions.deferred, now)
  await markFailed(tx, decisions.failed, now)
  await enqueueSends(
    ctx,
    tx,
    workspaceId,
    decisions.deferred.map((d) => ({ id: d.id, notBefore: d.notBefore })),
  )
  const byId = new Map(rows.map((m) => [m.id, m]))
  await appendEvents(
    ctx,
    tx,
    workspaceId,
    decisions.failed.map((f) => ({ message: byId.get(f.id), name: MESSAGE_EVENTS.failed, extra: { reason: f.reason } })),
  )
  return { ready, runIds: [...new Set(rows.map((m) => m.runId).filter((id): id is string => id !== null))] }
}
