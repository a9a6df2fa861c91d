import { STANDARD_EVENTS, type EventMatch, type PropertyFilter } from '@reachloop/domain'
import { Button, Input, Select, Space, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { ValueTestEditor } from './ValueTestEditor.js'

const EVENT_NAMES = Object.keys(STANDARD_EVENTS)

/** Which events a condition counts: the event name and filters on its properties. */
export function EventMatchEditor({ match, onChange }: { match: EventMatch; onChange: (m: EventMatch) => void }) {
  const { t } = useI18n()
  const setFilter = (i: number, f: PropertyFilter | null) =>
    onChange({ ...match, filters: f ? match.filters.map((x, k) => (k === i ? f : x)) : match.filters.filter((_, k) => k !== i) })
  return (
    <Space direction="vertical" size={4}>
      <Select
        showSearch
        style={{ width: 240 }}
        value={match.event}
        onChange={(event: string) => onChange({ ...match, event })}
        options={[...new Set([...EVENT_NAMES, match.event])].map((e) => ({ value: e, label: e }))}
        data-testid="cond-event"
      />
      {match.filters.map((f, i) => (
        <Space key={i} wrap>
          <Typography.Text type="secondary">{t('cond.property')}</Typography.Text>
          <Input
            style={{ width: 130 }}
            value={f.property}
            onChange={(e) => setFilter(i, { ...f, property: e.target.value })}
            data-testid="filter-property"
          />
          <ValueTestEditor test={f} onChange={(next) => setFilter(i, next)} />
          <Button size="small" type="link" onClick={() => setFilter(i, null)}>
            {t('segments.remove')}
          </Button>
        </Space>
      ))}
      <Button
        size="small"
        type="dashed"
        onClick={() => onChange({ ...match, filters: [...match.filters, { property: 'city', type: 'string', op: 'equals', value: '' }] })}
        data-testid="add-filter"
      >
        {t('cond.addFilter')}
      </Button>
    </Space>
  )
}
