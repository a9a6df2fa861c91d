/** The console's messages of quarantine, in Chinese (the default language). */
export const zh = {
  'quarantine.title': '隔离区',
  'quarantine.intro': '入库时被拒的事件保存在这里，可修正后重新入库。',
  'quarantine.replay': '重新入库',
  'quarantine.replayed': '已重新入库',
  'quarantine.edit': '修正并重新入库',
  'quarantine.code': '错误码',
  'quarantine.field': '出错字段',
  'quarantine.index': '请求中的位置',
  'quarantine.request': '请求 ID',
} as const

/** The same messages in English; typed against the Chinese ones, so a missing or extra key does not compile. */
export const en: Record<keyof typeof zh, string> = {
  'quarantine.title': 'Quarantine',
  'quarantine.intro': 'Events refused at ingestion wait here; correct them and ingest them again.',
  'quarantine.replay': 'Ingest again',
  'quarantine.replayed': 'Ingested again',
  'quarantine.edit': 'Correct and ingest',
  'quarantine.code': 'Code',
  'quarantine.field': 'Field',
  'quarantine.index': 'Position in request',
  'quarantine.request': 'Request id',
}
