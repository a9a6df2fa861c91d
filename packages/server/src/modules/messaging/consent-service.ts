import {
  fail,
  mayReach,
  MESSAGE_EVENTS,
  ok,
  CONSENT_TRAIT_CHANNELS,
  consentTrait,
  defaultGroupKey,
  SUBSCRIPTION_CHANGED,
  type ConsentState,
  type ConsentTraitChannel,
  type ProfileConsent,
  type Result,
  type SubscriptionGroup,
  type SubscriptionPolicy,
} from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { append } from '../../platform/event-log/append.js'
import type { LogConsumer } from '../../platform/event-log/event-log.js'
import { audiencesReadingConsent, evaluateAudience } from '../audiences/index.js'
import { profilesByIdentifiers, survivorOf, survivorsOf } from '../identity/index.js'
import {
  consentsOf,
  insertGroup,
  setConsents,
  subscriptionGroups,
  updateGroup,
  type SubscriptionGroupRecord,
} from './consent-repository.js'

const toGroup = (g: SubscriptionGroupRecord): SubscriptionGroup => ({
  id: g.id,
  key: g.key,
  name: g.name,
  channel: g.channel,
  policy: g.policy,
  createdAt: g.createdAt.toISOString(),
})

export async function listGroups(ctx: AppContext, workspaceId: string): Promise<SubscriptionGroup[]> {
  return (await subscriptionGroups(ctx.db, workspaceId, ctx.clock.now())).map(toGroup)
}

export async function createGroup(
  ctx: AppContext,
  scope: WorkspaceScope,
  input: { key: string; name: string; channel: SubscriptionGroup['channel']; policy: SubscriptionPolicy },
): Promise<Result<SubscriptionGroup>> {
  return transact(ctx.db, async (tx) => {
    const groups = await subscriptionGroups(tx, scope.workspaceId, ctx.clock.now())
    if (groups.some((g) => g.key === input.key)) return fail('NAME_TAKEN', 'Another group has that key.', { field: 'body.key' })
    const id = await insertGroup(tx, scope.workspaceId, input, ctx.clock.now())
    const created = (await subscriptionGroups(tx, scope.workspaceId, ctx.clock.now())).find((g) => g.id === id)
    if (!created) return fail('SUBSCRIPTION_GROUP_NOT_FOUND')
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'subscription_group.create',
      entityType: 'subscription_group',
      entityId: id,
      after: toGroup(created),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(toGroup(created))
  })
}

export async function changeGroup(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
  change: { name?: string | undefined; policy?: SubscriptionPolicy | undefined },
): Promise<Result<SubscriptionGroup>> {
  return transact(ctx.db, async (tx) => {
    const before = (await subscriptionGroups(tx, scope.workspaceId, ctx.clock.now())).find((g) => g.id === id)
    if (!before) return fail('SUBSCRIPTION_GROUP_NOT_FOUND')
    await updateGroup(tx, scope.workspaceId, id, {
      ...(change.name ? { name: change.name } : {}),
      ...(change.policy ? { policy: change.policy } : {}),
    })
    const after = (await subscriptionGroups(tx, scope.workspaceId, ctx.clock.now())).find((g) => g.id === id)
    if (!after) return fail('SUBSCRIPTION_GROUP_NOT_FOUND')
    // The policy decides who is reachable: segments on the group follow the change now, not at their members' next change.
    if (after.policy !== before.policy)
      for (const audience of await audiencesReadingConsent(tx, scope.workspaceId, [after.key]))
        await evaluateAudience(tx, audience, { now: ctx.clock.now(), actor: 'segments' })
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'subscription_group.update',
      entityType: 'subscription_group',
      entityId: id,
      before: toGroup(before),
      after: toGroup(after),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(toGroup(after))
  })
}

/** A profile's consent in every group, the merged-away id answered by its survivor's. */
export async function profileConsents(
  ctx: AppContext,
  db: Executor,
  workspaceId: string,
  profileId: string,
): Promise<Result<ProfileConsent[]>> {
  const survivor = await survivorOf(db, workspaceId, profileId)
  if (!survivor) return fail('PROFILE_NOT_FOUND')
  const groups = await subscriptionGroups(db, workspaceId, ctx.clock.now())
  const recorded = (await consentsOf(db, workspaceId, [survivor])).get(survivor)
  return ok(
    groups.map((g) => {
      const c = recorded?.get(g.id)
      return {
        groupId: g.id,
        key: g.key,
        name: g.name,
        channel: g.channel,
        policy: g.policy,
        state: c?.state ?? null,
        reachable: mayReach(g.policy, c?.state),
        source: c?.source ?? null,
        changedAt: c?.changedAt.toISOString() ?? null,
      }
    }),
  )
}

type ConsentChange = {
  profileId: string
  group: SubscriptionGroupRecord
  state: ConsentState
  source: string
  at: Date
  messageId?: string | undefined
}

/** One change per profile and group, the latest (a batch of the log may hold two identifies of one profile). */
function latestPerGroup(changes: readonly ConsentChange[]): ConsentChange[] {
  const latest = new Map<string, ConsentChange>()
  for (const c of changes) {
    const key = `${c.profileId}:${c.group.id}`
    const kept = latest.get(key)
    if (!kept || kept.at <= c.at) latest.set(key, c)
  }
  return [...latest.values()]
}

/**
 * Records consent changes in the caller's transaction and, for each, a `Subscription Changed`
 * event (group, channel, state, source), which segments on consent follow; each unsubscribe also
 * gets an `Unsubscribed` event on the profile's timeline (with the group and where it came from).
 */
export async function recordConsents(ctx: AppContext, tx: Executor, workspaceId: string, changes: readonly ConsentChange[]): Promise<void> {
  const kept = latestPerGroup(changes)
  await setConsents(
    tx,
    workspaceId,
    kept.map((c) => ({ profileId: c.profileId, groupId: c.group.id, state: c.state, source: c.source, at: c.at })),
  )
  const properties = (c: ConsentChange) => ({
    group: c.group.key,
    channel: c.group.channel,
    source: c.source,
    ...(c.messageId ? { message_id: c.messageId } : {}),
  })
  await append(tx, { workspaceId, receivedAt: ctx.clock.now() }, [
    ...kept.map((c) => ({
      profileId: c.profileId,
      messageId: `consent:${c.group.id}:${c.profileId}:${c.state}:${c.at.getTime()}`,
      name: SUBSCRIPTION_CHANGED,
      properties: { ...properties(c), state: c.state },
      timestamp: c.at,
    })),
    ...kept
      .filter((c) => c.state === 'unsubscribed')
      .map((c) => ({
        profileId: c.profileId,
        messageId: `unsubscribed:${c.group.id}:${c.profileId}:${c.at.getTime()}`,
        name: MESSAGE_EVENTS.unsubscribed,
        properties: properties(c),
        timestamp: c.at,
      })),
  ])
}

export async function setProfileConsent(
  ctx: AppContext,
  scope: WorkspaceScope,
  profileId: string,
  groupId: string,
  state: ConsentState,
): Promise<Result<ProfileConsent[]>> {
  return transact(ctx.db, async (tx) => {
    const survivor = await survivorOf(tx, scope.workspaceId, profileId)
    if (!survivor) return fail('PROFILE_NOT_FOUND')
    const group = (await subscriptionGroups(tx, scope.workspaceId, ctx.clock.now())).find((g) => g.id === groupId)
    if (!group) return fail('SUBSCRIPTION_GROUP_NOT_FOUND')
    const now = ctx.clock.now()
    await recordConsents(ctx, tx, scope.workspaceId, [{ profileId: survivor, group, state, source: 'console', at: now }])
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'consent.set',
      entityType: 'profile',
      entityId: survivor,
      after: { group: group.key, state },
      requestId: scope.requestId,
      at: now,
    })
    return profileConsents(ctx, tx, scope.workspaceId, survivor)
  })
}

/** The words that unsubscribe when a customer replies them to an SMS (TD, 退订, T, STOP…), any case, spaces ignored. */
const STOP_WORDS = new Set(['td', '退订', 't', 'n', 'stop', 'unsubscribe', '取消', '退'])
export const isStopReply = (text: string) => STOP_WORDS.has(text.replace(/[\s。.!！]/g, '').toLowerCase())

/** An SMS reply: a stop word unsubscribes the number's profile from every SMS group. */
export async function handleSmsReply(
  ctx: AppContext,
  tx: Executor,
  workspaceId: string,
  from: string,
  text: string,
  at: Date,
): Promise<boolean> {
  if (!isStopReply(text)) return false
  const candidates = [...new Set([from, from.startsWith('+') ? from : `+86${from.replace(/^86/, '')}`])]
  const matches = await profilesByIdentifiers(tx, workspaceId, { types: ['phone'], values: candidates })
  const groups = (await subscriptionGroups(tx, workspaceId, ctx.clock.now())).filter((g) => g.channel === 'sms')
  const profileIds = [...new Set(matches.map((m) => m.profileId))]
  await recordConsents(
    ctx,
    tx,
    workspaceId,
    profileIds.flatMap((profileId) =>
      groups.map((group) => ({ profileId, group, state: 'unsubscribed' as const, source: 'sms_reply', at })),
    ),
  )
  return profileIds.length > 0
}

/**
 * Consent sent at ingestion, as Braze-style traits `<channel>_subscribe` (`opted_in`, `subscribed`
 * or `unsubscribed`): each sets the profile's consent in the channel's default group. `subscribed`
 * and `opted_in` both record consent; `unsubscribed` withdraws it. A log consumer, so ingestion
 * does no extra work; identity does not keep the traits on the profile (consent lives in one
 * place), the log's copy of the call is what this reads.
 */
export function consentTraitsConsumer(ctx: AppContext): LogConsumer {
  return {
    name: 'messaging.consent-traits',
    batchSize: 5_000,
    pauseMs: 1000,
    background: { share: 0.1, maxLagMs: 30_000 },
    propertiesOf: [],
    traitsOf: ['identify'],
    handle: async (tx, events) => {
      const byWorkspace = new Map<string, Array<{ profileId: string; channel: ConsentTraitChannel; state: ConsentState; at: Date }>>()
      for (const e of events) {
        if (e.type !== 'identify') continue
        for (const channel of CONSENT_TRAIT_CHANNELS) {
          const value = e.traits[consentTrait(channel)]
          if (value !== 'opted_in' && value !== 'subscribed' && value !== 'unsubscribed') continue
          const list = byWorkspace.get(e.workspaceId) ?? []
          list.push({ profileId: e.profileId, channel, state: value === 'unsubscribed' ? 'unsubscribed' : 'opted_in', at: e.timestamp })
          byWorkspace.set(e.workspaceId, list)
        }
      }
      for (const [workspaceId, list] of byWorkspace) {
        const groups = await subscriptionGroups(tx, workspaceId, ctx.clock.now())
        // An event names the profile it arrived on; a merge since moved its consent to the survivor (an erased one has none).
        const survivors = await survivorsOf(tx, workspaceId, [...new Set(list.map((c) => c.profileId))])
        const changes = list.flatMap((c) => {
          // The channel's default group, the one a segment condition on the channel reads.
          const group = groups.find((g) => g.key === defaultGroupKey(c.channel)) ?? groups.find((g) => g.channel === c.channel)
          const profileId = survivors.get(c.profileId)
          return group && profileId ? [{ profileId, group, state: c.state, source: 'ingestion', at: c.at }] : []
        })
        await recordConsents(ctx, tx, workspaceId, changes)
      }
    },
  }
}
