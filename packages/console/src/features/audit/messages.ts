import { auditLabelsEn, auditLabelsZh } from './audit-labels.js'

/** The console's messages of audit, in Chinese (the default language). */
export const zh = {
  ...auditLabelsZh,
  'audit.title': '审计日志',
  'audit.time': '时间',
  'audit.actor': '操作人',
  'audit.action': '动作',
  'audit.entity': '对象',
  'audit.before': '变更前',
  'audit.after': '变更后',
  'audit.filterAction': '按动作代码筛选，如 user.create',
  'audit.filterEntity': '对象类型',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  ...auditLabelsEn,
  'audit.title': 'Audit log',
  'audit.time': 'Time',
  'audit.actor': 'Who',
  'audit.action': 'Action',
  'audit.entity': 'Object',
  'audit.before': 'Before',
  'audit.after': 'After',
  'audit.filterAction': 'Filter by action, e.g. user.create',
  'audit.filterEntity': 'Object type',
}
