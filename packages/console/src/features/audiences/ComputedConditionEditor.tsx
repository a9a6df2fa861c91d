import { RFM_GROUPS, RFM_PARTS, type Condition, type RfmPart } from '@reachloop/domain'
import { Select, Space } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { type BuilderOptions } from './builder-options.js'
import { computedCondition } from './new-condition.js'
import { ValueTestEditor } from './ValueTestEditor.js'

/** A test of a computed property's value (an RFM one on a part of it). */
export function ComputedConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'computed' }>
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  const property = options.computedProperties.find((p) => p.id === condition.propertyId)
  return (
    <Space wrap>
      <Select
        showSearch
        style={{ width: 200 }}
        value={condition.propertyId || undefined}
        onChange={(id: string) => onChange(computedCondition(options.computedProperties.find((p) => p.id === id)))}
        options={options.computedProperties.map((p) => ({ value: p.id, label: p.name }))}
        data-testid="cond-computed"
      />
      {property?.definition.kind === 'rfm' && (
        <Select
          style={{ width: 150 }}
          value={condition.part ?? 'group'}
          onChange={(part: RfmPart) => onChange(computedCondition(property, part))}
          options={RFM_PARTS.map((p) => ({ value: p, label: t(`rfm.part.${p}`) }))}
          data-testid="cond-part"
        />
      )}
      <ValueTestEditor
        test={condition}
        onChange={onChange}
        choices={condition.part === 'group' ? RFM_GROUPS.map((g) => ({ value: g, label: t(`rfm.group.${g}`) })) : undefined}
      />
    </Space>
  )
}
