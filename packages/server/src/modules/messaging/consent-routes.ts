import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { blocklistPage, messagingSettings } from './consent-repository.js'
import { changeGroup, createGroup, listGroups, profileConsents, setProfileConsent } from './consent-service.js'
import { addToBlocklist, changeMessagingSettings, removeFromBlocklist } from './rules-service.js'

/** Consent (groups, a profile's consent, the blocklist) and the sending rules (quiet hours, caps). */
export function consentRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listSubscriptionGroups, async ({ scope }) => ok({ items: await listGroups(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createSubscriptionGroup, ({ scope, body }) => createGroup(ctx, scope, body))
  defineRoute(app, ctx, routes.updateSubscriptionGroup, ({ scope, params, body }) => changeGroup(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.profileConsents, async ({ scope, params }) => {
    const r = await profileConsents(ctx, ctx.db, scope.workspaceId, params.id)
    return r.ok ? ok({ items: r.value }) : r
  })
  defineRoute(app, ctx, routes.setProfileConsent, async ({ scope, params, body }) => {
    const r = await setProfileConsent(ctx, scope, params.id, params.groupId, body.state)
    return r.ok ? ok({ items: r.value }) : r
  })
  defineRoute(app, ctx, routes.listBlocklist, async ({ scope }) =>
    ok({
      items: (await blocklistPage(ctx.db, scope.workspaceId, 500)).map((b) => ({
        ...b,
        channel: b.channel as never,
        createdAt: b.createdAt.toISOString(),
      })),
    }),
  )
  defineRoute(app, ctx, routes.addToBlocklist, async ({ scope, body }) => ok(await addToBlocklist(ctx, scope, body)))
  defineRoute(app, ctx, routes.removeFromBlocklist, ({ scope, body }) => removeFromBlocklist(ctx, scope, body))
  defineRoute(app, ctx, routes.getMessagingSettings, async ({ scope }) => ok(await messagingSettings(ctx.db, scope.workspaceId)))
  defineRoute(app, ctx, routes.updateMessagingSettings, async ({ scope, body }) => ok(await changeMessagingSettings(ctx, scope, body)))
}
