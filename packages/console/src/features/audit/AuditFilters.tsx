import { DatePicker, Flex, Input } from 'antd'
import type { Dayjs } from 'dayjs'
import type { Dispatch, SetStateAction } from 'react'
import { useI18n } from '../../i18n/i18n.js'

/** What the audit log is narrowed to: an action, an entity type, a time range. */
export interface AuditFilter {
  action?: string
  entityType?: string
  range?: [Dayjs | null, Dayjs | null] | null
}

/** The filters above the audit log. */
export function AuditFilters({ onChange }: { onChange: Dispatch<SetStateAction<AuditFilter>> }) {
  const { t } = useI18n()
  return (
    <Flex gap={12} wrap style={{ marginBottom: 16 }}>
      <Input.Search
        allowClear
        placeholder={t('audit.filterAction')}
        style={{ width: 260 }}
        data-testid="audit-filter-action"
        onSearch={(action) => onChange((f) => ({ ...f, action: action.trim() }))}
      />
      <Input.Search
        allowClear
        placeholder={t('audit.filterEntity')}
        style={{ width: 180 }}
        onSearch={(entityType) => onChange((f) => ({ ...f, entityType: entityType.trim() }))}
      />
      <DatePicker.RangePicker showTime onChange={(range) => onChange((f) => ({ ...f, range }))} />
    </Flex>
  )
}
