import type { ComputedComputation, ComputedPropertyInUse } from '@reachloop/domain'
import { Alert, Space, Tag } from 'antd'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'

/** Why a property could not be deleted: the segments and tags that use it, each linked. */
export function ComputedInUseAlert({ usedBy, onClose }: { usedBy: ComputedPropertyInUse['usedBy']; onClose: () => void }) {
  const { t } = useI18n()
  return (
    <Alert
      style={{ marginBottom: 16 }}
      type="error"
      showIcon
      closable
      onClose={onClose}
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
  )
}

/** What computing a property now did: how many profiles, how many changed, how long it took. */
export function ComputeResultAlert({ computed, onClose }: { computed: ComputedComputation; onClose: () => void }) {
  const { t, language } = useI18n()
  return (
    <Alert
      style={{ marginBottom: 16 }}
      type="success"
      showIcon
      closable
      onClose={onClose}
      message={t('computed.result', {
        profiles: computed.profiles.toLocaleString(language),
        changed: computed.changed.toLocaleString(language),
        ms: computed.tookMs,
      })}
      data-testid="compute-result"
    />
  )
}
