import { assertNever, SUBSCRIPTION_CHANNELS, SUBSCRIPTION_STATES, type Condition } from '@reachloop/domain'
import { Input, Select, Space, Switch } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { type BuilderOptions } from './builder-options.js'
import { CONDITION_KINDS, newCondition, type ConditionKind } from './new-condition.js'
import { ValueTestEditor } from './ValueTestEditor.js'
import { WindowEditor } from './WindowEditor.js'
import { EventConditionEditor, EventTimeConditionEditor, SequenceConditionEditor } from './event-condition-editors.js'
import { ComputedConditionEditor } from './ComputedConditionEditor.js'

/** The editor of one condition: its kind, and the inputs of that kind. */
export function ConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Condition
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space align="start" wrap>
      <Select
        style={{ width: 160 }}
        value={condition.kind as ConditionKind}
        onChange={(kind: ConditionKind) => onChange(newCondition(kind, options))}
        options={CONDITION_KINDS.map((k) => ({ value: k, label: t(`cond.${k}`) }))}
        data-testid="cond-kind"
      />
      <ConditionInputs condition={condition} options={options} onChange={onChange} />
    </Space>
  )
}

function ConditionInputs({
  condition,
  options,
  onChange,
}: {
  condition: Condition
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  switch (condition.kind) {
    case 'trait':
      return <TraitConditionEditor condition={condition} onChange={onChange} />
    case 'event':
      return <EventConditionEditor condition={condition} onChange={onChange} />
    case 'event_time':
      return <EventTimeConditionEditor condition={condition} onChange={onChange} />
    case 'sequence':
      return <SequenceConditionEditor condition={condition} onChange={onChange} />
    case 'segment':
      return <SegmentConditionEditor condition={condition} options={options} onChange={onChange} />
    case 'tag':
      return <TagConditionEditor condition={condition} options={options} onChange={onChange} />
    case 'identifier':
      return <IdentifierConditionEditor condition={condition} options={options} onChange={onChange} />
    case 'source':
      return <SourceConditionEditor condition={condition} options={options} onChange={onChange} />
    case 'subscription':
      return <SubscriptionConditionEditor condition={condition} onChange={onChange} />
    case 'computed':
      return <ComputedConditionEditor condition={condition} options={options} onChange={onChange} />
    default:
      return assertNever(condition)
  }
}

function TraitConditionEditor({
  condition,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'trait' }>
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space wrap>
      <Input
        style={{ width: 140 }}
        value={condition.trait}
        onChange={(e) => onChange({ ...condition, trait: e.target.value })}
        placeholder={t('cond.property')}
        data-testid="cond-trait"
      />
      <ValueTestEditor test={condition} onChange={onChange} />
    </Space>
  )
}

function SegmentConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'segment' }>
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space>
      <Switch
        checked={condition.member}
        checkedChildren={t('cond.member')}
        unCheckedChildren={t('cond.notMember')}
        onChange={(member) => onChange({ ...condition, member })}
      />
      <Select
        style={{ width: 240 }}
        value={condition.segmentId || undefined}
        onChange={(segmentId: string) => onChange({ ...condition, segmentId })}
        options={options.segments.map((s) => ({ value: s.id, label: s.name }))}
        data-testid="cond-segment"
      />
    </Space>
  )
}

function TagConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'tag' }>
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space>
      <Switch
        checked={condition.has}
        checkedChildren={t('cond.has')}
        unCheckedChildren={t('cond.hasNot')}
        onChange={(has) => onChange({ ...condition, has })}
      />
      <Select
        style={{ width: 220 }}
        value={condition.tagId || undefined}
        onChange={(tagId: string) => onChange({ ...condition, tagId })}
        options={options.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
        data-testid="cond-tag"
      />
    </Space>
  )
}

function IdentifierConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'identifier' }>
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space>
      <Switch
        checked={condition.has}
        checkedChildren={t('cond.has')}
        unCheckedChildren={t('cond.hasNot')}
        onChange={(has) => onChange({ ...condition, has })}
      />
      <Select
        style={{ width: 200 }}
        value={condition.identifierType}
        onChange={(identifierType: string) => onChange({ ...condition, identifierType })}
        options={options.identifierTypes.map((type) => ({ value: type, label: type }))}
        data-testid="cond-identifier"
      />
    </Space>
  )
}

function SourceConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'source' }>
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  return (
    <Space wrap>
      <Select
        style={{ width: 200 }}
        value={condition.sourceId || undefined}
        onChange={(sourceId: string) => onChange({ ...condition, sourceId })}
        options={options.sources.map((s) => ({ value: s.id, label: s.name }))}
      />
      <WindowEditor window={condition.window} onChange={(window) => onChange({ ...condition, window })} />
    </Space>
  )
}

function SubscriptionConditionEditor({
  condition,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'subscription' }>
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space>
      <Select
        style={{ width: 140 }}
        value={condition.channel}
        onChange={(channel: typeof condition.channel) => onChange({ ...condition, channel })}
        options={SUBSCRIPTION_CHANNELS.map((c) => ({ value: c, label: t(`cond.channel.${c}`) }))}
        data-testid="cond-channel"
      />
      <Select
        style={{ width: 220 }}
        value={condition.state}
        onChange={(state: typeof condition.state) => onChange({ ...condition, state })}
        options={SUBSCRIPTION_STATES.map((s) => ({ value: s, label: t(`cond.subscription.${s}`) }))}
        data-testid="cond-subscription-state"
      />
    </Space>
  )
}
