import type { AudienceChange, ProfileAudiences } from '@reachloop/domain'
import { Card, Space, Tag, Typography } from 'antd'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

/** The latest entries into and exits from segments and tags, ten at most. */
function AudienceHistory({ history }: { history: AudienceChange[] }) {
  const { t, language } = useI18n()
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('tags.history')}
      </Typography.Title>
      {history.slice(0, 10).map((h, i) => (
        <Typography.Paragraph key={`${h.at}-${i}`} type="secondary" style={{ marginBottom: 4 }} data-testid="audience-history-entry">
          {`${formatTime(h.at, language)} · ${t(h.change === 'entered' ? (h.tagId ? 'timeline.tagAdded' : 'timeline.segmentEntered') : h.tagId ? 'timeline.tagRemoved' : 'timeline.segmentExited')} ${h.name} · ${h.actor}`}
        </Typography.Paragraph>
      ))}
    </>
  )
}

/** The segments and tags a profile is in, and how that changed lately. */
export function ProfileAudiencesCard({ audiences, history }: { audiences: ProfileAudiences | undefined; history: AudienceChange[] }) {
  const { t } = useI18n()
  return (
    <Card title={`${t('segments.inSegments')} · ${t('segments.tags')}`} size="small" data-testid="profile-segments">
      {audiences && audiences.segments.length + audiences.tags.length > 0 ? (
        <Space wrap>
          {audiences.segments.map((s) => (
            <Link key={s.id} to={`/segments/${s.id}`}>
              <Tag color="geekblue">{s.name}</Tag>
            </Link>
          ))}
          {audiences.tags.map((tag) => (
            <Tag key={tag.id} color="gold">
              {tag.group ? `${tag.group}: ${tag.name}` : tag.name}
            </Tag>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('segments.none')}</Typography.Text>
      )}
      {history.length > 0 && <AudienceHistory history={history} />}
    </Card>
  )
}
