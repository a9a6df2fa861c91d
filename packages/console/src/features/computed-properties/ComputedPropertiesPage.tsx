import { routes, type ComputedProperty } from '@reachloop/domain'
import { Button, Card, Space, Table, Tag, Typography } from 'antd'
import { Link, useNavigate } from 'react-router-dom'
import { describeComputedDefinition } from './computed-values.js'
import { formatTime } from '../../shared/format.js'
import { useCall } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

/** Computed properties with how many profiles hold a value and when they were computed. */
export function ComputedPropertiesPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const navigate = useNavigate()
  const { data, loading } = useCall(routes.listComputedProperties, {})
  return (
    <Card
      title={t('computed.title')}
      extra={
        can('audiences.write') && (
          <Button type="primary" onClick={() => navigate('/computed-properties/new')} data-testid="new-computed-property">
            {t('computed.new')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('computed.intro')}</Typography.Paragraph>
      <Table<ComputedProperty>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="computed-properties-table"
        columns={[
          {
            title: t('segments.name'),
            dataIndex: 'name',
            render: (name: string, p) => (
              <Link to={`/computed-properties/${p.id}`} data-testid={`open-computed-${name}`}>
                {name}
              </Link>
            ),
          },
          {
            title: t('computed.kind'),
            dataIndex: 'definition',
            render: (_: unknown, p) => (
              <Space direction="vertical" size={0}>
                <Space size={4}>
                  <Tag>{t(`computed.kind.${p.definition.kind}`)}</Tag>
                  {p.changesWithTime && <Tag color="blue">{t('segments.changesWithTime')}</Tag>}
                </Space>
                <Typography.Text type="secondary">{describeComputedDefinition(p.definition, t)}</Typography.Text>
              </Space>
            ),
          },
          { title: t('segments.description'), dataIndex: 'description', render: (d: string) => d || '—' },
          {
            title: t('computed.profiles'),
            dataIndex: 'profiles',
            align: 'right',
            render: (profiles: number, p) =>
              p.computedAt ? (
                <Typography.Text strong>{profiles.toLocaleString(language)}</Typography.Text>
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
