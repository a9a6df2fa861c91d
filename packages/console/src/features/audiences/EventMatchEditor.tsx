import { type EventMatch, type PropertyFilter } from '@reachloop/domain'
import { Button, Space, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { EventNamePicker, PropertyNamePicker } from './CataloguePickers.js'
import { ValueTestEditor } from './ValueTestEditor.js'

/** Which events a condition counts: the event name and filters on its properties, picked from the catalogue. */
export function EventMatchEditor({ match, onChange }: { match: EventMatch; onChange: (m: EventMatch) => void }) {
  const { t } = useI18n()
  const setFilter = (i: number, f: PropertyFilter | null) =>
    onChange({ ...match, filters: f ? match.filters.map((x, k) => (k === i ? f : x)) : match.filters.filter((_, k) => k !== i) })
  return (
    <Space direction="vertical" size={4}>
      <EventNamePicker value={match.event} onChange={(event) => onChange({ ...match, event })} />
      {match.filters.map((f, i) => (
        <Space key={i} wrap>
          <Typography.Text type="secondary">{t('cond.property')}</Typography.Text>
          <PropertyNamePicker event={match.event} value={f.property} onChange={(property) => setFilter(i, { ...f, property })} />
          <ValueTestEditor test={f} onChange={(next) => setFilter(i, next)} suggest={{ event: match.event, name: f.property }} />
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
