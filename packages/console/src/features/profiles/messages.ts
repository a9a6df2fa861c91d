import { timelineEn, timelineZh } from './timeline-messages.js'

/** The console's messages of profiles, in Chinese (the default language). */
export const zh = {
  ...timelineZh,
  'profiles.title': '客户',
  'profiles.search': '按手机号、邮箱、用户 ID 等查找',
  'profiles.customer': '客户',
  'profiles.identifiers': '身份标识',
  'profiles.lastSeen': '最近活跃',
  'profiles.firstSeen': '首次出现',
  'profiles.traits': '属性',
  'profiles.merges': '合并记录',
  'profiles.timeline': '时间线',
  'profiles.events': '事件数',
  'profiles.erase': '删除客户数据',
  'profiles.eraseConfirm': '将永久删除该客户的全部数据并阻止其身份标识再次入库（个人信息删除请求）。',
  'profiles.erased': '客户数据已删除',
  'profiles.anonymous': '匿名访客',
  'profiles.identifierValue': '值',
  'profiles.mergedBy': '由 {actor} 手动合并',
  'profiles.mergedByIngestion': '身份识别时自动合并',
  'profiles.mergedProfile': '原档案 {id}',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  ...timelineEn,
  'profiles.title': 'Customers',
  'profiles.search': 'Find by phone, email, user id…',
  'profiles.customer': 'Customer',
  'profiles.identifiers': 'Identifiers',
  'profiles.lastSeen': 'Last seen',
  'profiles.firstSeen': 'First seen',
  'profiles.traits': 'Traits',
  'profiles.merges': 'Merge history',
  'profiles.timeline': 'Timeline',
  'profiles.events': 'Events',
  'profiles.erase': 'Erase customer data',
  'profiles.eraseConfirm':
    'Deletes everything about this customer for good and keeps their identifiers from being ingested again (a personal-data erasure request).',
  'profiles.erased': 'Customer data erased',
  'profiles.anonymous': 'Anonymous visitor',
  'profiles.identifierValue': 'Value',
  'profiles.mergedBy': 'merged by hand by {actor}',
  'profiles.mergedByIngestion': 'merged automatically by identity resolution',
  'profiles.mergedProfile': 'former profile {id}',
}
