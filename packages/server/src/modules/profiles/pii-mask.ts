const PII_TRAITS = new Set(['phone', 'email', 'mobile'])

/** A phone or email with its middle hidden: `+86138****8000`, `l***@example.com`. */
export function maskValue(type: string, value: string): string {
  if (type === 'email') {
    const [user = '', domain = ''] = value.split('@')
    return `${user.slice(0, 1)}***@${domain}`
  }
  return value.length <= 7 ? '****' : `${value.slice(0, value.length - 8)}****${value.slice(-4)}`
}

/** Whether an identifier type or trait name holds personal contact data. */
export const isPii = (name: string) => PII_TRAITS.has(name)

/** Traits with phones and emails masked. */
export function maskTraits(traits: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(traits).map(([k, v]) => [k, isPii(k) && typeof v === 'string' ? maskValue(k === 'email' ? 'email' : 'phone', v) : v]),
  )
}
