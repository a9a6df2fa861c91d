import { describe, expect, it } from 'vitest'
import { normalizeAllowedOrigins, normalizeOrigin } from './browser-origin.js'

describe('normalizeOrigin', () => {
  it('writes an origin the way a browser sends it', () => {
    expect(normalizeOrigin(' HTTPS://Shop.Example.com/ ')).toBe('https://shop.example.com')
    expect(normalizeOrigin('https://shop.example.com:443')).toBe('https://shop.example.com')
    expect(normalizeOrigin('http://shop.example.com:80')).toBe('http://shop.example.com')
    expect(normalizeOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080')
    expect(normalizeOrigin('https://localhost:0443')).toBe('https://localhost')
    expect(normalizeOrigin('http://[::1]:3000')).toBe('http://[::1]:3000')
    expect(normalizeOrigin('https://xn--fiqs8s.example')).toBe('https://xn--fiqs8s.example')
  })

  it('refuses what is not an http(s) origin', () => {
    for (const text of [
      'shop.example.com',
      'ftp://shop.example.com',
      'https://shop.example.com/cart',
      'https://*.example.com',
      'https://user@shop.example.com',
      'https://shop.example.com?a=1',
      'https://shop.example.com:99999',
      'https://shop.example.com:0',
      'https://-bad.example',
      'null',
      '',
      'https://商店.example',
    ])
      expect(normalizeOrigin(text), text).toBeUndefined()
  })
})

describe('normalizeAllowedOrigins', () => {
  it('drops duplicates and makes an empty list mean any origin', () => {
    expect(normalizeAllowedOrigins(['https://a.example', 'HTTPS://A.EXAMPLE/', 'http://b.example:8080'])).toEqual({
      origins: ['https://a.example', 'http://b.example:8080'],
      invalid: [],
    })
    expect(normalizeAllowedOrigins([])).toEqual({ origins: null, invalid: [] })
    expect(normalizeAllowedOrigins(null)).toEqual({ origins: null, invalid: [] })
  })

  it('names each entry that is not an origin by its position', () => {
    expect(normalizeAllowedOrigins(['https://a.example', 'https://a.example/path']).invalid).toEqual([
      { index: 1, value: 'https://a.example/path' },
    ])
  })
})
