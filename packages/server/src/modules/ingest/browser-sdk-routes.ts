import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { AppError } from '../../platform/http/app-error.js'
import { BrowserSdkAssets, type BrowserAsset } from './browser-sdk-assets.js'
import { sourceByWriteKey } from './source-cache.js'

/** The script's URL is stable across upgrades, so browsers revalidate it soon (cheaply, by ETag). */
const BUNDLE_CACHE = 'public, max-age=300'
/** Chunk names carry their content hash: they never change. */
const CHUNK_CACHE = 'public, max-age=31536000, immutable'
/** Settings follow the source (a deleted or rotated key); a page view fetches them once. */
const SETTINGS_CACHE = 'public, max-age=60'

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/

/**
 * Where the SDK sends events: the public URL when the request came through its host (behind a
 * TLS-terminating proxy the request itself may look like plain HTTP), else the address the request
 * came to, as a shop page on the intranet reaches the server by another name than the console's.
 */
export function trackingAddress(
  publicUrl: string,
  request: Pick<FastifyRequest, 'host' | 'protocol'>,
): { apiHost: string; protocol: 'http' | 'https' } {
  const url = new URL(publicUrl)
  const host = request.host.toLowerCase()
  if (!HOST.test(host) || host === url.host)
    return { apiHost: `${url.host}${url.pathname.replace(/\/+$/, '')}/v1`, protocol: url.protocol === 'https:' ? 'https' : 'http' }
  return { apiHost: `${host}/v1`, protocol: request.protocol === 'https' ? 'https' : 'http' }
}

/**
 * What analytics-next reads from `<cdn>/v1/projects/<writeKey>/settings`: the Segment.io
 * integration pointed at this server and nothing that loads code or sends data elsewhere — no other
 * integrations (each would load a destination from Segment's CDN), no remote plugins, middleware,
 * routing rules or tracking plan (each loads a chunk or a file), and no metrics.
 */
export function browserSettings(writeKey: string, address: { apiHost: string; protocol: 'http' | 'https' }) {
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost: address.apiHost,
        protocol: address.protocol,
        addBundledMetadata: false,
        unbundledIntegrations: [],
        maybeBundledConfigIds: {},
      },
    },
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    edgeFunction: {},
    remotePlugins: [],
    legacyVideoPluginsEnabled: false,
    metrics: { sampleRate: 0, host: address.apiHost },
  }
}

const send = (request: FastifyRequest, reply: FastifyReply, file: BrowserAsset, cacheControl: string) => {
  reply.header('cache-control', cacheControl).header('etag', file.etag).header('vary', 'Accept-Encoding').type(file.contentType)
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send()
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(file.gzip)
  return reply.send(file.body)
}

/**
 * The browser SDK (analytics.js 2.0, `@segment/analytics-next`) served by this server at the paths
 * Segment's CDN uses, so the standard snippet works with only its CDN host changed and a page makes
 * no request to any other host:
 *
 * - `/analytics.js/v1/<writeKey>/analytics.min.js` — the snippet's script (the package's standalone build);
 * - `/v1/projects/<writeKey>/settings` — what the script fetches next;
 * - `/analytics-next/bundles/<chunk>` — the chunks it loads when a feature needs one.
 *
 * Shop pages live on other origins, so these answer any origin and may be embedded cross-origin.
 */
export function browserSdkRoutes(app: FastifyInstance, ctx: AppContext): void {
  const assets = new BrowserSdkAssets()
  // Limited per write key like the tracking API: one noisy shop cannot starve the others.
  const config = {
    rateLimit: {
      max: ctx.config.ingestRateLimit,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => `sdk:${(request.params as { writeKey?: string }).writeKey ?? request.ip}`,
    },
  }
  const knownSource = async (writeKey: string) => {
    const source = await sourceByWriteKey(ctx, writeKey)
    if (!source) throw new AppError('SOURCE_NOT_FOUND', 'No source has this write key; copy the snippet again from the source page.')
    return source
  }

  app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      // Helmet's same-origin resource policy would stop a shop page on another origin from running the script.
      reply
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('access-control-allow-origin', '*')
        .header('cache-control', 'no-store')
    })
    const writeKeyParams = {
      type: 'object',
      properties: { writeKey: { type: 'string', minLength: 1, maxLength: 200 } },
      required: ['writeKey'],
    }

    scope.get(
      '/analytics.js/v1/:writeKey/analytics.min.js',
      { config, schema: { tags: ['tracking'], summary: 'The browser SDK script the Segment snippet loads', params: writeKeyParams } },
      async (request, reply) => {
        await knownSource((request.params as { writeKey: string }).writeKey)
        return send(request, reply, assets.bundle(), BUNDLE_CACHE)
      },
    )

    scope.get(
      '/analytics-next/bundles/:file',
      { schema: { tags: ['tracking'], summary: 'A chunk the browser SDK loads when it needs it' } },
      async (request, reply) => {
        const chunk = assets.chunk((request.params as { file: string }).file)
        if (!chunk) throw new AppError('ROUTE_NOT_FOUND', 'No such file of the browser SDK.')
        return send(request, reply, chunk, CHUNK_CACHE)
      },
    )

    scope.get(
      '/v1/projects/:writeKey/settings',
      {
        config,
        schema: {
          tags: ['tracking'],
          summary: 'Settings of the browser SDK for a write key: send events to this server',
          params: writeKeyParams,
        },
      },
      async (request, reply) => {
        const { writeKey } = request.params as { writeKey: string }
        await knownSource(writeKey)
        return reply.header('cache-control', SETTINGS_CACHE).send(browserSettings(writeKey, trackingAddress(ctx.config.publicUrl, request)))
      },
    )
  })
}
