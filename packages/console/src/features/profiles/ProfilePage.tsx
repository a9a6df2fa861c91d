import { routes, type AudienceChange, type ProfileAudiences, type ProfileDetail, type TimelineEvent } from '@reachloop/domain'
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { ComputedValuesCard } from '../computed-properties/ComputedValuesCard.js'
import { formatTime } from '../../shared/format.js'
import { TimelineEntry } from './TimelineEntry.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { displayName } from '../../shared/profile-name.js'

const TYPES = ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const

/** Profile 360: who the customer is, how they were recognized, and everything they did. */
export function ProfilePage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [profile, setProfile] = useState<ProfileDetail>()
  const [events, setEvents] = useState<TimelineEvent[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [type, setType] = useState<string | undefined>()

  const [audiences, setAudiences] = useState<ProfileAudiences>()
  const [history, setHistory] = useState<AudienceChange[]>([])
  useEffect(() => void run(async () => setProfile(await api.call(routes.getProfile, { params: { id } }))), [id, run])
  useEffect(() => {
    if (!can('audiences.read')) return
    void run(async () => {
      const [current, changes] = await Promise.all([
        api.call(routes.getProfileAudiences, { params: { id } }),
        api.call(routes.getProfileAudienceHistory, { params: { id } }),
      ])
      setAudiences(current)
      setHistory(changes.items)
    })
  }, [id, run, can])
  const loadTimeline = useCallback(
    (after: string | null) =>
      run(async () => {
        const page = await api.call(routes.getTimeline, {
          params: { id },
          query: { limit: 50, ...(type ? { type } : {}), ...(after ? { cursor: after } : {}) },
        })
        setEvents((previous) => (after ? [...previous, ...page.items] : page.items))
        setCursor(page.nextCursor)
      }),
    [id, run, type],
  )
  useEffect(() => void loadTimeline(null), [loadTimeline])

  const erase = () =>
    run(async () => {
      await api.call(routes.eraseProfile, { params: { id } })
      void message.success(t('profiles.erased'))
      navigate('/profiles')
    })

  if (!profile) return <Card loading />
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
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
        <Row gutter={24}>
          <Col span={6}>
            <Statistic title={t('profiles.events')} value={profile.eventCount} />
          </Col>
          <Col span={9}>
            <Statistic title={t('profiles.firstSeen')} value={formatTime(profile.firstSeenAt, language)} />
          </Col>
          <Col span={9}>
            <Statistic title={t('profiles.lastSeen')} value={formatTime(profile.lastSeenAt, language)} />
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col span={12}>
          <Card title={t('profiles.traits')} size="small">
            {Object.keys(profile.traits).length === 0 ? (
              <Empty />
            ) : (
              <Descriptions
                column={1}
                size="small"
                items={Object.entries(profile.traits).map(([k, v]) => ({
                  key: k,
                  label: k,
                  children: typeof v === 'object' ? JSON.stringify(v) : String(v),
                }))}
              />
            )}
          </Card>
        </Col>
        <Col span={12}>
          <Card title={t('profiles.identifiers')} size="small">
            <Table
              rowKey={(i) => `${i.type}:${i.value}`}
              size="small"
              pagination={false}
              dataSource={profile.identifiers}
              data-testid="profile-identifiers"
              columns={[
                { title: t('sources.kind'), dataIndex: 'type' },
                { title: 'Value', dataIndex: 'value' },
                { title: t('profiles.firstSeen'), dataIndex: 'firstSeenAt', render: (at: string) => formatTime(at, language) },
              ]}
            />
            {profile.merges.length > 0 && (
              <>
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('profiles.merges')}
                </Typography.Title>
                {profile.merges.map((m) => (
                  <Typography.Paragraph key={`${m.fromProfileId}-${m.mergedAt}`} type="secondary">
                    {`${formatTime(m.mergedAt, language)} · ${t('profiles.mergedFrom')} ${m.fromProfileId.slice(0, 8)} · ${m.actor ?? ''}`}
                  </Typography.Paragraph>
                ))}
              </>
            )}
          </Card>
        </Col>
      </Row>
      {can('audiences.read') && (
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
          {history.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('tags.history')}
              </Typography.Title>
              {history.slice(0, 10).map((h, i) => (
                <Typography.Paragraph
                  key={`${h.at}-${i}`}
                  type="secondary"
                  style={{ marginBottom: 4 }}
                  data-testid="audience-history-entry"
                >
                  {`${formatTime(h.at, language)} · ${t(h.change === 'entered' ? (h.tagId ? 'timeline.tagAdded' : 'timeline.segmentEntered') : h.tagId ? 'timeline.tagRemoved' : 'timeline.segmentExited')} ${h.name} · ${h.actor}`}
                </Typography.Paragraph>
              ))}
            </>
          )}
        </Card>
      )}
      {can('audiences.read') && <ComputedValuesCard profileId={id} />}
      <Card
        title={t('profiles.timeline')}
        extra={
          <Select
            allowClear
            placeholder={t('timeline.all')}
            style={{ width: 160 }}
            value={type}
            onChange={setType}
            options={TYPES.map((v) => ({ value: v, label: v }))}
          />
        }
      >
        {events.length === 0 ? (
          <Empty />
        ) : (
          <Timeline
            data-testid="profile-timeline"
            items={events.map((e) => ({
              key: e.id,
              children: (
                <Flex vertical>
                  <Typography.Text type="secondary">{formatTime(e.timestamp, language)}</Typography.Text>
                  <TimelineEntry event={e} />
                </Flex>
              ),
            }))}
          />
        )}
        {cursor && (
          <Button onClick={() => void loadTimeline(cursor)} loading={busy}>
            {t('common.loadMore')}
          </Button>
        )}
      </Card>
    </Space>
  )
}
