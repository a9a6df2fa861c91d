import { describe, expect, it } from 'vitest'
import { chunkValues, csvValues, decodeCsv, defaultColumn, looksLikeHeader, parseCsv, pastedValues } from './identifier-csv.js'

describe('identifier CSV files', () => {
  it('reads quoted cells holding commas, quotes and line breaks, and skips blank lines', () => {
    const rows = parseCsv('name,phone\r\n"Zhang, San",13800001111\n"Li ""Big"" Si", +86 138 0000 2222 \n\n"two\nlines",13800003333\n')
    expect(rows).toEqual([
      ['name', 'phone'],
      ['Zhang, San', '13800001111'],
      ['Li "Big" Si', ' +86 138 0000 2222 '],
      ['two\nlines', '13800003333'],
    ])
    expect(() => parseCsv('phone\n"13800001111\n')).toThrow(/Quote Not Closed/i)
  })

  it('takes the column named like the identifier type below the header, trimmed, without blanks or repeats', () => {
    const rows = parseCsv('name,Phone\nA,13800001111\nB, 13800002222\nC,\nD,13800001111\n')
    const csv = { name: 'list.csv', rows, hasHeader: looksLikeHeader(rows[0], 'phone'), column: null }
    expect(csv.hasHeader).toBe(true)
    expect(csvValues(csv, 'phone')).toEqual({ values: ['13800001111', '13800002222'], duplicates: 1 })
    // Another identifier type has no column of its name: the first column, unless the operator picks one.
    expect(csvValues(csv, 'email').values).toEqual(['A', 'B', 'C', 'D'])
    expect(csvValues({ ...csv, column: 1 }, 'email').values).toEqual(['13800001111', '13800002222'])
  })

  it('guesses whether the first row is a header without taking a value for one', () => {
    expect(looksLikeHeader(['name', 'mobile'], 'phone')).toBe(true)
    expect(looksLikeHeader(['手机号'], 'phone')).toBe(true)
    expect(looksLikeHeader(['user_id'], 'user_id')).toBe(true)
    expect(looksLikeHeader(['Zhang San', '13800001111'], 'phone')).toBe(false)
    expect(looksLikeHeader(['alice'], 'user_id')).toBe(false)
    expect(looksLikeHeader(undefined, 'phone')).toBe(false)
    expect(defaultColumn(['name', ' PHONE '], 'phone')).toBe(1)
    expect(defaultColumn(undefined, 'phone')).toBe(0)
  })

  it('decodes UTF-8 without its BOM, and GB18030 as Excel saves CSV in Chinese', () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('phone\n')]).buffer)).toBe('phone\n')
    // "手机" in GB18030.
    expect(decodeCsv(new Uint8Array([0xca, 0xd6, 0xbb, 0xfa, 0x0a]).buffer)).toBe('手机\n')
  })

  it('splits pasted text on lines and commas', () => {
    expect(pastedValues(' a\nb, c\n\na ')).toEqual({ values: ['a', 'b', 'c'], duplicates: 1 })
  })

  it('splits a long list into requests by count and by size, in order, with none empty', () => {
    const values = Array.from({ length: 10 }, (_, i) => `v${i}`)
    expect(chunkValues(values, 4, 1_000).map((c) => c.length)).toEqual([4, 4, 2])
    // Each value is 5 bytes of JSON with its comma: two fit in 10 bytes.
    expect(chunkValues(values, 100, 10).map((c) => c.length)).toEqual([2, 2, 2, 2, 2])
    expect(chunkValues(values, 3, 1_000).flat()).toEqual(values)
    expect(chunkValues([], 3, 1_000)).toEqual([])
  })
})
