import { fail, ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { profilesByIdentifiers, survivorOf } from '../identity/index.js'
import { templateInUse } from './broadcasts-repository.js'
import { queueMessages } from './message-queue.js'
import {
  createProviderAccount,
  deleteProviderAccount,
  listProviderAccounts,
  providerKinds,
  testProviderAccount,
  updateProviderAccount,
} from './providers-service.js'
import { template } from './templates-repository.js'
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  previewTemplate,
  publishTemplate,
  testSendTemplate,
  updateTemplate,
} from './templates-service.js'

export function messagingRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listProviderKinds, async () => ok({ items: providerKinds() }))
  defineRoute(app, ctx, routes.listProviderAccounts, async ({ scope }) => ok({ items: await listProviderAccounts(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createProviderAccount, ({ scope, body }) => createProviderAccount(ctx, scope, body))
  defineRoute(app, ctx, routes.updateProviderAccount, ({ scope, params, body }) => updateProviderAccount(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.deleteProviderAccount, ({ scope, params }) => deleteProviderAccount(ctx, scope, params.id))
  defineRoute(app, ctx, routes.testProviderAccount, ({ scope, params }) => testProviderAccount(ctx, scope, params.id))

  defineRoute(app, ctx, routes.listTemplates, async ({ scope }) => ok({ items: await listTemplates(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.getTemplate, ({ scope, params }) => getTemplate(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.createTemplate, ({ scope, body }) => createTemplate(ctx, scope, body))
  defineRoute(app, ctx, routes.updateTemplate, ({ scope, params, body }) => updateTemplate(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.deleteTemplate, ({ scope, params }) =>
    deleteTemplate(ctx, scope, params.id, (tx) => templateInUse(tx, params.id)),
  )
  defineRoute(app, ctx, routes.previewTemplate, ({ scope, params, body }) => previewTemplate(ctx, scope.workspaceId, params.id, body))
  defineRoute(app, ctx, routes.publishTemplate, ({ scope, params }) => publishTemplate(ctx, scope, params.id))
  defineRoute(app, ctx, routes.testSendTemplate, ({ scope, params, body }) => testSendTemplate(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.sendMessage, ({ scope, body }) =>
    transact(ctx.db, async (tx) => {
      const t = await template(tx, scope.workspaceId, body.templateId)
      if (!t) return fail('TEMPLATE_NOT_FOUND', undefined, { field: 'body.templateId' })
      if (!t.published) return fail('TEMPLATE_NOT_PUBLISHED', undefined, { field: 'body.templateId' })
      let profileId = body.profileId ? await survivorOf(tx, scope.workspaceId, body.profileId) : undefined
      if (!profileId && body.identifier)
        profileId = (
          await profilesByIdentifiers(tx, scope.workspaceId, { types: [body.identifier.type], values: [body.identifier.value] })
        )[0]?.profileId
      if (!profileId) return fail('PROFILE_NOT_FOUND', undefined, { field: body.identifier ? 'body.identifier' : 'body.profileId' })
      const [outcome] = await queueMessages(ctx, tx, scope.workspaceId, [
        {
          profileId,
          templateId: t.id,
          channel: t.channel,
          category: t.category,
          idempotencyKey: body.idempotencyKey,
          ...(body.event ? { event: body.event } : {}),
          origin: { api: 'send' },
        },
      ])
      return outcome ? ok(outcome) : fail('TEMPLATE_NOT_FOUND')
    }),
  )
}
