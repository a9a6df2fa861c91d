import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { deleteTag, deleteTagGroup, updateTag, updateTagGroup } from './tag-housekeeping-service.js'
import { createTag, createTagGroup, listTagGroups, listTags, tagProfiles } from './tags-service.js'

export function tagsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listTagGroups, async ({ scope }) => ok({ items: await listTagGroups(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createTagGroup, ({ scope, body }) => createTagGroup(ctx, scope, body))
  defineRoute(app, ctx, routes.updateTagGroup, ({ scope, params, body }) => updateTagGroup(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.deleteTagGroup, ({ scope, params }) => deleteTagGroup(ctx, scope, params.id))
  defineRoute(app, ctx, routes.listTags, async ({ scope, query }) => ok({ items: await listTags(ctx, scope.workspaceId, query.label) }))
  defineRoute(app, ctx, routes.createTag, ({ scope, body }) => createTag(ctx, scope, body))
  defineRoute(app, ctx, routes.updateTag, ({ scope, params, body }) => updateTag(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.deleteTag, ({ scope, params }) => deleteTag(ctx, scope, params.id))
  defineRoute(app, ctx, routes.tagProfiles, ({ scope, params, body }) => tagProfiles(ctx, scope, params.id, body))
}
