import type { BroadcastSchedule } from '@reachloop/domain'
import { Checkbox, DatePicker, Form, InputNumber, Radio, TimePicker } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useI18n } from '../../i18n/i18n.js'
import { weekdayKey, WEEKDAYS_MONDAY_FIRST } from './schedule-words.js'

/** The schedule part of the new-broadcast form, as its fields hold it. */
export interface ScheduleValues {
  kind: BroadcastSchedule['kind']
  at?: Dayjs
  time?: Dayjs
  weekdays?: number[]
  dayOfMonth?: number
}

/** The schedule the fields describe (the form's rules have made sure what each kind needs is there). */
export function scheduleOf(values: ScheduleValues): BroadcastSchedule {
  const time = values.time?.format('HH:mm') ?? '09:00'
  switch (values.kind) {
    case 'now':
      return { kind: 'now' }
    case 'once':
      return { kind: 'once', at: (values.at ?? dayjs()).toISOString() }
    case 'daily':
      return { kind: 'daily', time }
    case 'weekly':
      return { kind: 'weekly', time, weekdays: values.weekdays ?? [1] }
    case 'monthly':
      return { kind: 'monthly', time, dayOfMonth: values.dayOfMonth ?? 1 }
  }
}

const KINDS = ['now', 'once', 'daily', 'weekly', 'monthly'] as const

/** When to send: now, once at a date and time, or every day, week (on chosen weekdays) or month (on a day). */
export function ScheduleFields({ kind, atHelp }: { kind: ScheduleValues['kind']; atHelp: string | undefined }) {
  const { t } = useI18n()
  return (
    <>
      <Form.Item name="kind" label={t('broadcasts.schedule')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={KINDS.map((k) => ({ value: k, label: t(`broadcasts.kind.${k}`) }))}
          data-testid="broadcast-schedule-kind"
        />
      </Form.Item>
      {kind === 'once' && (
        <Form.Item
          name="at"
          label={t('broadcasts.at')}
          rules={[{ required: true }]}
          {...(atHelp ? { validateStatus: 'error' as const, help: atHelp } : {})}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="broadcast-at" />
        </Form.Item>
      )}
      {(kind === 'daily' || kind === 'weekly' || kind === 'monthly') && (
        <Form.Item name="time" label={t('broadcasts.timeOfDay')} rules={[{ required: true }]}>
          <TimePicker format="HH:mm" minuteStep={5} data-testid="broadcast-time" />
        </Form.Item>
      )}
      {kind === 'weekly' && (
        <Form.Item name="weekdays" label={t('broadcasts.weekdays')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group
            options={WEEKDAYS_MONDAY_FIRST.map((d) => ({ value: d, label: t(weekdayKey(d)) }))}
            data-testid="broadcast-weekdays"
          />
        </Form.Item>
      )}
      {kind === 'monthly' && (
        <Form.Item name="dayOfMonth" label={t('broadcasts.dayOfMonth')} extra={t('broadcasts.dayOfMonthHint')} rules={[{ required: true }]}>
          <InputNumber min={1} max={31} precision={0} data-testid="broadcast-day-of-month" />
        </Form.Item>
      )}
    </>
  )
}
