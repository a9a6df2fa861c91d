/** The console's messages of messaging (templates, providers, consent and rules), in Chinese (the default language). */
export const zh = {
  'nav.messaging': '触达',
  'nav.templates': '模板',
  'nav.providers': '通道',
  'nav.messagingSettings': '订阅与规则',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'nav.messaging': 'Messaging',
  'nav.templates': 'Templates',
  'nav.providers': 'Providers',
  'nav.messagingSettings': 'Consent & rules',
}
