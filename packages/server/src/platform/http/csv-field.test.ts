import { describe, expect, it } from 'vitest'
import { csvField } from './csv-field.js'

describe('csvField', () => {
  it('writes plain text, numbers and nothing as they are', () => {
    expect([csvField('Wang Fang'), csvField(8800), csvField(null), csvField(undefined)]).toEqual(['Wang Fang', '8800', '', ''])
  })

  it('quotes a cell with a comma, a quote or a line break', () => {
    expect([csvField('a,b'), csvField('say "hi"'), csvField('two\nlines')]).toEqual(['"a,b"', '"say ""hi"""', '"two\nlines"'])
  })

  it('makes text of every cell a spreadsheet would run as a formula, a leading tab or carriage return included', () => {
    for (const formula of ['=1+1', '+1+1', '-1+A1', "+cmd|' /C calc'!A0", '-2.5e3', '@SUM(A1)', '\t=1+1', '\r=1+1']) {
      expect(csvField(formula), JSON.stringify(formula)).toBe(`"'${formula}"`)
    }
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"')
  })

  it('writes a phone in E.164 and a signed number without the apostrophe: a spreadsheet reads them as numbers, running nothing', () => {
    expect([csvField('+8613800001234'), csvField('-300'), csvField('+12.50')]).toEqual(['+8613800001234', '-300', '+12.50'])
  })

  it('leaves a formula character alone when it is not the first', () => {
    expect([csvField('a=b'), csvField('1-2'), csvField('x\t=y')]).toEqual(['a=b', '1-2', 'x\t=y'])
  })
})
