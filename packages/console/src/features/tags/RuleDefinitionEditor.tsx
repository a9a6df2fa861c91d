import type { SegmentNode } from '@reachloop/domain'
import { Col, Row, Typography } from 'antd'
import { SegmentBuilder, type BuilderOptions } from '../audiences/SegmentBuilder.js'
import { SegmentLiveCount } from '../segments/SegmentLiveCount.js'

/** A rule tag's conditions: the segment builder, with the segment editor's live count and sample beside it. */
export function RuleDefinitionEditor({
  hint,
  definition,
  options,
  onChange,
}: {
  hint?: string
  definition: SegmentNode
  options: BuilderOptions
  onChange: (definition: SegmentNode) => void
}) {
  return (
    <Row gutter={[16, 16]}>
      {hint && (
        <Col span={24}>
          <Typography.Text type="secondary">{hint}</Typography.Text>
        </Col>
      )}
      <Col xs={24} lg={17}>
        <SegmentBuilder definition={definition} options={options} onChange={onChange} />
      </Col>
      <Col xs={24} lg={7}>
        <SegmentLiveCount definition={definition} />
      </Col>
    </Row>
  )
}
