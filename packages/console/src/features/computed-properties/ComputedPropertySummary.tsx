import type { ComputedProperty } from '@reachloop/domain'
import { Col, Descriptions, Row, Statistic } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'
import { describeComputedDefinition } from './computed-values.js'

/** How many profiles hold a value, what the property computes, and when it was computed. */
export function ComputedPropertySummary({ property }: { property: ComputedProperty }) {
  const { t, language } = useI18n()
  return (
    <Row gutter={24}>
      <Col span={6}>
        <Statistic
          title={t('computed.profiles')}
          value={property.computedAt ? property.profiles : t('segments.computing')}
          valueRender={(node) => <span data-testid="computed-profiles">{node}</span>}
        />
      </Col>
      <Col span={18}>
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'definition', label: t('computed.definition'), children: describeComputedDefinition(property.definition, t) },
            { key: 'description', label: t('segments.description'), children: property.description || '—' },
            {
              key: 'computedAt',
              label: t('segments.computedAt'),
              children: property.computedAt ? formatTime(property.computedAt, language) : '—',
            },
          ]}
        />
      </Col>
    </Row>
  )
}
