import { routes, type Segment } from '@reachloop/domain'
import { Button, Card, Table, Tag, Typography } from 'antd'
import { Link, useNavigate } from 'react-router-dom'
import { formatTime } from '../../shared/format.js'
import { useCall } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

/** Segments with their sizes and freshness; a new one opens the builder. */
export function SegmentsPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const navigate = useNavigate()
  const { data, loading } = useCall(routes.listSegments, {})
  return (
    <Card
      title={t('segments.title')}
      extra={
        can('audiences.write') && (
          <Button type="primary" onClick={() => navigate('/segments/new')} data-testid="new-segment">
            {t('segments.new')}
          </Button>
        )
      }
    >
      <Table<Segment>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
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
            title: t('segments.kind'),
            dataIndex: 'kind',
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
            render: (at: string | null) => (at ? formatTime(at, language) : '—'),
          },
        ]}
      />
    </Card>
  )
}
