import { BLOCKED_BOUNCED_PREFIX, MESSAGE_EVENTS } from '@reachloop/domain'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { AppError } from '../../platform/http/app-error.js'
import { blockAddress } from './consent-repository.js'
import { handleSmsReply } from './consent-service.js'
import { appendEvents } from './message-events.js'
import { providerDeps } from './provider-deps.js'
import { markReceipt, messagesByProviderIds } from './messages-repository.js'
import { providerAccountByCallbackKey } from './provider-accounts-repository.js'
import type { ProviderReport } from './providers/provider-adapter.js'
import { adapterOf } from './providers/registry.js'

/** Where providers post receipts and replies: `<PUBLIC_URL>/p/messaging/<account's callback key>`. */
export const CALLBACK_PATH = '/p/messaging/'

/**
 * The public endpoint for provider callbacks. The account is found by the random key in the URL;
 * the adapter then verifies the request by the provider's own scheme (WeChat's signature, WeCom's
 * encrypted envelope, Twilio's X-Twilio-Signature, a callback token for Aliyun and Tencent, whose
 * pushes carry none) before any report is believed.
 */
export function callbackRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.register(async (scope) => {
    // Providers post JSON, forms or XML: every body is kept as text for the adapter to verify and read.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1_048_576 }, (_request, body, done) => done(null, body))
    const handler = async (request: FastifyRequest<{ Params: { key: string } }>, reply: FastifyReply) => {
      const account = await providerAccountByCallbackKey(ctx, ctx.db, request.params.key)
      const adapter = account && adapterOf(account.kind)
      if (!account || !adapter?.callback) throw new AppError('INVALID_SIGNATURE')
      const url = `${ctx.config.publicUrl.replace(/\/$/, '')}${request.url}`
      const result = await adapter.callback(
        { id: account.id, config: account.config },
        {
          method: request.method,
          headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
          query: request.query as Record<string, string | undefined>,
          rawBody: typeof request.body === 'string' ? request.body : '',
          url,
        },
        providerDeps(ctx, account.id),
      )
      if (!result.ok) throw new AppError(result.reason === 'bad_signature' ? 'INVALID_SIGNATURE' : 'VALIDATION_FAILED', result.message)
      await applyReports(ctx, account.workspaceId, account.id, account.channel, result.reports)
      return reply.status(result.reply.status).type(result.reply.contentType).send(result.reply.body)
    }
    const options = { config: { rateLimit: { max: 3000, timeWindow: '1 minute' } }, schema: { hide: true } }
    scope.get(`${CALLBACK_PATH}:key`, options, handler)
    scope.post(`${CALLBACK_PATH}:key`, options, handler)
  })
}

/** Receipts move their messages to delivered, failed or bounced (with events); SMS replies may unsubscribe. */
export async function applyReports(
  ctx: AppContext,
  workspaceId: string,
  accountId: string,
  channel: string,
  reports: readonly ProviderReport[],
): Promise<void> {
  if (reports.length === 0) return
  await ctx.db.transaction().execute(async (tx) => {
    const receipts = reports.filter((r): r is Extract<ProviderReport, { kind: 'receipt' }> => r.kind === 'receipt')
    const messages = await messagesByProviderIds(
      tx,
      accountId,
      receipts.map((r) => r.providerMessageId),
    )
    const byProviderId = new Map(messages.map((m) => [m.providerMessageId, m]))
    const now = ctx.clock.now()
    const events = []
    for (const receipt of receipts) {
      const message = byProviderId.get(receipt.providerMessageId)
      if (!message) continue
      const reason = receipt.status === 'delivered' ? null : [receipt.code, receipt.message].filter(Boolean).join(': ') || receipt.status
      if (!(await markReceipt(tx, message.id, receipt.status, reason, receipt.at, now))) continue
      events.push({
        message,
        name: receipt.status === 'delivered' ? MESSAGE_EVENTS.delivered : MESSAGE_EVENTS.failed,
        extra: receipt.status === 'delivered' ? {} : { reason, bounced: receipt.status === 'bounced' },
      })
      // A hard bounce means the address does not exist: never try it again.
      if (receipt.status === 'bounced' && message.address)
        await blockAddress(tx, workspaceId, message.channel, message.address, `${BLOCKED_BOUNCED_PREFIX}${reason ?? ''}`, now)
    }
    await appendEvents(ctx, tx, workspaceId, events)
    if (channel === 'sms') {
      for (const r of reports) if (r.kind === 'reply') await handleSmsReply(ctx, tx, workspaceId, r.from, r.text, r.at)
    }
  })
}
