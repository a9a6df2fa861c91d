import { Col, Row } from 'antd'
import { useSession } from '../../shared/session.js'
import { BlocklistCard } from './BlocklistCard.js'
import { DeliveryRulesCard } from './DeliveryRulesCard.js'
import { SubscriptionGroupsCard } from './SubscriptionGroupsCard.js'

/** Consent and rules: subscription groups, quiet hours and frequency caps, and the blocklist. */
export function ConsentSettingsPage() {
  const { can } = useSession()
  const writable = can('messaging.write')
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xxl={12}>
        <SubscriptionGroupsCard writable={writable} />
      </Col>
      <Col xs={24} xxl={12}>
        <DeliveryRulesCard writable={writable} />
      </Col>
      <Col span={24}>
        <BlocklistCard writable={writable} />
      </Col>
    </Row>
  )
}
