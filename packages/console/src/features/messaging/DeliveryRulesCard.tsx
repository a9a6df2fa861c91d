import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { CHANNELS, routes, type CapRule, type MessagingSettings } from '@reachloop/domain'
import { App, Button, Card, Divider, Flex, Form, InputNumber, Radio, Select, Spin, Switch, TimePicker, Typography } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useCall } from '../../shared/use-load.js'

const PERIODS: ReadonlyArray<CapRule['per']> = ['rolling_24h', 'day', 'rolling_7d']
type QuietHours = MessagingSettings['quietHours']
const time = (value: string) => dayjs(`2000-01-01T${value}`)

/** Quiet hours and frequency caps of marketing messages, saved together. */
export function DeliveryRulesCard({ writable }: { writable: boolean }) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const loaded = useCall(routes.getMessagingSettings, {})
  const [settings, setSettings] = useState<MessagingSettings>()
  useEffect(() => setSettings(loaded.data), [loaded.data])
  if (!settings) return <Card title={t('messaging.rules.title')}>{<Spin />}</Card>
  const save = () =>
    run(async () => {
      loaded.setData(await api.call(routes.updateMessagingSettings, { body: settings }))
      void message.success(t('common.saved'))
    })
  return (
    <Card title={t('messaging.rules.title')} data-testid="delivery-rules">
      <Form layout="vertical" disabled={!writable}>
        <Typography.Title level={5}>{t('messaging.quiet.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('messaging.quiet.hint')}</Typography.Paragraph>
        <QuietHoursFields quietHours={settings.quietHours} onChange={(quietHours) => setSettings({ ...settings, quietHours })} />
        <Divider />
        <Typography.Title level={5}>{t('messaging.caps.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('messaging.caps.hint')}</Typography.Paragraph>
        <CapsEditor caps={settings.caps} onChange={(caps) => setSettings({ ...settings, caps })} disabled={!writable} />
        {writable && (
          <Button type="primary" style={{ marginTop: 24 }} loading={busy} onClick={() => void save()} data-testid="save-rules">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  )
}

/** Quiet hours: on or off, from and to (the customer's local time), and whether a message in them waits or is dropped. */
function QuietHoursFields({ quietHours, onChange }: { quietHours: QuietHours; onChange: (q: QuietHours) => void }) {
  const { t } = useI18n()
  const set = (part: Partial<QuietHours>) => onChange({ ...quietHours, ...part })
  return (
    <Flex gap={24} wrap align="flex-end">
      <Form.Item label={t('messaging.quiet.enabled')}>
        <Switch checked={quietHours.enabled} onChange={(enabled) => set({ enabled })} data-testid="quiet-enabled" />
      </Form.Item>
      <Form.Item label={t('messaging.quiet.from')}>
        <TimePicker
          format="HH:mm"
          allowClear={false}
          value={time(quietHours.start)}
          onChange={(v) => v && set({ start: v.format('HH:mm') })}
          data-testid="quiet-start"
        />
      </Form.Item>
      <Form.Item label={t('messaging.quiet.to')}>
        <TimePicker
          format="HH:mm"
          allowClear={false}
          value={time(quietHours.end)}
          onChange={(v) => v && set({ end: v.format('HH:mm') })}
          data-testid="quiet-end"
        />
      </Form.Item>
      <Form.Item label={t('messaging.quiet.action')}>
        <Radio.Group
          value={quietHours.action}
          onChange={(e) => set({ action: e.target.value as QuietHours['action'] })}
          options={(['delay', 'drop'] as const).map((a) => ({ value: a, label: t(`messaging.quiet.action.${a}`) }))}
          data-testid="quiet-action"
        />
      </Form.Item>
    </Flex>
  )
}

/** Frequency caps: each "channel (or all) at most N per window", added and removed. */
function CapsEditor({ caps, onChange, disabled }: { caps: CapRule[]; onChange: (caps: CapRule[]) => void; disabled: boolean }) {
  const { t } = useI18n()
  const setCap = (i: number, part: Partial<CapRule>) => onChange(caps.map((c, at) => (at === i ? { ...c, ...part } : c)))
  return (
    <Flex vertical gap={8} data-testid="caps">
      {caps.map((cap, i) => (
        <Flex key={i} gap={8} align="center" wrap data-testid={`cap-${i}`}>
          <Select
            style={{ width: 160 }}
            value={cap.channel}
            onChange={(channel: CapRule['channel']) => setCap(i, { channel })}
            options={[
              { value: 'all', label: t('messaging.caps.allChannels') },
              ...CHANNELS.map((c) => ({ value: c, label: t(`messaging.channel.${c}`) })),
            ]}
          />
          <span>{t('messaging.caps.atMost')}</span>
          <InputNumber min={0} max={1000} value={cap.max} onChange={(max) => setCap(i, { max: max ?? 0 })} style={{ width: 90 }} />
          <span>{t('messaging.caps.messages')}</span>
          <Select
            style={{ width: 170 }}
            value={cap.per}
            onChange={(per: CapRule['per']) => setCap(i, { per })}
            options={PERIODS.map((p) => ({ value: p, label: t(`messaging.caps.per.${p}`) }))}
          />
          <Button icon={<DeleteOutlined />} aria-label={t('messaging.remove')} onClick={() => onChange(caps.filter((_, at) => at !== i))} />
        </Flex>
      ))}
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        style={{ alignSelf: 'flex-start' }}
        disabled={disabled || caps.length >= 20}
        onClick={() => onChange([...caps, { channel: 'all', max: 3, per: 'rolling_24h' }])}
        data-testid="add-cap"
      >
        {t('messaging.caps.add')}
      </Button>
    </Flex>
  )
}
