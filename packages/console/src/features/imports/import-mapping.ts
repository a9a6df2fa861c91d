import { routes, type Import, type ImportKind, type ImportMapping } from '@reachloop/domain'
import { api } from '../../shared/api.js'

/** The mapping step's form: what the file holds, through which source, and which column is what. */
export interface MappingForm {
  kind: ImportKind
  sourceId: string
  userId?: string
  anonymousId?: string
  eventName?: string
  event?: string
  timestamp?: string
  messageId?: string
  traits?: Array<{ name: string; column: string }>
  properties?: Array<{ name: string; column: string }>
}

/** Sends the file as it is; its name says whether it is CSV or JSON lines. */
export function uploadFile(file: File): Promise<Import> {
  const format = /\.(jsonl|ndjson)$/i.test(file.name) ? 'jsonl' : 'csv'
  const contentType = format === 'csv' ? 'text/csv' : 'application/x-ndjson'
  return api.upload(routes.uploadImport, { query: { format, fileName: file.name }, file, contentType })
}

const pairs = (list: Array<{ name: string; column: string }> | undefined) =>
  Object.fromEntries((list ?? []).filter((p) => p.name && p.column).map((p) => [p.name, p.column]))

/** The mapping the server takes, from the form (empty choices left out, incomplete pairs dropped). */
export const mappingOf = (v: MappingForm): ImportMapping => ({
  ...(v.userId ? { userId: v.userId } : {}),
  ...(v.anonymousId ? { anonymousId: v.anonymousId } : {}),
  ...(v.eventName ? { eventName: v.eventName } : {}),
  ...(v.event ? { event: v.event } : {}),
  ...(v.timestamp ? { timestamp: v.timestamp } : {}),
  ...(v.messageId ? { messageId: v.messageId } : {}),
  traits: pairs(v.traits),
  properties: pairs(v.properties),
})
