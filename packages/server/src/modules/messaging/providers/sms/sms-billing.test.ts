import { describe, expect, it } from 'vitest'
import { smsBillingParts } from './sms-billing.js'

const han = (n: number) => '短'.repeat(n)

describe('smsBillingParts', () => {
  it('counts a Chinese message of 70 characters, signature included, as one part', () => {
    const text = `【阿里云】${han(65)}`
    expect(smsBillingParts(text)).toEqual({ characters: 70, parts: 1, perPart: 70, encoding: 'ucs2' })
  })

  it('splits a Chinese message of 71 characters into two parts of 67', () => {
    expect(smsBillingParts(han(71))).toEqual({ characters: 71, parts: 2, perPart: 67, encoding: 'ucs2' })
  })

  it('keeps 134 characters in two parts and needs a third for 135', () => {
    expect(smsBillingParts(han(134))).toMatchObject({ parts: 2, perPart: 67 })
    expect(smsBillingParts(han(135))).toMatchObject({ parts: 3, perPart: 67 })
  })

  it('bills an English message in GSM-7: 160 in one part, then 153 per part', () => {
    expect(smsBillingParts('a'.repeat(160))).toEqual({ characters: 160, parts: 1, perPart: 160, encoding: 'gsm7' })
    expect(smsBillingParts('a'.repeat(161))).toEqual({ characters: 161, parts: 2, perPart: 153, encoding: 'gsm7' })
    expect(smsBillingParts('a'.repeat(306))).toMatchObject({ parts: 2 })
    expect(smsBillingParts('a'.repeat(307))).toMatchObject({ parts: 3 })
  })

  it('counts a GSM extension character such as € as two septets', () => {
    expect(smsBillingParts(`${'a'.repeat(159)}€`)).toMatchObject({ characters: 160, parts: 2, encoding: 'gsm7' })
  })

  it('moves a message to UCS-2 as soon as one character is outside the GSM alphabet', () => {
    expect(smsBillingParts(`${'a'.repeat(70)}é`)).toMatchObject({ encoding: 'gsm7', parts: 1 })
    expect(smsBillingParts(`${'a'.repeat(70)}’`)).toMatchObject({ encoding: 'ucs2', characters: 71, parts: 2 })
  })

  it('counts an emoji as one character (a code point)', () => {
    expect(smsBillingParts(`${han(69)}😀`)).toEqual({ characters: 70, parts: 1, perPart: 70, encoding: 'ucs2' })
  })

  it('bills nothing for an empty text', () => {
    expect(smsBillingParts('')).toMatchObject({ characters: 0, parts: 0 })
  })
})
