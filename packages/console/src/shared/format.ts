import type { Language } from '../i18n/i18n.js'

/** A timestamp in the reader's language and local time. */
export function formatTime(iso: string, language: Language): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'medium' })
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone (the reader's when none is given). */
export function dayOf(iso: string, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(iso),
  )
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}

/** Every calendar day from `from` to `to` (YYYY-MM-DD, both included), at most `max` of them (the last ones). */
export function daysBetween(from: string, to: string, max = 366): string[] {
  const days: string[] = []
  const end = Date.parse(`${to}T00:00:00Z`)
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10))
  return days.slice(-max)
}
