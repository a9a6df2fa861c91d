/**
 * The hosted unsubscribe and preference pages: small server-rendered HTML in Chinese or English
 * (by `?lang=` or Accept-Language), with no script, so they work in any mail client's browser.
 */
export type PageLang = 'zh' | 'en'

export function pageLang(query: unknown, acceptLanguage: string | undefined): PageLang {
  const q = (query as { lang?: unknown } | undefined)?.lang
  if (q === 'zh' || q === 'en') return q
  return /^\s*zh/i.test(acceptLanguage ?? '') ? 'zh' : acceptLanguage ? 'en' : 'zh'
}

const TEXT = {
  zh: {
    title: '订阅设置',
    unsubscribeQuestion: (group: string) => `不再接收「${group}」？`,
    unsubscribeButton: '退订',
    unsubscribed: (group: string) => `已退订「${group}」。`,
    manage: '管理全部订阅',
    preferences: '选择你愿意接收的消息',
    save: '保存',
    saved: '已保存。',
    invalid: '链接无效或已过期。',
  },
  en: {
    title: 'Subscription preferences',
    unsubscribeQuestion: (group: string) => `Stop receiving “${group}”?`,
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: (group: string) => `You are unsubscribed from “${group}”.`,
    manage: 'Manage all subscriptions',
    preferences: 'Choose the messages you want to receive',
    save: 'Save',
    saved: 'Saved.',
    invalid: 'This link is not valid.',
  },
} as const

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function page(lang: PageLang, body: string): string {
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${TEXT[lang].title}</title><style>body{font-family:system-ui,-apple-system,"Noto Sans CJK SC",sans-serif;max-width:480px;margin:48px auto;padding:0 16px;color:#1f1f1f}
button{background:#1677ff;color:#fff;border:0;border-radius:6px;padding:8px 20px;font-size:15px;cursor:pointer}label{display:block;margin:10px 0}a{color:#1677ff}</style></head>
<body><h1 style="font-size:20px">${TEXT[lang].title}</h1>${body}</body></html>`
}

export const invalidPage = (lang: PageLang) => page(lang, `<p>${TEXT[lang].invalid}</p>`)

export function unsubscribePage(lang: PageLang, groupName: string, action: string, preferencesUrl: string): string {
  const t = TEXT[lang]
  return page(
    lang,
    `<p>${escape(t.unsubscribeQuestion(groupName))}</p><form method="post" action="${escape(action)}"><button type="submit" name="confirm" value="1">${t.unsubscribeButton}</button></form><p><a href="${escape(preferencesUrl)}">${t.manage}</a></p>`,
  )
}

export function unsubscribedPage(lang: PageLang, groupName: string, preferencesUrl: string): string {
  const t = TEXT[lang]
  return page(lang, `<p>${escape(t.unsubscribed(groupName))}</p><p><a href="${escape(preferencesUrl)}">${t.manage}</a></p>`)
}

export function preferencesPage(
  lang: PageLang,
  action: string,
  groups: ReadonlyArray<{ id: string; name: string; reachable: boolean }>,
  saved: boolean,
): string {
  const t = TEXT[lang]
  const boxes = groups
    .map((g) => `<label><input type="checkbox" name="g" value="${escape(g.id)}"${g.reachable ? ' checked' : ''}> ${escape(g.name)}</label>`)
    .join('')
  return page(
    lang,
    `${saved ? `<p>${t.saved}</p>` : ''}<p>${t.preferences}</p><form method="post" action="${escape(action)}">${boxes}<input type="hidden" name="sent" value="1"><p><button type="submit">${t.save}</button></p></form>`,
  )
}
