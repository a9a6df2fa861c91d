import { routes, type NewBroadcast } from '@reachloop/domain'
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Switch } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useNavigate } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { fieldProblems, problemsAt, type FieldProblems } from '../../shared/field-problems.js'
import { useAction } from '../../shared/use-action.js'
import { useLoad } from '../../shared/use-load.js'
import { channelName } from '../message-log/message-words.js'
import { ScheduleFields, scheduleOf, type ScheduleValues } from './ScheduleFields.js'

interface Values extends ScheduleValues {
  name: string
  templateId: string
  segmentId: string
  localTime: boolean
  holdoutPercent: number | null
  ratePerMinute: number | null
}

// Where the form shows a problem; any other path is listed above the form.
const PLACED = ['name', 'templateId', 'segmentId', 'schedule.at', 'holdoutPercent', 'ratePerMinute']

/** The published templates and the segments a broadcast can send to. */
function useChoices() {
  const { t } = useI18n()
  const { data } = useLoad(async () => {
    const [templates, segments] = await Promise.all([api.call(routes.listTemplates, {}), api.call(routes.listSegments, {})])
    return { templates: templates.items.filter((x) => x.published !== null), segments: segments.items }
  }, [])
  return {
    loaded: data !== undefined,
    templates: (data?.templates ?? []).map((x) => ({ value: x.id, label: `${x.name} · ${channelName(x.channel, t)}` })),
    segments: (data?.segments ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.size.toLocaleString()})` })),
  }
}

type Help = (path: string) => { validateStatus?: 'error'; help?: string }

/** The broadcast's name, its published template and its segment. */
function WhatAndWhoFields({ choices, help }: { choices: ReturnType<typeof useChoices>; help: Help }) {
  const { t } = useI18n()
  return (
    <>
      <Form.Item name="name" label={t('broadcasts.name')} rules={[{ required: true, whitespace: true, max: 200 }]} {...help('name')}>
        <Input data-testid="broadcast-name" />
      </Form.Item>
      <Form.Item name="templateId" label={t('broadcasts.template')} rules={[{ required: true }]} {...help('templateId')}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={choices.templates} data-testid="broadcast-template" />
      </Form.Item>
      <Form.Item name="segmentId" label={t('broadcasts.segment')} rules={[{ required: true }]} {...help('segmentId')}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={choices.segments} data-testid="broadcast-segment" />
      </Form.Item>
    </>
  )
}

/** How to send: at each customer's local time (scheduled ones), the holdout, the rate cap. */
function SendingFields({ kind, help }: { kind: ScheduleValues['kind']; help: Help }) {
  const { t } = useI18n()
  return (
    <>
      {kind !== 'now' && (
        <Form.Item name="localTime" label={t('broadcasts.localTime')} extra={t('broadcasts.localTimeHint')} valuePropName="checked">
          <Switch data-testid="broadcast-local-time" />
        </Form.Item>
      )}
      <Space size="large" wrap>
        <Form.Item name="holdoutPercent" label={t('broadcasts.holdout')} extra={t('broadcasts.holdoutHint')} {...help('holdoutPercent')}>
          <InputNumber min={0} max={50} step={1} style={{ width: 160 }} data-testid="broadcast-holdout" />
        </Form.Item>
        <Form.Item name="ratePerMinute" label={t('broadcasts.rate')} extra={t('broadcasts.rateHint')} {...help('ratePerMinute')}>
          <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 200 }} data-testid="broadcast-rate" />
        </Form.Item>
      </Space>
    </>
  )
}

/** What the API is asked to create from the form's values. */
const newBroadcastOf = (values: Values): NewBroadcast => ({
  name: values.name.trim(),
  templateId: values.templateId,
  segmentId: values.segmentId,
  schedule: scheduleOf(values),
  localTime: values.kind !== 'now' && values.localTime,
  holdoutPercent: values.holdoutPercent ?? 0,
  ratePerMinute: values.ratePerMinute ?? null,
})

/** A new broadcast: a published template to a segment, now or on a schedule, with holdout and a send-rate cap. */
export function NewBroadcastPage() {
  const { t } = useI18n()
  const navigate = useNavigate()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [form] = Form.useForm<Values>()
  const kind = Form.useWatch('kind', form) ?? 'now'
  const choices = useChoices()
  const [problems, setProblems] = useState<FieldProblems>({})
  const help = (path: string) => {
    const text = problemsAt(problems, path)
    return text ? { validateStatus: 'error' as const, help: text } : {}
  }
  const elsewhere = Object.entries(problems).filter(([path]) => !PLACED.some((p) => path === p || path.startsWith(`${p}.`)))

  const create = () =>
    run(async () => {
      const values = await form.validateFields().catch(() => null)
      if (!values) return
      try {
        const created = await api.call(routes.createBroadcast, {
          body: newBroadcastOf(values),
        })
        void message.success(t('broadcasts.created'))
        navigate(`/broadcasts/${created.id}`)
      } catch (error) {
        const found = fieldProblems(error)
        if (!found) throw error
        setProblems(found)
      }
    })

  return (
    <Card title={t('broadcasts.new')}>
      {elsewhere.length > 0 && (
        <Alert
          style={{ marginBottom: 16 }}
          type="error"
          showIcon
          title={t('broadcasts.problems')}
          description={elsewhere.map(([path, m]) => `${path}: ${m}`).join('; ')}
          data-testid="broadcast-problems"
        />
      )}
      {choices.loaded && choices.templates.length === 0 && (
        <Alert style={{ marginBottom: 16 }} type="warning" showIcon title={t('broadcasts.noPublishedTemplates')} />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{
          kind: 'now',
          localTime: false,
          holdoutPercent: 0,
          ratePerMinute: null,
          time: dayjs().hour(10).minute(0).second(0),
          weekdays: [1],
          dayOfMonth: 1,
        }}
        onValuesChange={() => setProblems({})}
      >
        <WhatAndWhoFields choices={choices} help={help} />
        <ScheduleFields kind={kind} atHelp={problemsAt(problems, 'schedule.at')} />
        <SendingFields kind={kind} help={help} />
        <Form.Item>
          <Space>
            <Button type="primary" loading={busy} onClick={() => void create()} data-testid="create-broadcast">
              {t('broadcasts.create')}
            </Button>
            <Button onClick={() => navigate('/broadcasts')}>{t('common.cancel')}</Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  )
}
