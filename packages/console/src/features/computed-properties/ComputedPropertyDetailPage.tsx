import { Button, Card, Popconfirm, Space, Tag } from 'antd'
import { useNavigate, useParams } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { ComputationState } from '../audiences/ComputationState.js'
import { useComputations } from '../audiences/use-computations.js'
import { ComputedDistributionChart } from './ComputedDistributionChart.js'
import { ComputedInUseAlert, ComputeResultAlert } from './ComputedPropertyAlerts.js'
import { ComputedPropertySummary } from './ComputedPropertySummary.js'
import { useComputedProperty, useComputedPropertyActions } from './use-computed-property.js'

/** A computed property: how many profiles hold a value, how values spread, compute now, edit, delete. */
export function ComputedPropertyDetailPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const { t } = useI18n()
  const { can } = useSession()
  const { data, reload } = useComputedProperty(id)
  const actions = useComputedPropertyActions(id, reload)
  const computations = useComputations({ kind: 'computed_property', id }, reload)

  if (!data) return <Card loading />
  const { property, distribution } = data
  const write = can('audiences.write')
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {property.name}
            <Tag>{t(`computed.kind.${property.definition.kind}`)}</Tag>
            {property.changesWithTime && <Tag color="blue">{t('segments.changesWithTime')}</Tag>}
            {!actions.computing && <ComputationState computation={computations.of(id)} computedAt={property.computedAt} />}
          </Space>
        }
        extra={
          write && (
            <Space>
              <Button onClick={() => navigate(`/computed-properties/${id}/edit`)} data-testid="edit-computed-property">
                {t('computed.edit')}
              </Button>
              <Button
                type="primary"
                loading={actions.computing}
                onClick={() => void actions.compute()}
                data-testid="compute-computed-property"
              >
                {actions.computing ? t('segments.computing') : t('segments.compute')}
              </Button>
              <Popconfirm
                title={t('computed.deleteConfirm')}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => void actions.remove()}
              >
                <Button danger loading={actions.deleting} data-testid="delete-computed-property">
                  {t('computed.delete')}
                </Button>
              </Popconfirm>
            </Space>
          )
        }
      >
        {actions.usedBy && <ComputedInUseAlert usedBy={actions.usedBy} onClose={() => actions.setUsedBy(null)} />}
        {actions.computed && <ComputeResultAlert computed={actions.computed} onClose={() => actions.setComputed(null)} />}
        <ComputedPropertySummary property={property} />
      </Card>
      <Card title={t('computed.distribution')}>
        <ComputedDistributionChart distribution={distribution} kind={property.definition.kind} definition={property.definition} />
      </Card>
    </Space>
  )
}
