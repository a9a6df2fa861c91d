import { describe, expect, it } from 'vitest'
import { isStorableInstant, parseIsoInstant } from './instant-range.js'

describe('parseIsoInstant', () => {
  it('reads ISO dates and date-times, with Z or an offset', () => {
    expect(parseIsoInstant('2024-05-01T08:00:00+08:00')).toBe(Date.parse('2024-05-01T00:00:00Z'))
    expect(parseIsoInstant('2024-05-01T00:00:00.123Z')).toBe(Date.parse('2024-05-01T00:00:00.123Z'))
    expect(parseIsoInstant('2024-02-29')).toBe(Date.parse('2024-02-29T00:00:00Z'))
    expect(parseIsoInstant('0001-01-01T00:00:00Z')).toBe(Date.parse('0001-01-01T00:00:00Z'))
    expect(parseIsoInstant('9999-12-31T23:59:59.999Z')).toBe(Date.parse('9999-12-31T23:59:59.999Z'))
  })

  it('refuses year 0, years past 9999 (an offset counts), days the calendar lacks, and what is not ISO', () => {
    for (const text of [
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:00:00+01:00',
      '9999-12-31T23:59:59-01:00',
      '+275000-01-01T00:00:00Z',
      '10000-01-01',
      '2023-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-01-01T24:00:00Z',
      '1',
      'Sat, 01 Jan 2000 00:00:00 GMT',
      '',
    ]) {
      expect(parseIsoInstant(text), text).toBeNull()
    }
    expect(parseIsoInstant(20240501)).toBeNull()
  })
})

describe('isStorableInstant', () => {
  it('holds for years 0001–9999 in UTC only', () => {
    expect([Date.parse('0001-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59.999Z')].map(isStorableInstant)).toEqual([true, true])
    expect([Date.parse('0000-12-31T23:59:59.999Z'), Date.parse('+010000-01-01T00:00:00Z'), Number.NaN].map(isStorableInstant)).toEqual([
      false,
      false,
      false,
    ])
  })
})
