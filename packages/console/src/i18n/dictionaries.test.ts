import { describe, expect, it } from 'vitest'
import { FEATURE_MESSAGES } from './dictionaries.js'

const placeholders = (text: string) => [...text.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).sort()

describe('the console dictionaries', () => {
  it('define each key in one feature only', () => {
    const seen = new Map<string, number>()
    for (const [i, messages] of FEATURE_MESSAGES.entries())
      for (const key of Object.keys(messages.zh)) {
        expect(seen.has(key), `${key} is in two features`).toBe(false)
        seen.set(key, i)
      }
  })

  it('give English and Chinese the same keys and the same placeholders', () => {
    for (const messages of FEATURE_MESSAGES) {
      const zh: Record<string, string> = messages.zh
      const en: Record<string, string> = messages.en
      expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
      for (const key of Object.keys(zh)) expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(zh[key] ?? ''))
    }
  })
})
