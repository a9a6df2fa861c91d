import type { ProviderDeps } from '../provider-adapter.js'
import { asRecord, httpCall, retryAfterMs, stringField, type FailedOutcome } from './http-call.js'
import { signJwt } from './jws.js'

/** The fields of a Google service-account JSON key that the OAuth exchange needs. */
export interface ServiceAccountKey {
  clientEmail: string
  privateKey: string
  privateKeyId?: string
  tokenUri?: string
}

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging'
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token'

/** Reads the pasted JSON key; a key without client_email or private_key is a configuration error, not a bug. */
export function parseServiceAccount(json: string): ServiceAccountKey | FailedOutcome {
  let parsed: Record<string, unknown>
  try {
    parsed = asRecord(JSON.parse(json) as unknown)
  } catch (error) {
    return { status: 'permanent', code: 'invalid_service_account', message: `The service account is not JSON: ${(error as Error).message}` }
  }
  const clientEmail = stringField(parsed, 'client_email')
  const privateKey = stringField(parsed, 'private_key')
  if (!clientEmail || !privateKey) {
    return { status: 'permanent', code: 'invalid_service_account', message: 'The service account JSON has no client_email or private_key' }
  }
  const privateKeyId = stringField(parsed, 'private_key_id')
  const tokenUri = stringField(parsed, 'token_uri')
  return { clientEmail, privateKey, ...(privateKeyId ? { privateKeyId } : {}), ...(tokenUri ? { tokenUri } : {}) }
}

/**
 * The signed assertion of Google's OAuth 2.0 service-account flow (RFC 7523): RS256, issued by the
 * service account for `scope`, addressed to the token URL, valid one hour.
 * https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
 */
export function serviceAccountAssertion(key: ServiceAccountKey, tokenUrl: string, scope: string, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000)
  const header = { alg: 'RS256' as const, typ: 'JWT', ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) }
  return signJwt(header, { iss: key.clientEmail, scope, aud: tokenUrl, iat, exp: iat + 3600 }, key.privateKey)
}

/**
 * Exchanges the assertion for an access token (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`).
 * A refused key (400/401 `invalid_grant`, `unauthorized_client`…) is permanent; a token endpoint that
 * is down or throttling is retryable.
 */
export async function fetchServiceAccountToken(
  key: ServiceAccountKey,
  tokenUrl: string,
  scope: string,
  deps: ProviderDeps,
): Promise<{ token: string; expiresInMs: number } | FailedOutcome> {
  let assertion: string
  try {
    assertion = serviceAccountAssertion(key, tokenUrl, scope, deps.clock.now())
  } catch (error) {
    return {
      status: 'permanent',
      code: 'invalid_private_key',
      message: `The service account's private_key cannot sign: ${(error as Error).message}`,
    }
  }
  const result = await httpCall(deps, tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
  })
  if ('failure' in result) return result.failure
  const { answer } = result
  const body = asRecord(answer.json)
  const token = stringField(body, 'access_token')
  if (answer.status === 200 && token) {
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600
    return { token, expiresInMs: expiresIn * 1000 }
  }
  const code = stringField(body, 'error') ?? `http_${answer.status}`
  const message = stringField(body, 'error_description') ?? (answer.text.slice(0, 500) || `HTTP ${answer.status}`)
  if (answer.status === 429 || answer.status >= 500) {
    const wait = retryAfterMs(answer.headers.get('retry-after'), deps.clock)
    return {
      status: 'retryable',
      code,
      message,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      response: answer.json ?? answer.text,
    }
  }
  return { status: 'permanent', code, message, response: answer.json ?? answer.text }
}
