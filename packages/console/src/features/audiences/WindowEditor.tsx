import { type EventWindow } from '@reachloop/domain'
import { DatePicker, InputNumber, Select, Space } from 'antd'
import dayjs from 'dayjs'
import { useI18n } from '../../i18n/i18n.js'

/** The window of an event condition: ever, the last N units, or between two instants. */
export function WindowEditor({ window, onChange }: { window: EventWindow; onChange: (w: EventWindow) => void }) {
  const { t } = useI18n()
  return (
    <Space wrap>
      <Select
        style={{ width: 120 }}
        value={window.type}
        onChange={(type: EventWindow['type']) =>
          onChange(
            type === 'ever'
              ? { type }
              : type === 'last'
                ? { type, amount: 30, unit: 'days' }
                : { type, from: dayjs().subtract(30, 'day').toISOString(), to: dayjs().toISOString() },
          )
        }
        options={(['ever', 'last', 'between'] as const).map((v) => ({ value: v, label: t(`cond.window.${v}`) }))}
      />
      {window.type === 'last' && (
        <>
          <InputNumber
            min={1}
            value={window.amount}
            onChange={(v) => onChange({ ...window, amount: v ?? 1 })}
            data-testid="window-amount"
          />
          <Select
            style={{ width: 90 }}
            value={window.unit}
            onChange={(unit: 'minutes' | 'hours' | 'days') => onChange({ ...window, unit })}
            options={(['minutes', 'hours', 'days'] as const).map((u) => ({ value: u, label: t(`cond.unit.${u}`) }))}
          />
        </>
      )}
      {window.type === 'between' && (
        <DatePicker.RangePicker
          showTime
          value={[dayjs(window.from), dayjs(window.to)]}
          onChange={(range) =>
            range?.[0] && range[1] && onChange({ type: 'between', from: range[0].toISOString(), to: range[1].toISOString() })
          }
        />
      )}
    </Space>
  )
}
