import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { catalogueEvents, catalogueMarks, catalogueProperties, catalogueValues } from './catalogue-repository.js'
import { updateCatalogueEvent, updateCatalogueProperty } from './catalogue-service.js'

export function catalogueRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listCatalogueEvents, async ({ scope, query }) =>
    ok({ items: await catalogueEvents(ctx.db, scope.workspaceId, query) }),
  )
  defineRoute(app, ctx, routes.listCatalogueProperties, async ({ scope, query }) =>
    ok({ items: await catalogueProperties(ctx.db, scope.workspaceId, { kind: 'property', event: query.event }, query) }),
  )
  defineRoute(app, ctx, routes.listCatalogueTraits, async ({ scope, query }) =>
    ok({ items: await catalogueProperties(ctx.db, scope.workspaceId, { kind: 'trait' }, query) }),
  )
  defineRoute(app, ctx, routes.listCatalogueValues, async ({ scope, query }) =>
    ok({
      items: await catalogueValues(
        ctx.db,
        scope.workspaceId,
        query.event === undefined ? { kind: 'trait' } : { kind: 'property', event: query.event },
        query.name,
        query.prefix,
      ),
    }),
  )
  defineRoute(app, ctx, routes.updateCatalogueEvent, ({ scope, body }) => updateCatalogueEvent(ctx, scope, body))
  defineRoute(app, ctx, routes.updateCatalogueProperty, ({ scope, body }) => updateCatalogueProperty(ctx, scope, body))
  defineRoute(app, ctx, routes.catalogueMarks, async ({ scope }) => ok(await catalogueMarks(ctx.db, scope.workspaceId)))
}
