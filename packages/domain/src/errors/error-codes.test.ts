import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from './error-codes.js'

describe('error catalogue', () => {
  it('is documented code for code, with the same status, in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])])
    expect(documented).toEqual(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]))
  })
})
