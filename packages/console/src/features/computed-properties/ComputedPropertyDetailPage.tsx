import {
  routes,
  type ComputedPropertyInUse,
  type ComputedComputation,
  type ComputedDistribution,
  type ComputedProperty,
} from '@reachloop/domain'
import { Alert, Button, Card, Col, Descriptions, Popconfirm, Row, Space, Statistic, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { api, ApiError } from '../../shared/api.js'
import { ComputedDistributionChart } from './ComputedDistributionChart.js'
import { describeComputedDefinition } from './computed-values.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

type UsedBy = ComputedPropertyInUse['usedBy']

/** A computed property: how many profiles hold a value, how values spread, compute now, edit, delete. */
export function ComputedPropertyDetailPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const { t, language } = useI18n()
  const { can } = useSession()
  const loading = useAction()
  const computing = useAction()
  const deleting = useAction()
  const [property, setProperty] = useState<ComputedProperty>()
  const [distribution, setDistribution] = useState<ComputedDistribution>({ profiles: 0, buckets: [], groups: [] })
  const [computed, setComputed] = useState<ComputedComputation | null>(null)
  const [usedBy, setUsedBy] = useState<UsedBy | null>(null)
  const { run } = loading

  const load = useCallback(
    () =>
      run(async () => {
        const [p, d] = await Promise.all([
          api.call(routes.getComputedProperty, { params: { id } }),
          api.call(routes.getComputedDistribution, { params: { id } }),
        ])
        setProperty(p)
        setDistribution(d)
      }),
    [id, run],
  )
  useEffect(() => void load(), [load])
  // A new or changed property is computed by a job: look again until it is done.
  useEffect(() => {
    if (!property || property.computedAt) return
    const timer = setTimeout(() => void load(), 1000)
    return () => clearTimeout(timer)
  }, [property, load])

  const compute = () =>
    computing.run(async () => {
      setComputed(null)
      setComputed(await api.call(routes.computeComputedProperty, { params: { id } }))
      await load()
    })
  const remove = () =>
    deleting.run(async () => {
      try {
        await api.call(routes.deleteComputedProperty, { params: { id } })
        navigate('/computed-properties')
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'COMPUTED_PROPERTY_IN_USE')) throw error
        setUsedBy((error.details as Partial<ComputedPropertyInUse> | undefined)?.usedBy ?? [])
      }
    })

  if (!property) return <Card loading />
  const write = can('audiences.write')
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {property.name}
            <Tag>{t(`computed.kind.${property.definition.kind}`)}</Tag>
            {property.changesWithTime && <Tag color="blue">{t('segments.changesWithTime')}</Tag>}
          </Space>
        }
        extra={
          write && (
            <Space>
              <Button onClick={() => navigate(`/computed-properties/${id}/edit`)} data-testid="edit-computed-property">
                {t('computed.edit')}
              </Button>
              <Button type="primary" loading={computing.busy} onClick={() => void compute()} data-testid="compute-computed-property">
                {computing.busy ? t('segments.computing') : t('segments.compute')}
              </Button>
              <Popconfirm
                title={t('computed.deleteConfirm')}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => void remove()}
              >
                <Button danger loading={deleting.busy} data-testid="delete-computed-property">
                  {t('computed.delete')}
                </Button>
              </Popconfirm>
            </Space>
          )
        }
      >
        {usedBy && (
          <Alert
            style={{ marginBottom: 16 }}
            type="error"
            showIcon
            closable
            onClose={() => setUsedBy(null)}
            message={t('error.COMPUTED_PROPERTY_IN_USE')}
            description={
              <Space wrap>
                {t('computed.usedBy')}
                {usedBy.map((u) => (
                  <Link key={u.id} to={u.kind === 'segment' ? `/segments/${u.id}` : '/tags'}>
                    <Tag
                      color={u.kind === 'segment' ? 'geekblue' : 'gold'}
                    >{`${t(u.kind === 'segment' ? 'computed.usedBy.segment' : 'computed.usedBy.tag')}: ${u.name}`}</Tag>
                  </Link>
                ))}
              </Space>
            }
            data-testid="computed-in-use"
          />
        )}
        {computed && (
          <Alert
            style={{ marginBottom: 16 }}
            type="success"
            showIcon
            closable
            onClose={() => setComputed(null)}
            message={t('computed.result', {
              profiles: computed.profiles.toLocaleString(language),
              changed: computed.changed.toLocaleString(language),
              ms: computed.tookMs,
            })}
            data-testid="compute-result"
          />
        )}
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
      </Card>
      <Card title={t('computed.distribution')}>
        <ComputedDistributionChart distribution={distribution} kind={property.definition.kind} />
      </Card>
    </Space>
  )
}
