import { describe, expect, it } from 'vitest'
import { renderContent, type MessageLinks } from './render-message.js'

/** Links that count how often each is signed (read). */
function countingLinks() {
  const signed: string[] = []
  const links: MessageLinks = {
    get unsubscribeUrl() {
      signed.push('unsubscribe')
      return 'https://r.example/m/u/TOKEN'
    },
    get preferencesUrl() {
      signed.push('preferences')
      return 'https://r.example/m/p/TOKEN'
    },
    get pixelUrl() {
      signed.push('pixel')
      return 'https://r.example/m/o/TOKEN'
    },
    track: (url) => `https://r.example/m/c/${encodeURIComponent(url)}`,
  }
  return { links, signed }
}

const scope = { profile: { name: '王芳' }, computed: {}, event: {}, coupon: {} }

describe('rendering a message', () => {
  it('puts the signed unsubscribe and preference links where the template asks for them', async () => {
    const { links, signed } = countingLinks()
    const rendered = await renderContent(
      { channel: 'webhook', body: '{"text": "{{ profile.name }}", "stop": "{{ unsubscribe_url }}", "prefs": "{{ preferences_url }}"}' },
      scope,
      links,
      { from: '' },
    )
    expect(rendered).toMatchObject({
      channel: 'webhook',
      body: { text: '王芳', stop: 'https://r.example/m/u/TOKEN', prefs: 'https://r.example/m/p/TOKEN' },
    })
    expect(signed.sort()).toEqual(['preferences', 'unsubscribe'])
  })

  it('signs no link for a template that uses none', async () => {
    const { links, signed } = countingLinks()
    await renderContent({ channel: 'webhook', body: '{"text": "{{ profile.name }}"}' }, scope, links, { from: '' })
    expect(signed).toEqual([])
  })
})
