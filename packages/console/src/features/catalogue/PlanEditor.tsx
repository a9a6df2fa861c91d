import { OBSERVED_TYPES, PLAN_MODES, type ObservedType, type PlanMode, type TrackingPlan } from '@reachloop/domain'
import { Button, Radio, Select, Space, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { PropertyNamePicker } from '../audiences/CataloguePickers.js'

type Required = TrackingPlan['required'][number]

/** One required property of a plan: its name (picked from the event's properties) and type. */
function RequiredRow({
  index,
  event,
  row,
  write,
  onChange,
}: {
  index: number
  event: string
  row: Required
  write: boolean
  onChange: (row: Required | null) => void
}) {
  const { t } = useI18n()
  return (
    <Space wrap data-testid={`plan-row-${index}`}>
      <PropertyNamePicker
        event={event}
        value={row.property}
        onChange={(property) => onChange({ ...row, property })}
        testId="plan-property"
        width={200}
      />
      <Select<ObservedType>
        style={{ width: 110 }}
        value={row.type}
        disabled={!write}
        onChange={(type) => onChange({ ...row, type })}
        options={OBSERVED_TYPES.map((type) => ({ value: type, label: t(`catalogue.type.${type}`) }))}
        data-testid="plan-type"
      />
      {write && (
        <Button size="small" type="link" danger onClick={() => onChange(null)}>
          {t('catalogue.planRemove')}
        </Button>
      )}
    </Space>
  )
}

/**
 * An event's tracking plan: the properties it must carry and their types, and what happens to an
 * event that breaks it (accepted and counted, or refused into the quarantine).
 */
export function PlanEditor({
  event,
  plan,
  write,
  busy,
  onSave,
}: {
  event: string
  plan: TrackingPlan | null
  write: boolean
  busy: boolean
  onSave: (plan: TrackingPlan | null) => void
}) {
  const { t } = useI18n()
  const [draft, setDraft] = useState<TrackingPlan>(plan ?? { required: [], mode: 'accept' })
  useEffect(() => setDraft(plan ?? { required: [], mode: 'accept' }), [plan])
  const setRequired = (required: TrackingPlan['required']) => setDraft({ ...draft, required })
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="plan-editor">
      <Typography.Text type="secondary">{t('catalogue.planIntro')}</Typography.Text>
      {!plan && <Typography.Text italic>{t('catalogue.planNone')}</Typography.Text>}
      <Typography.Text strong>{t('catalogue.planRequired')}</Typography.Text>
      {draft.required.map((r, i) => (
        <RequiredRow
          key={i}
          index={i}
          event={event}
          row={r}
          write={write}
          onChange={(next) =>
            setRequired(next ? draft.required.map((x, k) => (k === i ? next : x)) : draft.required.filter((_, k) => k !== i))
          }
        />
      ))}
      {write && (
        <Button
          size="small"
          type="dashed"
          onClick={() => setRequired([...draft.required, { property: '', type: 'string' }])}
          data-testid="plan-add"
        >
          {t('catalogue.planAdd')}
        </Button>
      )}
      <Space wrap>
        <Typography.Text strong>{t('catalogue.planMode')}</Typography.Text>
        <Radio.Group
          disabled={!write}
          value={draft.mode}
          onChange={(e) => setDraft({ ...draft, mode: e.target.value as PlanMode })}
          options={PLAN_MODES.map((m) => ({ value: m, label: t(`catalogue.mode.${m}`) }))}
          data-testid="plan-mode"
        />
      </Space>
      {write && (
        <Space>
          <Button
            type="primary"
            loading={busy}
            disabled={draft.required.some((r) => r.property.trim() === '')}
            onClick={() => onSave({ ...draft, required: draft.required.map((r) => ({ ...r, property: r.property.trim() })) })}
            data-testid="plan-save"
          >
            {t('catalogue.planSave')}
          </Button>
          {plan && (
            <Button danger loading={busy} onClick={() => onSave(null)} data-testid="plan-clear">
              {t('catalogue.planClear')}
            </Button>
          )}
        </Space>
      )}
    </Space>
  )
}
