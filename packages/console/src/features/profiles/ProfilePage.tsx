import { routes } from '@reachloop/domain'
import { Card, Space } from 'antd'
import { useParams } from 'react-router-dom'
import { useCall } from '../../shared/use-load.js'
import { useSession } from '../../shared/session.js'
import { ComputedValuesCard } from '../computed-properties/ComputedValuesCard.js'
import { ProfileConsentCard } from '../message-log/ProfileConsentCard.js'
import { ProfileAudiencesCard } from './ProfileAudiencesCard.js'
import { ProfileFacts } from './ProfileFacts.js'
import { ProfileSummaryCard } from './ProfileSummaryCard.js'
import { ProfileTimelineCard } from './ProfileTimelineCard.js'
import { useProfileAudiences } from './use-profile-audiences.js'
import { useProfileTimeline } from './use-profile-timeline.js'

/** Profile 360: who the customer is, how they were recognized, and everything they did. */
export function ProfilePage() {
  const { id = '' } = useParams()
  const { can } = useSession()
  const audiencesAllowed = can('audiences.read')
  // Profile, audiences and timeline load side by side.
  const { data: profile } = useCall(routes.getProfile, { params: { id } })
  const { audiences, history } = useProfileAudiences(id, audiencesAllowed)
  const timeline = useProfileTimeline(id)

  if (!profile) return <Card loading />
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <ProfileSummaryCard id={id} profile={profile} />
      <ProfileFacts profile={profile} />
      {audiencesAllowed && <ProfileAudiencesCard audiences={audiences} history={history} />}
      {audiencesAllowed && <ComputedValuesCard profileId={id} />}
      <ProfileConsentCard profileId={id} />
      <ProfileTimelineCard timeline={timeline} />
    </Space>
  )
}
