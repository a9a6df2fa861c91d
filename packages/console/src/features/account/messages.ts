/** The console's messages of the signed-in user's own account and of the shell's navigation, in Chinese (the default language). */
export const zh = {
  'account.changePassword': '修改密码',
  'account.currentPassword': '当前密码',
  'account.newPassword': '新密码',
  'account.confirmPassword': '再次输入新密码',
  'account.passwordRule': '至少 8 个字符',
  'account.passwordsDiffer': '两次输入的新密码不一致',
  'account.passwordChanged': '密码已修改，其他设备上的登录已退出',
  'account.menu': '菜单',
  'error.WRONG_PASSWORD': '当前密码不正确。',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'account.changePassword': 'Change password',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.confirmPassword': 'New password again',
  'account.passwordRule': 'At least 8 characters',
  'account.passwordsDiffer': 'The two new passwords differ',
  'account.passwordChanged': 'Password changed; sessions on other devices were signed out',
  'account.menu': 'Menu',
  'error.WRONG_PASSWORD': 'The current password is wrong.',
}
