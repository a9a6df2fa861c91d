/** The console's messages of tokens, in Chinese (the default language). */
export const zh = {
  'tokens.title': 'API 令牌',
  'tokens.create': '创建令牌',
  'tokens.prefix': '前缀',
  'tokens.lastUsed': '最近使用',
  'tokens.createdAt': '创建时间',
  'tokens.revoke': '吊销',
  'tokens.revokeConfirm': '吊销后使用该令牌的脚本将立即失效。',
  'tokens.secretTitle': '请立即复制令牌',
  'tokens.secretHint': '令牌只显示这一次，服务器只保存其哈希。',
  'tokens.copy': '复制',
  'tokens.copied': '已复制',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'tokens.title': 'API tokens',
  'tokens.create': 'Create token',
  'tokens.prefix': 'Prefix',
  'tokens.lastUsed': 'Last used',
  'tokens.createdAt': 'Created',
  'tokens.revoke': 'Revoke',
  'tokens.revokeConfirm': 'Scripts using this token stop working at once.',
  'tokens.secretTitle': 'Copy the token now',
  'tokens.secretHint': 'It is shown only this once; the server keeps only its hash.',
  'tokens.copy': 'Copy',
  'tokens.copied': 'Copied',
}
