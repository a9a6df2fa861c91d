import { describe, expect, it } from 'vitest'
import { browserSnippet } from './browser-snippet.js'

/** Runs the snippet's script against a page with one script tag, and returns what it did. */
function runSnippet(html: string) {
  const code = html.replace(/^<script>/, '').replace(/<\/script>$/, '')
  const inserted: { src?: string; attributes: Record<string, string> }[] = []
  const first = { parentNode: { insertBefore: (script: (typeof inserted)[number]) => inserted.push(script) } }
  const document = {
    createElement: () => ({
      attributes: {},
      setAttribute(this: (typeof inserted)[number], name: string, value: string) {
        this.attributes[name] = value
      },
    }),
    getElementsByTagName: () => [first],
    querySelector: () => null,
    title: 'Shop',
    referrer: '',
  }
  const window: Record<string, unknown> = {}
  // The page's globals as parameters: the snippet reads nothing else.
  new Function('window', 'document', 'location', 'console', code)(
    window,
    document,
    { pathname: '/', href: 'http://shop.test/', search: '' },
    console,
  )
  return { analytics: window.analytics as unknown[] & Record<string, unknown>, inserted }
}

describe('browserSnippet', () => {
  it('loads the SDK from this server with the write key, names it the CDN, and queues the first page view', () => {
    const { analytics, inserted } = runSnippet(browserSnippet('wk_abc', 'http://10.0.0.5:3000/'))
    expect(inserted.map((s) => [s.src, s.attributes['data-global-segment-analytics-key']])).toEqual([
      ['http://10.0.0.5:3000/analytics.js/v1/wk_abc/analytics.min.js', 'analytics'],
    ])
    expect([analytics._writeKey, analytics._cdn, analytics.SNIPPET_VERSION]).toEqual(['wk_abc', 'http://10.0.0.5:3000', '5.2.0'])
    expect((analytics[0] as unknown[])[0]).toBe('page')
  })

  it('names no Segment host', () => {
    expect(browserSnippet('wk_abc', 'https://reach.example.com')).not.toMatch(/segment\.(com|io)/)
  })

  it('keeps odd text from breaking out of its strings', () => {
    const { analytics } = runSnippet(browserSnippet('wk_"</script>', 'https://reach.example.com'))
    expect(analytics._writeKey).toBe('wk_"</script>')
    expect(browserSnippet('wk_"</script>', 'https://r.example')).not.toContain('"</script>')
  })
})
