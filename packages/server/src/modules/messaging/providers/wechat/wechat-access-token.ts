import { createHash } from 'node:crypto'
import type { ProviderDeps } from '../provider-adapter.js'
import { apiUrl, callWechat, type FailedOutcome, type WechatCall, type WechatRequest } from './wechat-http.js'
import { failureOf, succeeded, type ErrcodeTable } from './wechat-outcome.js'

/** Thrown from inside the token cache's fetch (its interface takes a throwing function); caught by the adapter. */
export class AccessTokenUnavailable extends Error {
  constructor(readonly outcome: FailedOutcome) {
    super(`access token unavailable: ${outcome.code} ${outcome.message}`)
  }
}

export type FetchedToken = { ok: true; token: string; expiresInMs: number } | { ok: false; outcome: FailedOutcome }

/** Where an account's access token comes from, and the key it is shared under in the cache. */
export interface TokenSource {
  key: string
  fetch(): Promise<FetchedToken>
}

// -1 system busy, 45009 / 45011 frequency limits, 45033 WeCom concurrency limit.
const TOKEN_RETRYABLE: ErrcodeTable = { retryable: new Set([-1, 45009, 45011, 45033]) }

/**
 * Official account and mini program: the stable access token (POST /cgi-bin/stable_token, normal
 * mode). Chosen over GET /cgi-bin/token because that one invalidates the token any other system of
 * the same AppID holds (a CRM, a shop) within five minutes, while the stable token is kept apart
 * from it and is returned unchanged to every caller while valid; and the secret travels in the
 * body, not in a URL that proxies log. force_refresh is never used: it is limited to 20 a day and
 * would break every other holder of the stable token.
 */
export function stableTokenSource(
  deps: ProviderDeps,
  kind: 'wechat_official' | 'wechat_miniprogram',
  config: { baseUrl: string; appId: string; appSecret: string },
): TokenSource {
  const request: WechatRequest = {
    method: 'POST',
    url: apiUrl(config.baseUrl, '/cgi-bin/stable_token', {}),
    body: { grant_type: 'client_credential', appid: config.appId, secret: config.appSecret, force_refresh: false },
  }
  return { key: `${kind}:${config.appId}`, fetch: () => fetchToken(deps, request) }
}

/**
 * WeCom: GET /cgi-bin/gettoken with the corp id and one secret (an app's, or the customer-contact
 * secret). A token belongs to the pair, so the key names the corp, which secret it is (`agent:N` or
 * `contact`) and a fingerprint of the secret, so a changed secret never reuses the old token.
 */
export function wecomTokenSource(
  deps: ProviderDeps,
  config: { baseUrl: string; corpId: string },
  secret: { identity: string; value: string },
): TokenSource {
  const fingerprint = createHash('sha256').update(secret.value).digest('hex').slice(0, 12)
  const request: WechatRequest = {
    method: 'GET',
    url: apiUrl(config.baseUrl, '/cgi-bin/gettoken', { corpid: config.corpId, corpsecret: secret.value }),
  }
  return { key: `wecom:${config.corpId}:${secret.identity}:${fingerprint}`, fetch: () => fetchToken(deps, request) }
}

async function fetchToken(deps: ProviderDeps, request: WechatRequest): Promise<FetchedToken> {
  const call = await callWechat(deps, request)
  if (!call.ok) return call
  const { answer } = call
  if (!succeeded(answer)) return { ok: false, outcome: failureOf(answer, TOKEN_RETRYABLE, deps.clock.now()) }
  if (typeof answer.access_token !== 'string' || typeof answer.expires_in !== 'number') {
    return {
      ok: false,
      outcome: { status: 'permanent', code: 'malformed_answer', message: 'no access_token / expires_in', response: answer },
    }
  }
  return { ok: true, token: answer.access_token, expiresInMs: answer.expires_in * 1000 }
}

/**
 * Makes one API call with the cached token. When the provider says the token is no longer valid
 * (`tokenErrors`: 40001 / 40014 / 42001 on WeChat, 40014 / 42001 on WeCom) the token is dropped from
 * the cache, a fresh one fetched, and the call made once more; a second failure is the caller's to map.
 */
export async function withAccessToken(
  deps: ProviderDeps,
  source: TokenSource,
  tokenErrors: ReadonlySet<number>,
  call: (token: string) => Promise<WechatCall>,
): Promise<WechatCall> {
  const first = await cachedToken(deps, source)
  if (!first.ok) return first
  const answer = await call(first.token)
  if (!answer.ok || answer.answer.errcode === undefined || !tokenErrors.has(answer.answer.errcode)) return answer
  await deps.tokens.invalidate(source.key, first.token)
  const fresh = await cachedToken(deps, source)
  if (!fresh.ok) return fresh
  return call(fresh.token)
}

async function cachedToken(
  deps: ProviderDeps,
  source: TokenSource,
): Promise<{ ok: true; token: string } | { ok: false; outcome: FailedOutcome }> {
  try {
    const token = await deps.tokens.get(source.key, async () => {
      const fetched = await source.fetch()
      if (!fetched.ok) throw new AccessTokenUnavailable(fetched.outcome)
      return { token: fetched.token, expiresInMs: fetched.expiresInMs }
    })
    return { ok: true, token }
  } catch (error) {
    if (error instanceof AccessTokenUnavailable) return { ok: false, outcome: error.outcome }
    throw error
  }
}
