import type { Language } from '../i18n/i18n.js'

/** A timestamp in the reader's language and local time. */
export function formatTime(iso: string, language: Language): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'medium' })
}
