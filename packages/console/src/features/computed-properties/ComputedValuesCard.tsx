import { routes, type ProfileComputedValue } from '@reachloop/domain'
import { Card, Descriptions, Empty, Tooltip } from 'antd'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { formatComputedValue } from './computed-values.js'
import { formatTime } from '../../shared/format.js'
import { useMoney } from '../../shared/money-context.js'
import { isMoneyDefinition } from '../../shared/money.js'
import { useCall } from '../../shared/use-load.js'

/** A profile's computed properties on its 360 view: each property's name and the profile's value. */
export function ComputedValuesCard({ profileId }: { profileId: string }) {
  const { t, language } = useI18n()
  const { data, loading } = useCall(routes.getProfileComputedValues, { params: { id: profileId } })
  const values: ProfileComputedValue[] = data?.items ?? []
  // The definitions say which values are money (a sum of `total` is; a count is not).
  const { data: properties } = useCall(routes.listComputedProperties, {})
  const money = useMoney()
  const keepsMoney = new Set((properties?.items ?? []).filter((p) => isMoneyDefinition(p.definition, money.isMoney)).map((p) => p.id))
  return (
    <Card title={t('computed.title')} size="small" loading={loading} data-testid="profile-computed">
      {values.length === 0 ? (
        <Empty description={t('computed.none')} />
      ) : (
        <Descriptions
          column={2}
          size="small"
          items={values.map((v) => ({
            key: v.id,
            label: <Link to={`/computed-properties/${v.id}`}>{v.name}</Link>,
            children: (
              <Tooltip title={v.updatedAt ? `${t('computed.updatedAt')} ${formatTime(v.updatedAt, language)}` : undefined}>
                <span data-testid={`computed-value-${v.name}`}>
                  {formatComputedValue(v.value, v.kind, language, t, keepsMoney.has(v.id) ? money.format : undefined)}
                </span>
              </Tooltip>
            ),
          }))}
        />
      )}
    </Card>
  )
}
