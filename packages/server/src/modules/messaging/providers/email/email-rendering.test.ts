import { describe, expect, it } from 'vitest'
import { mjmlToHtml, withPreheader } from './email-rendering.js'

const HIDDEN = /<div style="display:none;[^"]*">/

describe('withPreheader', () => {
  it('puts the hidden preheader right after the body tag, keeping its attributes', () => {
    const html = withPreheader('<html><head></head><body class="x" style="margin:0"><p>Hi</p></body></html>', 'Spring offers inside')
    expect(html.startsWith('<html><head></head><body class="x" style="margin:0"><div style="display:none;')).toBe(true)
    expect(html).toMatch(/mso-hide:all;[^"]*">Spring offers inside(&#847;&zwnj;&nbsp;)+<\/div><p>Hi<\/p><\/body><\/html>$/)
  })

  it('puts it at the start of a fragment without a body tag', () => {
    const html = withPreheader('<p>Hi</p>', 'Preview')
    expect(html).toMatch(HIDDEN)
    expect(html.indexOf('<div')).toBe(0)
    expect(html.endsWith('</div><p>Hi</p>')).toBe(true)
  })

  it('escapes the preheader as text', () => {
    expect(withPreheader('<body></body>', '<b>30% & more</b>')).toContain('&lt;b&gt;30% &amp; more&lt;/b&gt;&#847;')
  })

  it('leaves the HTML alone when there is no preheader', () => {
    expect(withPreheader('<body><p>Hi</p></body>', '  ')).toBe('<body><p>Hi</p></body>')
  })
})

describe('mjmlToHtml', () => {
  it('renders MJML to a responsive HTML document', async () => {
    const { html, errors } = await mjmlToHtml(
      '<mjml><mj-body><mj-section><mj-column><mj-text font-size="18px">Hello Li Lei</mj-text></mj-column></mj-section></mj-body></mjml>',
    )
    expect(errors).toEqual([])
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('Hello Li Lei')
    expect(html).toContain('font-size:18px')
  })

  it('reports an unknown tag with its line, still rendering the rest', async () => {
    const { html, errors } = await mjmlToHtml(
      '<mjml>\n<mj-body>\n<mj-column>\n<mj-text>Hi</mj-text>\n<mj-bogus />\n</mj-column>\n</mj-body>\n</mjml>',
    )
    expect(errors).toContainEqual({ line: 5, message: "Element mj-bogus doesn't exist or is not registered" })
    expect(html).toContain('Hi')
  })

  it('reports markup MJML cannot parse as an error, not a crash', async () => {
    expect(await mjmlToHtml('not mjml at all')).toEqual({ html: '', errors: [{ line: 0, message: 'Parsing failed. Check your mjml.' }] })
  })

  it('does not read files named by mj-include', async () => {
    const { html } = await mjmlToHtml('<mjml><mj-body><mj-include path="/etc/passwd" /><mj-text>Hi</mj-text></mj-body></mjml>')
    expect(html).not.toContain('root:')
  })
})
