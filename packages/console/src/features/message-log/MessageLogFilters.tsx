import { CHANNELS, MESSAGE_STATUSES, routes, type Channel, type MessageStatus } from '@reachloop/domain'
import { Input, Select, Space, Tag } from 'antd'
import { useSearchParams } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { useCall } from '../../shared/use-load.js'
import { channelName } from './message-words.js'

/** What the log is narrowed to; kept in the query string, so a link (from a broadcast) opens it filtered. */
export interface MessageFilter {
  status?: MessageStatus
  channel?: Channel
  templateId?: string
  broadcastId?: string
  profileId?: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined
const id = (value: string | null) => (value && UUID.test(value) ? value : undefined)

/** The filter in the page's query string, and how to change one of its parts. */
export function useMessageFilter(): [MessageFilter, (change: Partial<Record<keyof MessageFilter, string | undefined>>) => void] {
  const [params, setParams] = useSearchParams()
  const filter: MessageFilter = {
    ...(pick(params.get('status'), MESSAGE_STATUSES) ? { status: pick(params.get('status'), MESSAGE_STATUSES)! } : {}),
    ...(pick(params.get('channel'), CHANNELS) ? { channel: pick(params.get('channel'), CHANNELS)! } : {}),
    ...(id(params.get('templateId')) ? { templateId: id(params.get('templateId'))! } : {}),
    ...(id(params.get('broadcastId')) ? { broadcastId: id(params.get('broadcastId'))! } : {}),
    ...(id(params.get('profileId')) ? { profileId: id(params.get('profileId'))! } : {}),
  }
  const change = (next: Partial<Record<keyof MessageFilter, string | undefined>>) =>
    setParams(
      (previous) => {
        const merged = new URLSearchParams(previous)
        for (const [key, value] of Object.entries(next)) {
          if (value) merged.set(key, value)
          else merged.delete(key)
        }
        return merged
      },
      { replace: true },
    )
  return [filter, change]
}

/** Status, channel, template and customer filters, and the broadcast the log is narrowed to (from its link). */
export function MessageLogFilters({
  filter,
  onChange,
}: {
  filter: MessageFilter
  onChange: (change: Partial<Record<keyof MessageFilter, string | undefined>>) => void
}) {
  const { t } = useI18n()
  const templates = useCall(routes.listTemplates, {})
  const broadcasts = useCall(routes.listBroadcasts, {})
  const broadcastName = broadcasts.data?.items.find((b) => b.id === filter.broadcastId)?.name ?? filter.broadcastId?.slice(0, 8)
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Select
        allowClear
        style={{ width: 150 }}
        placeholder={t('messageLog.anyStatus')}
        value={filter.status}
        onChange={(status?: string) => onChange({ status })}
        options={MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`messageLog.status.${s}`) }))}
        data-testid="filter-status"
      />
      <Select
        allowClear
        style={{ width: 170 }}
        placeholder={t('messageLog.anyChannel')}
        value={filter.channel}
        onChange={(channel?: string) => onChange({ channel })}
        options={CHANNELS.map((c) => ({ value: c, label: channelName(c, t) }))}
        data-testid="filter-channel"
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: 220 }}
        placeholder={t('messageLog.anyTemplate')}
        value={filter.templateId}
        onChange={(templateId?: string) => onChange({ templateId })}
        options={(templates.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
        data-testid="filter-template"
      />
      <Input.Search
        allowClear
        style={{ width: 320 }}
        placeholder={t('messageLog.profileId')}
        defaultValue={filter.profileId}
        onSearch={(value) => onChange({ profileId: value.trim() || undefined })}
        data-testid="filter-profile"
      />
      {filter.broadcastId && (
        <Tag closable color="purple" onClose={() => onChange({ broadcastId: undefined })} data-testid="filter-broadcast">
          {t('messageLog.ofBroadcast', { name: broadcastName ?? '' })}
        </Tag>
      )}
    </Space>
  )
}
