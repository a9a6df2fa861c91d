import { mayReach, MESSAGE_EVENTS } from '@reachloop/domain'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { survivorOf } from '../identity/index.js'
import { consentsOf, subscriptionGroups } from './consent-repository.js'
import { recordConsents } from './consent-service.js'
import { appendEvents } from './message-events.js'
import { invalidPage, pageLang, preferencesPage, unsubscribedPage, unsubscribePage } from './hosted-pages.js'
import { markEngagement, messageRecord } from './messages-repository.js'
import {
  LINK_PURPOSES,
  TRACK_PATHS,
  type ClickToken,
  type OpenToken,
  type PreferencesToken,
  type UnsubscribeToken,
} from './tracking-links.js'

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

const isClick = (v: unknown): v is ClickToken =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ClickToken).m === 'string' &&
  typeof (v as ClickToken).u === 'string' &&
  /^https?:\/\//i.test((v as ClickToken).u)
const isOpen = (v: unknown): v is OpenToken => typeof v === 'object' && v !== null && typeof (v as OpenToken).m === 'string'
const isUnsubscribe = (v: unknown): v is UnsubscribeToken =>
  typeof v === 'object' && v !== null && typeof (v as UnsubscribeToken).w === 'string' && typeof (v as UnsubscribeToken).p === 'string'
const isPreferences = (v: unknown): v is PreferencesToken =>
  typeof v === 'object' && v !== null && typeof (v as PreferencesToken).w === 'string' && typeof (v as PreferencesToken).p === 'string'

/**
 * The public tracker: the open pixel, click redirects, one-click unsubscribe and the preference
 * page. Every link is signed for its purpose (tracking-links.ts), so none can be forged or turned
 * into another; all are rate limited per client.
 */
export function trackingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const limited = { config: { rateLimit: { max: 600, timeWindow: '1 minute' } }, schema: { hide: true } }

  app.get<{ Params: { token: string } }>(`${TRACK_PATHS.open}:token`, limited, async (request, reply) => {
    const payload = ctx.secrets.verify(LINK_PURPOSES.open, request.params.token)
    if (isOpen(payload)) await recordEngagement(ctx, payload.m, 'opened', {})
    // The pixel is answered whatever the token, so a mail client never shows a broken image.
    return reply.header('cache-control', 'no-store, private').type('image/gif').send(PIXEL)
  })

  app.get<{ Params: { token: string } }>(`${TRACK_PATHS.click}:token`, limited, async (request, reply) => {
    const payload = ctx.secrets.verify(LINK_PURPOSES.click, request.params.token)
    if (!isClick(payload))
      return reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(invalidPage(pageLang(request.query, request.headers['accept-language'])))
    await recordEngagement(ctx, payload.m, 'clicked', { url: payload.u })
    // The destination exactly as written in the template: query, fragment and case kept.
    return reply.header('cache-control', 'no-store').redirect(payload.u, 302)
  })

  app.get<{ Params: { token: string } }>(`${TRACK_PATHS.unsubscribe}:token`, limited, async (request, reply) => {
    const lang = pageLang(request.query, request.headers['accept-language'])
    const found = await unsubscribeTarget(ctx, request.params.token)
    if (!found) return html(reply.status(404), invalidPage(lang))
    return html(reply, unsubscribePage(lang, found.groupName, request.url, found.preferencesUrl))
  })

  // RFC 8058 one-click (body `List-Unsubscribe=One-Click`, from the mail client) and the page's button.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_r, body, done) =>
      done(null, body),
    )
    scope.post<{ Params: { token: string } }>(`${TRACK_PATHS.unsubscribe}:token`, limited, async (request, reply) => {
      const lang = pageLang(request.query, request.headers['accept-language'])
      const found = await unsubscribeTarget(ctx, request.params.token)
      if (!found) return html(reply.status(404), invalidPage(lang))
      const oneClick = new URLSearchParams(typeof request.body === 'string' ? request.body : '').get('List-Unsubscribe') === 'One-Click'
      const now = ctx.clock.now()
      await ctx.db.transaction().execute((tx) =>
        recordConsents(
          ctx,
          tx,
          found.workspaceId,
          found.groups.map((group) => ({
            profileId: found.profileId,
            group,
            state: 'unsubscribed' as const,
            source: oneClick ? 'one_click' : 'unsubscribe_link',
            at: now,
            messageId: found.messageId,
          })),
        ),
      )
      return html(reply, unsubscribedPage(lang, found.groupName, found.preferencesUrl))
    })

    scope.get<{ Params: { token: string } }>(`${TRACK_PATHS.preferences}:token`, limited, async (request, reply) =>
      preferences(ctx, request, reply, false),
    )
    scope.post<{ Params: { token: string } }>(`${TRACK_PATHS.preferences}:token`, limited, async (request, reply) =>
      preferences(ctx, request, reply, true),
    )
  })
}

const html = (reply: FastifyReply, body: string) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body)

async function recordEngagement(
  ctx: AppContext,
  messageId: string,
  kind: 'opened' | 'clicked',
  extra: Record<string, unknown>,
): Promise<void> {
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (tx) => {
    const touched = await markEngagement(tx, messageId, kind, now)
    if (!touched) return
    const message = await messageRecord(tx, touched.workspaceId, messageId)
    await appendEvents(ctx, tx, touched.workspaceId, [
      { message, name: kind === 'opened' ? MESSAGE_EVENTS.opened : MESSAGE_EVENTS.clicked, extra, at: now },
    ])
  })
}

/** The profile and groups an unsubscribe link names: its group, or every marketing group of the message's channel. */
async function unsubscribeTarget(ctx: AppContext, token: string) {
  const payload = ctx.secrets.verify(LINK_PURPOSES.unsubscribe, token)
  if (!isUnsubscribe(payload) || !payload.p) return undefined
  const profileId = await survivorOf(ctx.db, payload.w, payload.p)
  if (!profileId) return undefined
  const groups = await subscriptionGroups(ctx.db, payload.w, ctx.clock.now())
  let chosen = groups.filter((g) => g.id === payload.g)
  if (chosen.length === 0 && payload.m) {
    const message = await messageRecord(ctx.db, payload.w, payload.m)
    chosen = groups.filter((g) => g.channel === message?.channel)
  }
  if (chosen.length === 0) return undefined
  const base = ctx.config.publicUrl.replace(/\/$/, '')
  return {
    workspaceId: payload.w,
    profileId,
    groups: chosen,
    groupName: chosen.map((g) => g.name).join(', '),
    messageId: payload.m,
    preferencesUrl: `${base}${TRACK_PATHS.preferences}${ctx.secrets.sign(LINK_PURPOSES.preferences, { w: payload.w, p: payload.p } satisfies PreferencesToken)}`,
  }
}

async function preferences(ctx: AppContext, request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply, saving: boolean) {
  const lang = pageLang(request.query, request.headers['accept-language'])
  const payload = ctx.secrets.verify(LINK_PURPOSES.preferences, request.params.token)
  if (!isPreferences(payload)) return html(reply.status(404), invalidPage(lang))
  const profileId = await survivorOf(ctx.db, payload.w, payload.p)
  if (!profileId) return html(reply.status(404), invalidPage(lang))
  const groups = await subscriptionGroups(ctx.db, payload.w, ctx.clock.now())
  if (saving) {
    const checked = new Set(new URLSearchParams(typeof request.body === 'string' ? request.body : '').getAll('g'))
    const before = (await consentsOf(ctx.db, payload.w, [profileId])).get(profileId)
    const now = ctx.clock.now()
    // Only what the customer changed is recorded (an unchanged box is no new consent and no new event).
    const changes = groups.flatMap((group) => {
      const wanted = checked.has(group.id)
      if (wanted === mayReach(group.policy, before?.get(group.id)?.state)) return []
      return [{ profileId, group, state: wanted ? ('opted_in' as const) : ('unsubscribed' as const), source: 'preference_page', at: now }]
    })
    await ctx.db.transaction().execute((tx) => recordConsents(ctx, tx, payload.w, changes))
  }
  const consents = (await consentsOf(ctx.db, payload.w, [profileId])).get(profileId)
  return html(
    reply,
    preferencesPage(
      lang,
      request.url,
      groups.map((g) => ({ id: g.id, name: g.name, reachable: mayReach(g.policy, consents?.get(g.id)?.state) })),
      saving,
    ),
  )
}
