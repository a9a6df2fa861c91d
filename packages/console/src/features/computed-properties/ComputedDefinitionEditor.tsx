import { COMPUTED_AGGREGATES, type ComputedAggregate, type ComputedDefinition } from '@reachloop/domain'
import { Form, Radio, Select, Space } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { problemsAt, type FieldProblems } from '../../shared/field-problems.js'
import { EventMatchEditor, PropertyNamePicker, WindowEditor } from '../audiences/SegmentBuilder.js'

const KINDS = ['aggregate', 'interval', 'rfm'] as const

/** The definition a new computed property starts from. */
export const NEW_COMPUTED_DEFINITION: ComputedDefinition = {
  kind: 'aggregate',
  event: 'Order Completed',
  filters: [],
  window: { type: 'last', amount: 30, unit: 'days' },
  aggregate: 'count',
}

/** The same events and window under another kind, with that kind's own fields at their defaults. */
function withKind(definition: ComputedDefinition, kind: ComputedDefinition['kind']): ComputedDefinition {
  const { event, filters, window } = definition
  switch (kind) {
    case 'aggregate':
      return { kind, event, filters, window, aggregate: 'count' }
    case 'interval':
      return { kind, event, filters, window }
    case 'rfm':
      return { kind, event, filters, window, monetaryProperty: 'total' }
  }
}

/** A property of the chosen event, picked from what the catalogue received of it (or typed). */
function PropertyInput({
  event,
  value,
  onChange,
  testId,
}: {
  event: string
  value: string | undefined
  onChange: (value: string | undefined) => void
  testId: string
}) {
  return (
    <PropertyNamePicker
      event={event}
      value={value ?? ''}
      onChange={(v) => onChange(v === '' ? undefined : v)}
      testId={testId}
      width={200}
    />
  )
}

/**
 * The form of a computed property's definition: what kind of value, which events in which window,
 * and what to keep of them. Problems the server found are shown on the field they concern.
 */
export function ComputedDefinitionEditor({
  definition,
  problems,
  onChange,
}: {
  definition: ComputedDefinition
  problems: FieldProblems
  onChange: (definition: ComputedDefinition) => void
}) {
  const { t } = useI18n()
  const item = (...paths: string[]) => {
    const help = problemsAt(problems, ...paths.map((p) => `definition.${p}`))
    return help ? { validateStatus: 'error' as const, help } : {}
  }
  return (
    <>
      <Form.Item label={t('computed.kind')} {...item('kind')}>
        <Radio.Group
          value={definition.kind}
          onChange={(e) => onChange(withKind(definition, e.target.value as ComputedDefinition['kind']))}
          options={KINDS.map((k) => ({ value: k, label: t(`computed.kind.${k}`) }))}
          data-testid="computed-kind"
        />
      </Form.Item>
      <Form.Item label={t('computed.events')} extra={t(`computed.kindHint.${definition.kind}`)} {...item('event', 'filters')}>
        <EventMatchEditor match={definition} onChange={(match) => onChange({ ...definition, ...match })} />
      </Form.Item>
      <Form.Item label={t('cond.window')} {...item('window')}>
        <WindowEditor window={definition.window} onChange={(window) => onChange({ ...definition, window })} />
      </Form.Item>
      {definition.kind === 'aggregate' && (
        <Form.Item label={t('computed.aggregate')} {...item('aggregate', 'property')}>
          <Space wrap>
            <Select
              style={{ width: 180 }}
              value={definition.aggregate}
              onChange={(aggregate: ComputedAggregate) =>
                onChange({ ...definition, aggregate, ...(aggregate === 'count' ? { property: undefined } : {}) })
              }
              options={COMPUTED_AGGREGATES.map((a) => ({ value: a, label: t(`computed.aggregate.${a}`) }))}
              data-testid="computed-aggregate"
            />
            {definition.aggregate !== 'count' && (
              <PropertyInput
                event={definition.event}
                value={definition.property}
                onChange={(property) => onChange({ ...definition, property })}
                testId="computed-property"
              />
            )}
          </Space>
        </Form.Item>
      )}
      {definition.kind === 'rfm' && (
        <Form.Item label={t('computed.monetaryProperty')} {...item('monetaryProperty')}>
          <PropertyInput
            event={definition.event}
            value={definition.monetaryProperty}
            onChange={(monetaryProperty) => onChange({ ...definition, monetaryProperty: monetaryProperty ?? '' })}
            testId="computed-monetary"
          />
        </Form.Item>
      )}
    </>
  )
}
