/** The console's messages of users, in Chinese (the default language). */
export const zh = {
  'users.title': '用户与角色',
  'users.add': '添加用户',
  'users.lastLogin': '最近登录',
  'users.disabled': '已停用',
  'users.active': '正常',
  'users.status': '状态',
  'users.disable': '停用',
  'users.enable': '启用',
  'users.remove': '移除',
  'users.removeConfirm': '确定将该用户移出工作空间？其在此空间的 API 令牌也会失效。',
  'users.passwordHint': '新用户必填；已有账号的用户可留空',
  'users.roles': '角色与权限',
  'users.permissions': '权限',
  'users.added': '用户已添加',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'users.title': 'Users & roles',
  'users.add': 'Add user',
  'users.lastLogin': 'Last sign-in',
  'users.disabled': 'Disabled',
  'users.active': 'Active',
  'users.status': 'Status',
  'users.disable': 'Disable',
  'users.enable': 'Enable',
  'users.remove': 'Remove',
  'users.removeConfirm': 'Remove this user from the workspace? Their API tokens here stop working too.',
  'users.passwordHint': 'Required for a new user; leave empty for someone who has an account',
  'users.roles': 'Roles and permissions',
  'users.permissions': 'Permissions',
  'users.added': 'User added',
}
