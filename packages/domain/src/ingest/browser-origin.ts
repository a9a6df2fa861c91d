/** How many browser origins one source may allow; more than a handful means a wildcard is wanted. */
export const MAX_ALLOWED_ORIGINS = 50

// A host as browsers put it in the Origin header: ASCII labels (IDNs arrive as punycode), IPv4, or [IPv6].
const ORIGIN = /^(https?):\/\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' }

/**
 * An origin as a browser sends it in the `Origin` header (`scheme://host[:port]`, lower-case,
 * default port dropped), so a stored origin compares to a request's by plain equality; undefined
 * when the text is not an http(s) origin (a path, a wildcard, credentials, a query).
 *
 * @example
 * normalizeOrigin(' HTTPS://Shop.Example.com:443/ ') // 'https://shop.example.com'
 * normalizeOrigin('https://shop.example.com/cart') // undefined
 */
export function normalizeOrigin(text: string): string | undefined {
  const match = ORIGIN.exec(text.trim().toLowerCase())
  if (!match) return undefined
  const [, scheme = '', host = '', port] = match
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined
  const keepPort = port !== undefined && port.replace(/^0+/, '') !== DEFAULT_PORT[scheme]
  return `${scheme}://${host}${keepPort ? `:${Number(port)}` : ''}`
}

/**
 * A source's allowed origins made canonical: each normalized, duplicates dropped, and an empty list
 * made null (any origin), as the tracking API reads both the same way. `invalid` names the entries
 * that are not origins, by position.
 *
 * @example
 * normalizeAllowedOrigins(['https://a.example', 'HTTPS://A.EXAMPLE/']) // { origins: ['https://a.example'], invalid: [] }
 */
export function normalizeAllowedOrigins(list: readonly string[] | null): {
  origins: string[] | null
  invalid: { index: number; value: string }[]
} {
  if (list === null) return { origins: null, invalid: [] }
  const origins: string[] = []
  const invalid: { index: number; value: string }[] = []
  list.forEach((value, index) => {
    const origin = normalizeOrigin(value)
    if (origin === undefined) invalid.push({ index, value })
    else if (!origins.includes(origin)) origins.push(origin)
  })
  return { origins: origins.length > 0 ? origins : null, invalid }
}
