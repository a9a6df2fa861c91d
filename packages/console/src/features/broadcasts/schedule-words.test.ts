import { describe, expect, it } from 'vitest'
import { en, zh } from '../../i18n/dictionaries.js'
import { fillPlaceholders, type Language, type Translate } from '../../i18n/i18n.js'
import { scheduleInWords } from './schedule-words.js'

const translate = (language: Language): Translate => {
  const dictionary: Record<string, string> = language === 'zh-CN' ? zh : en
  return ((key: string, params?: Record<string, string | number>) => fillPlaceholders(dictionary[key] ?? key, params)) as Translate
}
const say = (schedule: Parameters<typeof scheduleInWords>[0], language: Language, localTime = false) =>
  scheduleInWords(schedule, localTime, translate(language), language)

describe('a broadcast schedule in words', () => {
  it('says a daily time in Chinese and English', () => {
    expect(say({ kind: 'daily', time: '10:00' }, 'zh-CN')).toBe('每天 10:00')
    expect(say({ kind: 'daily', time: '10:00' }, 'en-US')).toBe('Every day 10:00')
  })

  it('names the weekdays Monday first', () => {
    expect(say({ kind: 'weekly', time: '09:00', weekdays: [1] }, 'en-US')).toBe('Every Monday 09:00')
    expect(say({ kind: 'weekly', time: '09:00', weekdays: [0, 3, 1] }, 'zh-CN')).toBe('每周一、周三、周日 09:00')
  })

  it('says the day of a monthly run and the customer’s local time', () => {
    expect(say({ kind: 'monthly', time: '20:30', dayOfMonth: 15 }, 'zh-CN', true)).toBe('每月 15 日 20:30（客户当地时间）')
    expect(say({ kind: 'monthly', time: '20:30', dayOfMonth: 15 }, 'en-US')).toBe('Every month on day 15, 20:30')
  })

  it('says "now" without a local time', () => {
    expect(say({ kind: 'now' }, 'zh-CN', true)).toBe('立即发送')
  })
})
