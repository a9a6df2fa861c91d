import { routes, type ProfileDetail } from '@reachloop/domain'
import { App, Button, Card, Col, Popconfirm, Row, Statistic } from 'antd'
import { useNavigate } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { displayName } from '../../shared/profile-name.js'
import { useSession } from '../../shared/session.js'
import { useAction } from '../../shared/use-action.js'

// A time is one figure: it may shrink a little but never breaks between its characters.
const FIGURE = { whiteSpace: 'nowrap', fontSize: 'clamp(18px, 5vw, 24px)' } as const

/** A profile's name, how many events and when first and last seen; who may write erases it here. */
export function ProfileSummaryCard({ id, profile }: { id: string; profile: ProfileDetail }) {
  const navigate = useNavigate()
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { run } = useAction()
  const erase = () =>
    run(async () => {
      await api.call(routes.eraseProfile, { params: { id } })
      void message.success(t('profiles.erased'))
      navigate('/profiles')
    })
  return (
    <Card
      styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
      title={<span data-testid="profile-name">{displayName(profile, t('profiles.anonymous'))}</span>}
      extra={
        can('profiles.write') && (
          <Popconfirm
            title={t('profiles.eraseConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={erase}
          >
            <Button danger>{t('profiles.erase')}</Button>
          </Popconfirm>
        )
      }
    >
      {/* Side by side on a wide screen; on a phone the count beside nothing, each time on a line of its own. */}
      <Row gutter={[24, 16]}>
        <Col xs={24} sm={6} data-testid="profile-figure">
          <Statistic title={t('profiles.events')} value={profile.eventCount} />
        </Col>
        <Col xs={24} sm={9} data-testid="profile-figure">
          <Statistic title={t('profiles.firstSeen')} value={formatTime(profile.firstSeenAt, language)} styles={{ content: FIGURE }} />
        </Col>
        <Col xs={24} sm={9} data-testid="profile-figure">
          <Statistic title={t('profiles.lastSeen')} value={formatTime(profile.lastSeenAt, language)} styles={{ content: FIGURE }} />
        </Col>
      </Row>
    </Card>
  )
}
