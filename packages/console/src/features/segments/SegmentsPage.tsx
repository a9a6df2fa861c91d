import { routes, type Segment } from '@reachloop/domain'
import { Button, Card, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { formatTime } from '../../shared/format.js'
import { useCall } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { labelsOf, LabelsFilter, LabelTags } from './LabelsFilter.js'

/** Segments with their sizes and freshness; a new one opens the builder. */
export function SegmentsPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const navigate = useNavigate()
  const [label, setLabel] = useState<string>()
  const { data, loading } = useCall(routes.listSegments, label ? { query: { label } } : {})
  // The filter offers every label, also while it narrows the list.
  const all = useCall(routes.listSegments, {})
  return (
    <Card
      title={t('segments.title')}
      extra={
        <Space wrap>
          <LabelsFilter labels={labelsOf(all.data?.items ?? [])} value={label} onChange={setLabel} testId="segments-label-filter" />
          {can('audiences.write') && (
            <Button type="primary" onClick={() => navigate('/segments/new')} data-testid="new-segment">
              {t('segments.new')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<Segment>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="segments-table"
        columns={[
          {
            title: t('segments.name'),
            dataIndex: 'name',
            render: (name: string, s) => (
              <Link to={`/segments/${s.id}`} data-testid={`open-segment-${name}`}>
                {name}
              </Link>
            ),
          },
          {
            title: t('segments.labels'),
            dataIndex: 'labels',
            responsive: ['sm'],
            render: (labels: string[]) => <LabelTags labels={labels} />,
          },
          {
            title: t('segments.kind'),
            dataIndex: 'kind',
            responsive: ['sm'],
            render: (kind: Segment['kind'], s) => (
              <>
                {<Tag>{t(`segments.kind.${kind}`)}</Tag>}
                {s.changesWithTime && <Tag color="blue">{t('segments.changesWithTime')}</Tag>}
              </>
            ),
          },
          {
            title: t('segments.size'),
            dataIndex: 'size',
            align: 'right',
            render: (size: number, s) =>
              s.computedAt ? (
                <Typography.Text strong>{size.toLocaleString()}</Typography.Text>
              ) : (
                <Typography.Text type="secondary">{t('segments.computing')}</Typography.Text>
              ),
          },
          {
            title: t('segments.computedAt'),
            dataIndex: 'computedAt',
            responsive: ['md'],
            render: (at: string | null) => (at ? formatTime(at, language) : '—'),
          },
        ]}
      />
    </Card>
  )
}
