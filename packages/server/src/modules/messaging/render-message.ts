import { smsText, type TemplateContent } from '@reachloop/domain'
import { Liquid, type Template } from 'liquidjs'
import { withPreheader } from './providers/email/email-rendering.js'
import type { RenderedMessage } from './providers/provider-adapter.js'

/**
 * Renders a template's content for one profile with Liquid (liquidjs). Variables: `profile.*`
 * (its id and traits), `computed.*` (computed properties by name), `event.*` (the triggering
 * event's properties), `coupon.*` (a coupon granted for this send), `unsubscribe_url` and
 * `preferences_url`; the `link` filter turns a URL into a signed, click-tracked one.
 */
export interface RenderScope {
  profile: Record<string, unknown>
  computed: Record<string, unknown>
  event: Record<string, unknown>
  coupon: Record<string, unknown>
}

/** The message's own links, signed by the caller (tracking-links.ts). */
export interface MessageLinks {
  unsubscribeUrl: string
  preferencesUrl: string
  /** A signed redirect through the click tracker to `url`. */
  track(url: string): string
  /** The open-tracking pixel (email only). */
  pixelUrl: string
}

/** The variables a template may use at the top level; anything else is reported missing. */
export const SCOPE_ROOTS = ['profile', 'computed', 'event', 'coupon', 'unsubscribe_url', 'preferences_url'] as const
/** The coupon fields the coupons module fills. */
export const COUPON_FIELDS = ['code', 'face_value', 'expires_at', 'name'] as const

const engine = new Liquid({ cache: 500, strictFilters: true, ownPropertyOnly: true, outputEscape: undefined })
const htmlEngine = new Liquid({ cache: 500, strictFilters: true, ownPropertyOnly: true, outputEscape: 'escape' })
for (const e of [engine, htmlEngine]) {
  // The `link` filter is given per render (it signs with the message's id): registered as a passthrough here, replaced in scope.
  e.registerFilter('link', function (this: { context: { get(path: string[]): unknown } }, url: unknown) {
    const track = this.context.get(['__track']) as ((url: string) => string) | undefined
    return track ? track(String(url)) : String(url)
  })
}

export class RenderError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`)
  }
}

/** Parsed templates by engine and text: a broadcast renders one template for every customer. */
const parsedCache = new Map<string, Template[]>()
function parsed(e: Liquid, html: boolean, text: string): Template[] {
  const key = `${html ? 'h' : 't'}\u0000${text}`
  let hit = parsedCache.get(key)
  if (!hit) {
    hit = e.parse(text)
    if (parsedCache.size >= 500) parsedCache.delete(parsedCache.keys().next().value ?? '')
    parsedCache.set(key, hit)
  }
  return hit
}

async function render(text: string, field: string, scope: object, html = false): Promise<string> {
  const e = html ? htmlEngine : engine
  let templates: Template[]
  try {
    templates = parsed(e, html, text)
  } catch (error) {
    throw new RenderError(field, (error as Error).message)
  }
  try {
    return await e.render(templates, scope)
  } catch (error) {
    throw new RenderError(field, (error as Error).message)
  }
}

/** Every Liquid string of a content, with the field it sits in (for checks and errors that say where). */
export function liquidFields(content: TemplateContent): Array<{ field: string; text: string; html?: boolean }> {
  switch (content.channel) {
    case 'email':
      return [
        { field: 'subject', text: content.subject },
        { field: 'preheader', text: content.preheader },
        { field: 'body', text: content.body, html: true },
        { field: 'text', text: content.text },
      ]
    case 'sms':
      return content.params.map((p, i) => ({ field: `params[${i}].value`, text: p.value }))
    case 'wechat':
      return [
        ...content.data.map((d, i) => ({ field: `data[${i}].value`, text: d.value })),
        ...(content.url ? [{ field: 'url', text: content.url }] : []),
        ...(content.miniprogram ? [{ field: 'miniprogram.pagepath', text: content.miniprogram.pagepath }] : []),
      ]
    case 'miniprogram':
      return [
        ...content.data.map((d, i) => ({ field: `data[${i}].value`, text: d.value })),
        ...(content.page ? [{ field: 'page', text: content.page }] : []),
      ]
    case 'wecom':
      return [{ field: 'text', text: content.text }]
    case 'push':
      return [
        { field: 'title', text: content.title },
        { field: 'body', text: content.body },
        ...(content.deepLink ? [{ field: 'deepLink', text: content.deepLink }] : []),
        ...(content.data ?? []).map((d, i) => ({ field: `data[${i}].value`, text: d.value })),
      ]
    case 'webhook':
      return [{ field: 'body', text: content.body }]
  }
}

/** A variable a template uses, as `root.path` (e.g. `profile.first_name`), with the field it is in. */
export interface UsedVariable {
  path: string
  field: string
}

/** The variables each field uses, or the first syntax error with its field. */
export function usedVariables(content: TemplateContent): { variables: UsedVariable[] } | { syntaxError: RenderError } {
  const variables: UsedVariable[] = []
  for (const { field, text } of liquidFields(content)) {
    try {
      for (const segments of engine.globalVariableSegmentsSync(text)) {
        const path = segments.map(String).slice(0, 2).join('.')
        if (!variables.some((v) => v.path === path && v.field === field)) variables.push({ path, field })
      }
    } catch (error) {
      return { syntaxError: new RenderError(field, (error as Error).message) }
    }
  }
  return { variables }
}

const stripTags = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim()

/** Points every http(s) link of the HTML at the click tracker (links already tracked, mailto: and tel: stay). */
export function trackLinks(html: string, track: (url: string) => string): string {
  return html.replace(/(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi, (_whole, before: string, quote: string, url: string) => {
    const decoded = url.replace(/&amp;/g, '&')
    return `${before}${quote}${track(decoded).replace(/&/g, '&amp;')}${quote}`
  })
}

/** The hidden preheader, the open pixel and tracked links, put into a rendered HTML body. */
function finishEmailHtml(html: string, preheader: string, links: MessageLinks): string {
  const pixel = `<img src="${links.pixelUrl}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`
  const out = withPreheader(trackLinks(html, links.track), preheader)
  return /<\/body>/i.test(out) ? out.replace(/<\/body>/i, `${pixel}</body>`) : `${out}${pixel}`
}

type Render = (text: string, field: string, html?: boolean) => Promise<string>

/** An email: subject, preheader, HTML (from MJML when so written) with pixel and tracked links, a text part, unsubscribe headers. */
async function renderEmail(
  content: Extract<TemplateContent, { channel: 'email' }>,
  r: Render,
  links: MessageLinks,
  options: RenderOptions,
): Promise<RenderedMessage> {
  const source = await r(content.body, 'body', content.format === 'html')
  const body = content.format === 'mjml' && options.mjml ? await options.mjml(source) : source
  const preheader = await r(content.preheader, 'preheader')
  const text = content.text.trim() ? await r(content.text, 'text') : stripTags(body)
  return {
    channel: 'email',
    from: content.from || options.from,
    ...(content.replyTo ? { replyTo: content.replyTo } : {}),
    subject: await r(content.subject, 'subject'),
    preheader,
    html: finishEmailHtml(body, preheader, links),
    text: `${text}\n\n${links.unsubscribeUrl}`,
    headers: { 'List-Unsubscribe': `<${links.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }
}

export interface RenderOptions {
  /** The sender when the template names none (the account's default). */
  from: string
  /** Compiles MJML to HTML (email with format `mjml`). */
  mjml?: (source: string) => Promise<string>
}

/** Renders a content for one profile; a Liquid error or a webhook body that is not JSON throws a RenderError naming its field. */
export async function renderContent(
  content: TemplateContent,
  scope: RenderScope,
  links: MessageLinks,
  options: RenderOptions,
): Promise<RenderedMessage> {
  // Getters: a link is signed only when the template uses it (most SMS and webhook bodies use none).
  const vars = {
    ...scope,
    get unsubscribe_url() {
      return links.unsubscribeUrl
    },
    get preferences_url() {
      return links.preferencesUrl
    },
    __track: links.track,
  }
  const r = (text: string, field: string, html = false) => render(text, field, vars, html)
  const fields = async (list: ReadonlyArray<{ key: string; value: string }>, name: string) => {
    const out: Record<string, { value: string }> = {}
    for (const [i, d] of list.entries()) out[d.key] = { value: await r(d.value, `${name}[${i}].value`) }
    return out
  }
  switch (content.channel) {
    case 'email':
      return renderEmail(content, r, links, options)
    case 'sms': {
      const params: Array<{ name: string; value: string }> = []
      for (const [i, p] of content.params.entries()) params.push({ name: p.key, value: await r(p.value, `params[${i}].value`) })
      return {
        channel: 'sms',
        templateCode: content.templateCode,
        signName: content.signName,
        params,
        text: smsText(content.signName, content.text, params),
      }
    }
    case 'wechat':
      return {
        channel: 'wechat',
        templateId: content.templateId,
        data: await fields(content.data, 'data'),
        ...(content.url ? { url: await r(content.url, 'url') } : {}),
        ...(content.miniprogram
          ? { miniprogram: { appid: content.miniprogram.appid, pagepath: await r(content.miniprogram.pagepath, 'miniprogram.pagepath') } }
          : {}),
      }
    case 'miniprogram':
      return {
        channel: 'miniprogram',
        templateId: content.templateId,
        data: await fields(content.data, 'data'),
        ...(content.page ? { page: await r(content.page, 'page') } : {}),
        ...(content.state ? { state: content.state } : {}),
      }
    case 'wecom':
      return { channel: 'wecom', kind: content.kind, text: await r(content.text, 'text') }
    case 'push': {
      const data: Record<string, string> = {}
      for (const [i, d] of (content.data ?? []).entries()) data[d.key] = await r(d.value, `data[${i}].value`)
      return {
        channel: 'push',
        title: await r(content.title, 'title'),
        body: await r(content.body, 'body'),
        ...(content.deepLink ? { deepLink: await r(content.deepLink, 'deepLink') } : {}),
        ...(content.badge !== undefined ? { badge: content.badge } : {}),
        ...(content.data ? { data } : {}),
        ...(content.android ? { android: content.android } : {}),
        ...(content.ios ? { ios: content.ios } : {}),
      }
    }
    case 'webhook': {
      const text = await r(content.body, 'body')
      try {
        return { channel: 'webhook', body: JSON.parse(text) as unknown }
      } catch (error) {
        throw new RenderError('body', `does not render to JSON (${(error as Error).message})`)
      }
    }
  }
}
