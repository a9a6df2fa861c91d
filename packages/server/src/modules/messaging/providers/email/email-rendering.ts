import mjml2html from 'mjml'

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

/**
 * Zero-width non-joiners and non-breaking spaces after the preheader fill the inbox preview, so the
 * client does not pull the body's first words in after it.
 */
const PREVIEW_FILLER = '&#847;&zwnj;&nbsp;'.repeat(60)

/**
 * The HTML with the preheader (the inbox's preview line) as a hidden block right after `<body>`, or
 * at the very start when there is no body tag. An empty preheader leaves the HTML as it is.
 *
 * @example
 * withPreheader('<html><body><p>Hi</p></body></html>', 'Spring offers inside')
 * // '<html><body><div style="display:none;…">Spring offers inside&#847;&zwnj;&nbsp;…</div><p>Hi</p></body></html>'
 */
export function withPreheader(html: string, preheader: string): string {
  if (preheader.trim() === '') return html
  const block =
    '<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;color:transparent;">' +
    `${escapeHtml(preheader)}${PREVIEW_FILLER}</div>`
  const body = /<body\b[^>]*>/i.exec(html)
  if (!body) return block + html
  const at = body.index + body[0].length
  return html.slice(0, at) + block + html.slice(at)
}

/**
 * MJML to email HTML. MJML 5 renders asynchronously. Validation is soft: the HTML comes back with
 * the errors beside it (an unknown tag, a misplaced attribute) for the editor to show.
 * `mj-include` is ignored, so a template can never read files from the server.
 *
 * @example
 * const { html, errors } = await mjmlToHtml('<mjml><mj-body><mj-text>Hi</mj-text></mj-body></mjml>')
 */
export async function mjmlToHtml(mjml: string): Promise<{ html: string; errors: Array<{ line: number; message: string }> }> {
  try {
    const result = await mjml2html(mjml, { validationLevel: 'soft', ignoreIncludes: true, keepComments: false })
    return { html: result.html, errors: result.errors.map((error) => ({ line: error.line, message: error.message })) }
  } catch (error) {
    // Malformed markup (MJML's parser gives up) is the author's error, reported like the others.
    return { html: '', errors: [{ line: 0, message: error instanceof Error ? error.message : String(error) }] }
  }
}
