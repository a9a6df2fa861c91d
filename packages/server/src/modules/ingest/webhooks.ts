import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import {
  fail,
  isObject,
  mapImportRow,
  ok,
  routes,
  type ImportKind,
  type ImportMapping,
  type Result,
  type SourceWebhook,
} from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { randomSecret } from '../../platform/crypto/tokens.js'
import { transact } from '../../platform/db/database.js'
import { AppError } from '../../platform/http/app-error.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { ingest } from './ingest-service.js'

export const SIGNATURE_HEADER = 'x-reachloop-signature'

/** The signature a push must carry: `sha256=` and the hex HMAC-SHA256 of the raw body under the source's secret. */
export function signWebhook(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

const view = (
  ctx: AppContext,
  sourceId: string,
  row: { webhook_secret_ciphertext: string | null; webhook_kind: string | null; webhook_mapping: unknown },
): SourceWebhook | undefined =>
  row.webhook_secret_ciphertext && row.webhook_kind && row.webhook_mapping
    ? {
        url: `${ctx.config.publicUrl}/p/webhooks/${sourceId}`,
        secret: ctx.secrets.decrypt(row.webhook_secret_ciphertext),
        signatureHeader: SIGNATURE_HEADER,
        kind: row.webhook_kind as ImportKind,
        mapping: row.webhook_mapping as ImportMapping,
      }
    : undefined

export async function getSourceWebhook(ctx: AppContext, workspaceId: string, sourceId: string): Promise<Result<SourceWebhook>> {
  const row = await ctx.db
    .selectFrom('sources')
    .select(['webhook_secret_ciphertext', 'webhook_kind', 'webhook_mapping'])
    .where('id', '=', sourceId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
  if (!row) return fail('SOURCE_NOT_FOUND')
  const webhook = view(ctx, sourceId, row)
  return webhook ? ok(webhook) : fail('WEBHOOK_NOT_SET')
}

/** Sets how pushes map to calls; the signing secret is made on first use and kept (encrypted) after. */
export async function setSourceWebhook(
  ctx: AppContext,
  scope: WorkspaceScope,
  sourceId: string,
  input: { kind: ImportKind; mapping: ImportMapping },
): Promise<Result<SourceWebhook>> {
  const m = input.mapping
  if (!m.userId && !m.anonymousId && !m.traits?.phone && !m.traits?.email)
    return fail('INVALID_MAPPING', 'map userId, anonymousId, or a phone or email trait, so pushes can be tied to customers')
  if (input.kind === 'events' && !m.event && !m.eventName)
    return fail('INVALID_MAPPING', 'an events webhook needs an event field or an eventName')
  return transact(ctx.db, async (tx) => {
    const current = await tx
      .selectFrom('sources')
      .select(['webhook_secret_ciphertext'])
      .where('id', '=', sourceId)
      .where('workspace_id', '=', scope.workspaceId)
      .executeTakeFirst()
    if (!current) return fail('SOURCE_NOT_FOUND')
    const secret = current.webhook_secret_ciphertext ?? ctx.secrets.encrypt(`whsec_${randomSecret(24)}`)
    const row = await tx
      .updateTable('sources')
      .set({ webhook_secret_ciphertext: secret, webhook_kind: input.kind, webhook_mapping: JSON.stringify(input.mapping) })
      .where('id', '=', sourceId)
      .returning(['webhook_secret_ciphertext', 'webhook_kind', 'webhook_mapping'])
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'source.set_webhook',
      entityType: 'source',
      entityId: sourceId,
      after: input,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(view(ctx, sourceId, row)!)
  })
}

/** The source a push names and its webhook, when it takes pushes. */
async function webhookSource(
  ctx: AppContext,
  sourceId: string,
): Promise<{ id: string; workspaceId: string; webhook: SourceWebhook } | undefined> {
  const row = await ctx.db
    .selectFrom('sources')
    .select(['id', 'workspace_id', 'webhook_secret_ciphertext', 'webhook_kind', 'webhook_mapping'])
    .where('id', '=', sourceId)
    .executeTakeFirst()
  const webhook = row && view(ctx, row.id, row)
  return row && webhook ? { id: row.id, workspaceId: row.workspace_id, webhook } : undefined
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer
  }
}

/** Admin routes for a source's webhook, and the public endpoint that takes the pushes. */
export function webhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.getSourceWebhook, ({ scope, params }) => getSourceWebhook(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.setSourceWebhook, ({ scope, params, body }) => setSourceWebhook(ctx, scope, params.id, body))

  app.register(async (scope) => {
    // The signature covers the exact bytes sent, so keep them beside the parsed body.
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')))
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined)
      }
    })
    scope.post<{ Params: { sourceId: string } }>(
      '/p/webhooks/:sourceId',
      {
        bodyLimit: ctx.config.ingestBodyLimit,
        config: { rateLimit: { max: 1200, timeWindow: '1 minute' } },
        schema: {
          tags: ['tracking'],
          summary: 'Take a signed JSON push for a webhook source',
          description: `Sign the raw body: header \`${SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256(secret, body)>\`.`,
          params: { type: 'object', properties: { sourceId: { type: 'string', format: 'uuid' } }, required: ['sourceId'] },
        },
      },
      async (request, reply) => {
        const source = await webhookSource(ctx, request.params.sourceId)
        const given = request.headers[SIGNATURE_HEADER]
        const expected = source && request.rawBody ? signWebhook(source.webhook.secret, request.rawBody) : undefined
        // Unknown source and wrong signature answer the same, so the endpoint reveals nothing.
        if (
          !source ||
          typeof given !== 'string' ||
          !expected ||
          given.length !== expected.length ||
          !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
        ) {
          throw new AppError('INVALID_SIGNATURE')
        }
        const { webhook } = source
        const pushes = Array.isArray(request.body) ? request.body : [request.body]
        const bodyHash = createHash('sha256').update(request.rawBody!).digest('hex')
        const messages = pushes.map((push, i) =>
          mapImportRow(isObject(push) ? push : {}, webhook.kind, webhook.mapping, `webhook:${bodyHash}:${i}`, 'webhook'),
        )
        const outcome = await ingest(ctx, { id: source.id, workspaceId: source.workspaceId }, messages)
        if (outcome.rejected.length > 0 && outcome.accepted === 0 && outcome.duplicates === 0)
          throw new AppError('INVALID_EVENT', outcome.rejected[0]?.reason, { rejected: outcome.rejected })
        return reply.send({ success: true, accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected })
      },
    )
  })
}
