import { routes } from '@reachloop/domain'
import { Card, Space } from 'antd'
import { useEffect } from 'react'
import { useParams } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useSession } from '../../shared/session.js'
import { useLoad } from '../../shared/use-load.js'
import { SegmentMembersCard } from './SegmentMembersCard.js'
import { SegmentSummaryCard } from './SegmentSummaryCard.js'
import { SegmentTrendChart } from './SegmentTrendChart.js'
import { StaticMembersCard } from './StaticMembersCard.js'

/** A segment: its size over time, entries and exits per day, its members, export and recompute. */
export function SegmentDetailPage() {
  const { id = '' } = useParams()
  const { t } = useI18n()
  const { can } = useSession()
  const { data, reload } = useLoad(async () => {
    const [segment, sizes, members] = await Promise.all([
      api.call(routes.getSegment, { params: { id } }),
      api.call(routes.getSegmentSizes, { params: { id } }),
      api.call(routes.listSegmentMembers, { params: { id }, query: { limit: 50 } }),
    ])
    return { segment, sizes, members }
  }, [id])
  const segment = data?.segment
  // A new segment is computed by a job: look again until it is done.
  useEffect(() => {
    if (!segment || segment.computedAt) return
    const timer = setTimeout(() => void reload(), 1000)
    return () => clearTimeout(timer)
  }, [segment, reload])

  if (!data || !segment) return <Card loading />
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <SegmentSummaryCard segment={segment} onComputed={reload} />
      <Card title={t('segments.trend')}>
        <SegmentTrendChart sizes={data.sizes} />
      </Card>
      {can('audiences.write') && segment.kind === 'static' && <StaticMembersCard segmentId={id} onSaved={reload} />}
      <SegmentMembersCard segmentId={id} first={data.members} />
    </Space>
  )
}
