import { SUPPRESSION_REASONS } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { en, zh } from '../../i18n/dictionaries.js'
import { maskAddress, reasonInWords } from './message-words.js'

const tMaybe = (dictionary: Record<string, string>) => (key: string, fallback: string) => dictionary[key] ?? fallback

describe('the message log in words', () => {
  it('says every reason the rules stop a message for, in Chinese and English', () => {
    for (const reason of SUPPRESSION_REASONS) {
      expect(reasonInWords(reason, tMaybe(zh)), reason).toMatch(/[\u4e00-\u9fff]/)
      expect(reasonInWords(reason, tMaybe(en)), reason).not.toBe(reason)
    }
    expect(reasonInWords('no_consent', tMaybe(zh))).toBe('无订阅授权')
    expect(reasonInWords('capped', tMaybe(en))).toBe('Over the frequency cap')
  })

  it('shows a provider’s own code as the provider gave it', () => {
    expect(reasonInWords('isv.BUSINESS_LIMIT_CONTROL', tMaybe(zh))).toBe('isv.BUSINESS_LIMIT_CONTROL')
    expect(reasonInWords(null, tMaybe(zh))).toBe('')
  })

  it('masks phones and emails as customer lists do, and leaves other addresses', () => {
    expect(maskAddress('sms', '+8613800138000')).toBe('+86138****8000')
    expect(maskAddress('email', 'li.na@example.com')).toBe('l***@example.com')
    expect(maskAddress('wechat', 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M')).toBe('o6_bmjrPTlm6_2sgVt7hMZOPfL2M')
  })
})
