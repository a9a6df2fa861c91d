/** The console's messages of tags, in Chinese (the default language). */
export const zh = {
  'tags.title': '标签',
  'tags.groups': '标签组',
  'tags.newGroup': '新建标签组',
  'tags.exclusive': '互斥（每人只有一个）',
  'tags.new': '新建标签',
  'tags.group': '所属组',
  'tags.kind.manual': '手动',
  'tags.kind.rule': '规则',
  'tags.apply': '打标签',
  'tags.untag': '去掉标签',
  'tags.applied': '已更新 {changed} 人，未找到 {unknown}',
  'tags.ruleHint': '规则标签按条件自动计算，在人群页面用同样的构建器编辑条件',
  'tags.history': '人群与标签记录',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'tags.title': 'Tags',
  'tags.groups': 'Tag groups',
  'tags.newGroup': 'New group',
  'tags.exclusive': 'Exclusive (one per profile)',
  'tags.new': 'New tag',
  'tags.group': 'Group',
  'tags.kind.manual': 'Manual',
  'tags.kind.rule': 'Rule',
  'tags.apply': 'Tag people',
  'tags.untag': 'Untag',
  'tags.applied': '{changed} changed, {unknown} not found',
  'tags.ruleHint': 'A rule tag is computed from conditions, built with the segment builder',
  'tags.history': 'Segment and tag history',
}
