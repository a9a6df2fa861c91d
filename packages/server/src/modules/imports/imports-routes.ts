import type { Readable } from 'node:stream'
import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { getImport, importErrorReport, listImports, receiveUpload, startImport } from './imports-service.js'

export function importsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.register(async (scope) => {
    // The upload's body is the file itself, streamed to disk: no parsing, no body limit but IMPORT_MAX_BYTES.
    for (const type of ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/octet-stream', 'text/plain']) {
      scope.addContentTypeParser(type, (_request, payload, done) => done(null, payload))
    }
    defineRoute(scope, ctx, routes.uploadImport, async ({ scope: ws, query, request }) =>
      receiveUpload(ctx, ws, request.body as Readable, query.format, query.fileName ?? `upload.${query.format}`),
    )
  })
  defineRoute(app, ctx, routes.startImport, ({ scope, params, body }) => startImport(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.listImports, async ({ scope }) => ok({ items: await listImports(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.getImport, ({ scope, params }) => getImport(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.getImportErrors, async ({ scope, params, reply }) => {
    const report = await importErrorReport(ctx, scope.workspaceId, params.id)
    if (report.ok)
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${params.id}-errors.csv"`)
        .serializer((payload: unknown) => String(payload))
    return report
  })
}
