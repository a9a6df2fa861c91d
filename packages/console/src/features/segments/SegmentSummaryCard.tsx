import { routes, type Segment } from '@reachloop/domain'
import { Alert, Button, Card, Col, Descriptions, Row, Space, Spin, Statistic, Tag, Typography } from 'antd'
import { useNavigate } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { saveFile } from '../../shared/save-file.js'
import { useSession } from '../../shared/session.js'
import { useAction } from '../../shared/use-action.js'
import { ComputationState } from '../audiences/ComputationState.js'
import { useComputations } from '../audiences/use-computations.js'
import { SegmentHousekeepingButtons } from './SegmentHousekeepingButtons.js'
import { useSegmentCompute } from './use-segment-compute.js'

/** A segment's name, kind, size and freshness, with edit, compute now (and cancel) and export. */
export function SegmentSummaryCard({ segment, onComputed }: { segment: Segment; onComputed: () => Promise<void> }) {
  const { t, language } = useI18n()
  const compute = useSegmentCompute(segment.id, onComputed)
  const computations = useComputations({ kind: 'segment', id: segment.id }, onComputed)
  return (
    <Card
      title={
        <Space>
          {segment.name}
          <Tag>{t(`segments.kind.${segment.kind}`)}</Tag>
          {segment.changesWithTime && <Tag color="blue">{t('segments.changesWithTime')}</Tag>}
          {!compute.running && <ComputationState computation={computations.of(segment.id)} computedAt={segment.computedAt} />}
          {segment.labels.map((l) => (
            <Tag key={l} color="purple" data-testid="segment-label">
              {l}
            </Tag>
          ))}
        </Space>
      }
      extra={<SegmentActions segment={segment} compute={compute} />}
    >
      {compute.outcome && (
        <Alert
          style={{ marginBottom: 16 }}
          type={compute.outcome.type}
          showIcon
          closable
          onClose={compute.clearOutcome}
          title={compute.outcome.text}
          data-testid="compute-outcome"
        />
      )}
      <Row gutter={24}>
        <Col span={6}>
          <Statistic
            title={t('segments.size')}
            value={segment.computedAt ? segment.size : t('segments.computing')}
            valueRender={(node) => <span data-testid="segment-size">{node}</span>}
          />
        </Col>
        <Col span={18}>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'd', label: t('segments.description'), children: segment.description || '—' },
              { key: 'c', label: t('segments.computedAt'), children: segment.computedAt ? formatTime(segment.computedAt, language) : '—' },
            ]}
          />
        </Col>
      </Row>
    </Card>
  )
}

function SegmentActions({ segment, compute }: { segment: Segment; compute: ReturnType<typeof useSegmentCompute> }) {
  const { t } = useI18n()
  const navigate = useNavigate()
  const { can } = useSession()
  const { busy, run } = useAction()
  // Static segments are edited too (name, description, labels); only dynamic ones have conditions.
  const editable = can('audiences.write')
  const exportCsv = () =>
    run(async () => {
      const { blob } = await api.download(routes.exportSegmentMembers, { params: { id: segment.id } })
      saveFile(blob, `${segment.name}.csv`)
    })
  return (
    <Space>
      {editable && (
        <Button onClick={() => navigate(`/segments/${segment.id}/edit`)} data-testid="edit-segment">
          {t('segments.edit')}
        </Button>
      )}
      {editable && segment.kind === 'dynamic' && !compute.running && (
        <Button disabled={busy || compute.cancelling} onClick={() => void compute.compute()} data-testid="compute-segment">
          {t('segments.compute')}
        </Button>
      )}
      {compute.running && (
        <Space data-testid="compute-running">
          <Spin size="small" />
          <Typography.Text type="secondary">{t('segments.computeRunning', { seconds: compute.computingFor })}</Typography.Text>
          <Button danger loading={compute.cancelling} onClick={() => void compute.cancel()} data-testid="cancel-compute">
            {t('segments.computeCancel')}
          </Button>
        </Space>
      )}
      <Button onClick={() => void exportCsv()} data-testid="export-segment">
        {t('segments.export')}
      </Button>
      {can('audiences.write') && <SegmentHousekeepingButtons segment={segment} />}
    </Space>
  )
}
