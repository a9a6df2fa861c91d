import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Twilio's X-Twilio-Signature: HMAC-SHA1 with the auth token over the full URL Twilio called
 * (query string included) followed by every POST parameter's name and value, sorted by name, with
 * no delimiters; base64.
 *
 * @example
 * twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', [['Digits', '1234']])
 */
export function twilioSignature(authToken: string, url: string, params: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
  const data = sorted.reduce((acc, [name, value]) => acc + name + value, url)
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64')
}

/**
 * Whether `signature` is Twilio's for this request. Like Twilio's own libraries, it also accepts the
 * URL with the default port written out or left out (Twilio signs the URL as configured, and a
 * proxy may add or drop `:443`).
 */
export function isTwilioSignature(
  authToken: string,
  signature: string,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): boolean {
  const given = Buffer.from(signature)
  return urlVariants(url).some((candidate) => {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params))
    return expected.length === given.length && timingSafeEqual(expected, given)
  })
}

function urlVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#:]+)(?::(\d+))?(.*)$/s.exec(url)
  if (!match) return [url]
  const [, scheme, host, port, rest] = match
  const defaultPort = scheme === 'https' ? '443' : '80'
  // `url` as given, then with the default port left out or written out.
  if (port) return port === defaultPort ? [url, `${scheme}://${host}${rest}`] : [url]
  return [url, `${scheme}://${host}:${defaultPort}${rest}`]
}
