import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min'

/** Phones in E.164, with `region` (default CN) for numbers written without a country code. */
export function normalizePhone(raw: string, region: CountryCode = 'CN'): string | null {
  const phone = parsePhoneNumberFromString(raw.trim(), region)
  return phone?.isValid() ? phone.number : null
}

/** Emails trimmed and lower-cased; null when it is not an address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase()
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email : null
}

/**
 * The stored form of an identifier value: phones in E.164, emails lower-cased, everything else
 * trimmed. Null when the value is empty or not valid for its type.
 *
 * @example
 * normalizeIdentifier('phone', '138 0013 8000') // '+8613800138000'
 */
export function normalizeIdentifier(type: string, raw: unknown, region: CountryCode = 'CN'): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null
  const text = String(raw).trim()
  if (text === '' || text.length > 255) return null
  if (type === 'phone') return normalizePhone(text, region)
  if (type === 'email') return normalizeEmail(text)
  return text
}
