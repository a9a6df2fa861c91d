/** The console's messages of auth, in Chinese (the default language). */
export const zh = {
  'setup.title': '欢迎使用 Reachloop',
  'setup.intro': '首次运行：创建第一个所有者账号和工作空间。',
  'setup.submit': '创建并进入',
  'login.title': '登录',
  'login.submit': '登录',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'setup.title': 'Welcome to Reachloop',
  'setup.intro': 'First run: create the first owner and workspace.',
  'setup.submit': 'Create and start',
  'login.title': 'Sign in',
  'login.submit': 'Sign in',
}
