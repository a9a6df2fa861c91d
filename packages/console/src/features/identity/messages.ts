/** The console's messages of identity, in Chinese (the default language). */
export const zh = {
  'identity.title': '身份标识规则',
  'identity.intro': '事件携带多个客户的标识时会合并这些客户；若合并会超过某类标识的上限，优先级最低的标识不参与匹配并记录原因。',
  'identity.type': '标识类型',
  'identity.priority': '优先级',
  'identity.max': '每个客户上限',
  'identity.blocked': '不参与匹配的值',
  'identity.custom': '自定义',
  'identity.standard': '标准',
  'identity.add': '添加自定义类型',
  'identity.edit': '编辑',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'identity.title': 'Identifier rules',
  'identity.intro':
    "An event that carries identifiers of several customers merges them; when a merge would pass a type's limit, the lowest-priority identifier leaves the match and the refusal is recorded.",
  'identity.type': 'Identifier type',
  'identity.priority': 'Priority',
  'identity.max': 'Limit per customer',
  'identity.blocked': 'Values never matched',
  'identity.custom': 'Custom',
  'identity.standard': 'Standard',
  'identity.add': 'Add custom type',
  'identity.edit': 'Edit',
}
