import { describe, expect, it } from 'vitest'
import { FEATURE_MESSAGES } from '../i18n/dictionaries.js'

/**
 * Chinese messages that may read like their English: brand and product names and the language
 * switch's own label. Anything else in the Chinese console is written in Chinese.
 */
const SAME_IN_BOTH = new Set([
  'app.name',
  'header.language',
  'kind.app',
  'kind.webhook',
  'sources.webhook',
  'messaging.channel.webhook',
  'messaging.kind.webhook',
])

/** What is left of a message once placeholders, symbols, digits and code-like words (user.create, https://…, COMPUTE_TIMEOUT_MS) are gone. */
const words = (text: string) =>
  text
    .replace(/\{[A-Za-z]+\}/g, '')
    .replace(/\S*[._:/@<>-]\S*/g, '')
    .replace(/\b[A-Z0-9_]{2,}\b/g, '')

describe('the Chinese console', () => {
  it('says every message in Chinese, not as its English', () => {
    const untranslated: string[] = []
    for (const messages of FEATURE_MESSAGES) {
      const en: Record<string, string> = messages.en
      for (const [key, zh] of Object.entries(messages.zh as Record<string, string>)) {
        if (SAME_IN_BOTH.has(key)) continue
        const left = words(zh)
        // A message of symbols alone (=, ≥, × {quantity}) reads the same in both.
        if (!/[A-Za-z]/.test(left)) continue
        if (zh === en[key] || !/[\u4e00-\u9fff]/.test(zh)) untranslated.push(`${key}: ${zh}`)
      }
    }
    expect(untranslated).toEqual([])
  })
})
