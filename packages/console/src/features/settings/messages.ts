/** The console's messages of settings, in Chinese (the default language). */
export const zh = {
  'settings.title': '工作空间设置',
  'settings.timeZone': '时区',
  'settings.currency': '货币',
  'settings.locale': '语言',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'settings.title': 'Workspace settings',
  'settings.timeZone': 'Time zone',
  'settings.currency': 'Currency',
  'settings.locale': 'Language',
}
