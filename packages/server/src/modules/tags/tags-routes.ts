import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { createTag, createTagGroup, deleteTag, listTagGroups, listTags, tagProfiles } from './tags-service.js'

export function tagsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listTagGroups, async ({ scope }) => ok({ items: await listTagGroups(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createTagGroup, ({ scope, body }) => createTagGroup(ctx, scope, body))
  defineRoute(app, ctx, routes.listTags, async ({ scope }) => ok({ items: await listTags(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createTag, ({ scope, body }) => createTag(ctx, scope, body))
  defineRoute(app, ctx, routes.deleteTag, ({ scope, params }) => deleteTag(ctx, scope, params.id))
  defineRoute(app, ctx, routes.tagProfiles, ({ scope, params, body }) => tagProfiles(ctx, scope, params.id, body))
}
