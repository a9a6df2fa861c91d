/**
 * How many billed parts a text message takes.
 *
 * A message written only in the GSM 03.38 alphabet travels in 7-bit septets: 160 in one part, 153
 * per part once it is split (the other 7 carry the concatenation header). The extension characters
 * (`€ [ ] { } ~ ^ \ |` and the form feed) take two septets each. Anything else — every Chinese text,
 * if only because of its signature 【…】 — travels in UCS-2: 70 characters in one part, 67 per part
 * once split. This is also how Aliyun and Tencent bill mainland messages (签名 + 模板内容 + 变量
 * ≤ 70 字 is one message, longer ones are billed per 67).
 *
 * `characters` counts Unicode code points, which is what the Chinese consoles' counters show: every
 * 汉字, letter, digit, punctuation mark and space is one 字. An emoji outside the Basic Multilingual
 * Plane is one code point here, although a UCS-2/UTF-16 PDU really spends two units on it; mainland
 * templates are not approved with emoji, so the difference only matters for Twilio texts, where we
 * accept counting one part short in rare cases rather than guessing a carrier's counting.
 *
 * @example
 * smsBillingParts('【阿里云】您的验证码是 1234') // { characters: 16, parts: 1, perPart: 70, encoding: 'ucs2' }
 */
export function smsBillingParts(text: string): { characters: number; parts: number; perPart: number; encoding: 'gsm7' | 'ucs2' } {
  const codePoints = [...text]
  const characters = codePoints.length
  if (codePoints.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c))) {
    const septets = codePoints.reduce((sum, c) => sum + (GSM7_EXTENSION.has(c) ? 2 : 1), 0)
    return septets <= 160
      ? { characters, parts: septets === 0 ? 0 : 1, perPart: 160, encoding: 'gsm7' }
      : { characters, parts: Math.ceil(septets / 153), perPart: 153, encoding: 'gsm7' }
  }
  return characters <= 70
    ? { characters, parts: 1, perPart: 70, encoding: 'ucs2' }
    : { characters, parts: Math.ceil(characters / 67), perPart: 67, encoding: 'ucs2' }
}

// GSM 03.38 default alphabet (basic character set), one septet each.
const GSM7_BASIC = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?',
  ...'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
])
// The extension table, reached through an escape septet: two septets each.
const GSM7_EXTENSION = new Set([...'\f^{}\\[~]|€'])
