import { createPrivateKey, sign, type KeyObject } from 'node:crypto'

/** The two JWS algorithms the push providers ask for: RS256 (Google OAuth) and ES256 (APNs provider tokens). */
export type JwsAlgorithm = 'RS256' | 'ES256'

/** Base64url without padding (RFC 7515 §2). */
export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url')
}

/**
 * The signature of a JWS signing input (`base64url(header).base64url(payload)`), base64url-encoded.
 * ES256 signatures are the raw 64-byte r‖s form JOSE requires (RFC 7518 §3.4), not DER.
 *
 * @example
 * signJwsInput('RS256', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UifQ', privateKeyPem)
 */
export function signJwsInput(algorithm: JwsAlgorithm, signingInput: string, key: string | KeyObject): string {
  const keyObject = typeof key === 'string' ? createPrivateKey(key) : key
  const expected = algorithm === 'RS256' ? 'rsa' : 'ec'
  if (keyObject.asymmetricKeyType !== expected)
    throw new Error(`${algorithm} needs an ${expected.toUpperCase()} private key, not ${keyObject.asymmetricKeyType}`)
  const data = Buffer.from(signingInput, 'utf8')
  const signature =
    algorithm === 'RS256' ? sign('sha256', data, keyObject) : sign('sha256', data, { key: keyObject, dsaEncoding: 'ieee-p1363' })
  return base64url(signature)
}

/**
 * A compact JWT: header and claims as JSON, signed with `privateKeyPem`. Throws when the key is not
 * a PEM private key of the algorithm's type (callers turn that into a permanent credentials error).
 *
 * @example
 * signJwt({ alg: 'ES256', kid: 'ABC123DEFG' }, { iss: 'DEF123GHIJ', iat: 1_700_000_000 }, p8Pem)
 */
export function signJwt(
  header: { alg: JwsAlgorithm } & Record<string, unknown>,
  claims: Record<string, unknown>,
  privateKeyPem: string,
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`
  return `${signingInput}.${signJwsInput(header.alg, signingInput, privateKeyPem)}`
}
