import { assertNever, SUBSCRIPTION_STATES, type Condition } from '@reachloop/domain'
import { Select, Space, Switch } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { DEFAULT_GROUP_OPTIONS, type BuilderOptions } from './builder-options.js'
import { TraitNamePicker } from './CataloguePickers.js'
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
  const { t } = useI18n()
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
      return (
        <HasAndPick
          on={condition.member}
          labels={{ on: t('cond.member'), off: t('cond.notMember') }}
          onToggle={(member) => onChange({ ...condition, member })}
          value={condition.segmentId || undefined}
          choices={options.segments.map((s) => ({ value: s.id, label: s.name }))}
          onPick={(segmentId) => onChange({ ...condition, segmentId })}
          width={240}
          testId="cond-segment"
        />
      )
    case 'tag':
      return (
        <HasAndPick
          on={condition.has}
          labels={{ on: t('cond.has'), off: t('cond.hasNot') }}
          onToggle={(has) => onChange({ ...condition, has })}
          value={condition.tagId || undefined}
          choices={options.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
          onPick={(tagId) => onChange({ ...condition, tagId })}
          width={220}
          testId="cond-tag"
        />
      )
    case 'identifier':
      return (
        <HasAndPick
          on={condition.has}
          labels={{ on: t('cond.has'), off: t('cond.hasNot') }}
          onToggle={(has) => onChange({ ...condition, has })}
          value={condition.identifierType}
          choices={options.identifierTypes.map((type) => ({ value: type, label: type }))}
          onPick={(identifierType) => onChange({ ...condition, identifierType })}
          width={200}
          testId="cond-identifier"
        />
      )
    case 'source':
      return <SourceConditionEditor condition={condition} options={options} onChange={onChange} />
    case 'subscription':
      return <SubscriptionConditionEditor condition={condition} options={options} onChange={onChange} />
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
      <TraitNamePicker value={condition.trait} onChange={(trait) => onChange({ ...condition, trait })} placeholder={t('cond.property')} />
      <ValueTestEditor test={condition} onChange={onChange} suggest={{ name: condition.trait }} />
    </Space>
  )
}

/** A yes/no switch and a choice: "is (not) a member of", "has (not) the tag", "has (no) identifier of type". */
function HasAndPick({
  on,
  labels,
  onToggle,
  value,
  choices,
  onPick,
  width,
  testId,
}: {
  on: boolean
  labels: { on: string; off: string }
  onToggle: (on: boolean) => void
  value: string | undefined
  choices: Array<{ value: string; label: string }>
  onPick: (value: string) => void
  width: number
  testId: string
}) {
  return (
    <Space>
      <Switch checked={on} checkedChildren={labels.on} unCheckedChildren={labels.off} onChange={onToggle} />
      <Select style={{ width }} value={value} onChange={onPick} options={choices} data-testid={testId} />
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

/**
 * A subscription group (by key) and a state. A definition saved before groups names a channel,
 * which means that channel's default group: it shows as such until another group is chosen.
 */
function SubscriptionConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'subscription' }>
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  const groups = options.subscriptionGroups.length > 0 ? options.subscriptionGroups : DEFAULT_GROUP_OPTIONS
  const byChannel = condition.group === undefined && condition.channel ? `channel:${condition.channel}` : undefined
  const choices = [
    ...(byChannel && condition.channel
      ? [{ value: byChannel, label: t('cond.subscription.channelDefault', { channel: t(`cond.channel.${condition.channel}`) }) }]
      : []),
    ...groups.map((g) => ({ value: g.key, label: `${g.name} · ${t(`cond.subscription.policy.${g.policy}`)}` })),
  ]
  const { state } = condition
  return (
    <Space>
      <Select
        style={{ width: 260 }}
        value={byChannel ?? condition.group}
        onChange={(value: string) => {
          if (value !== byChannel) onChange({ kind: 'subscription', group: value, state })
        }}
        options={choices}
        data-testid="cond-subscription-group"
      />
      <Select
        style={{ width: 220 }}
        value={condition.state}
        onChange={(next: typeof condition.state) => onChange({ ...condition, state: next })}
        options={SUBSCRIPTION_STATES.map((s) => ({ value: s, label: t(`cond.subscription.${s}`) }))}
        data-testid="cond-subscription-state"
      />
    </Space>
  )
}
