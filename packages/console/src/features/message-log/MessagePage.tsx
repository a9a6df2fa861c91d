import { routes, type MessageDetail } from '@reachloop/domain'
import { Button, Card, Col, Descriptions, Empty, Row, Space, Table, Tag, Timeline, Typography } from 'antd'
import { useEffect } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'
import { useSession } from '../../shared/session.js'
import { api } from '../../shared/api.js'
import { useCall, useLoad } from '../../shared/use-load.js'
import { JsonBlock, MessageContent } from './MessageContent.js'
import { channelName, maskAddress, reasonInWords } from './message-words.js'
import { StatusTag } from './StatusTag.js'

type Attempt = MessageDetail['attempts'][number]
const TIMELINE_COLOURS: Record<string, string> = { failed: 'red', bounced: 'red', suppressed: 'orange', delivered: 'green' }
/** A message still on its way: its page looks again until it settles. */
const moving = (m: MessageDetail) => m.status === 'queued' || m.status === 'sending'

/** A link to the broadcast a message was part of, by its name once known. */
function BroadcastLink({ id }: { id: string }) {
  const { data } = useLoad(() => api.call(routes.getBroadcast, { params: { id } }).catch(() => null), [id])
  return (
    <Link to={`/broadcasts/${id}`} data-testid="message-broadcast">
      {data?.name ?? id.slice(0, 8)}
    </Link>
  )
}

/** Who a message went to, on which channel, from which template and broadcast, and why it stopped. */
function MessageFacts({ message }: { message: MessageDetail }) {
  const { t, tMaybe } = useI18n()
  const { can } = useSession()
  const address = message.address && (can('pii.read') ? message.address : maskAddress(message.channel, message.address))
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      items={[
        { key: 'channel', label: t('messageLog.channel'), children: channelName(message.channel, t) },
        { key: 'category', label: t('messageLog.category'), children: t(`messageLog.category.${message.category}`) },
        { key: 'template', label: t('messageLog.template'), children: message.templateName ?? '—' },
        {
          key: 'profile',
          label: t('messageLog.profile'),
          children: message.profileId ? (
            <Link to={`/profiles/${message.profileId}`} data-testid="message-profile">
              {address ?? message.profileId.slice(0, 8)}
            </Link>
          ) : (
            (address ?? '—')
          ),
        },
        {
          key: 'broadcast',
          label: t('messageLog.broadcast'),
          children: message.broadcastId ? <BroadcastLink id={message.broadcastId} /> : '—',
        },
        ...(message.reason ? [{ key: 'reason', label: t('messageLog.reason'), children: reasonInWords(message.reason, tMaybe) }] : []),
        { key: 'provider', label: t('messagePage.providerMessageId'), children: message.providerMessageId ?? '—' },
        { key: 'key', label: t('messagePage.idempotencyKey'), children: <Typography.Text code>{message.idempotencyKey}</Typography.Text> },
      ]}
    />
  )
}

/** Every call to the provider: when, what came of it, its code and detail, its response (expanded). */
function AttemptsCard({ attempts }: { attempts: Attempt[] }) {
  const { t, language } = useI18n()
  return (
    <Card title={t('messagePage.attempts')}>
      <Table<Attempt>
        rowKey="attempt"
        size="small"
        pagination={false}
        dataSource={attempts}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('messagePage.noAttempts') }}
        data-testid="message-attempts"
        expandable={{
          expandedRowRender: (a) => <JsonBlock value={a.response} />,
          rowExpandable: (a) => a.response !== null && a.response !== undefined,
        }}
        columns={[
          { title: t('messagePage.attempt'), dataIndex: 'attempt' },
          { title: t('messageLog.time'), dataIndex: 'at', render: (at: string) => formatTime(at, language) },
          { title: t('messagePage.outcome'), dataIndex: 'outcome', render: (o: string) => <StatusTag status={o} /> },
          {
            title: t('messagePage.code'),
            dataIndex: 'code',
            render: (c: string | null) => (c ? <Typography.Text code>{c}</Typography.Text> : '—'),
          },
          { title: t('messagePage.detail'), dataIndex: 'detail', render: (d: string | null) => d ?? '—' },
        ]}
      />
    </Card>
  )
}

/** A message: what it said, every status it reached with its time, every provider call and the provider's answer. */
export function MessagePage() {
  const { id = '' } = useParams()
  const { t, language } = useI18n()
  const navigate = useNavigate()
  const { data: message, reload } = useCall(routes.getMessage, { params: { id } })
  useEffect(() => {
    if (!message || !moving(message)) return
    const timer = setTimeout(() => void reload(), 2000)
    return () => clearTimeout(timer)
  }, [message, reload])

  if (!message) return <Card loading />
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {t('messagePage.title')}
            <StatusTag status={message.status} />
            {message.test && <Tag color="magenta">{t('messageLog.testTag')}</Tag>}
          </Space>
        }
        extra={
          // Back to the log as it was filtered, when the log opened this page; else to the whole log.
          <Button onClick={() => ((window.history.state as { idx?: number } | null)?.idx ? navigate(-1) : navigate('/messaging/messages'))}>
            {t('messagePage.back')}
          </Button>
        }
      >
        <MessageFacts message={message} />
      </Card>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={16}>
          <Card title={t('messagePage.content')}>
            <MessageContent content={message.content} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('messagePage.statuses')}>
            <Timeline
              data-testid="message-timeline"
              items={message.timeline.map((s) => ({
                key: s.status,
                color: TIMELINE_COLOURS[s.status] ?? 'blue',
                children: (
                  <Space direction="vertical" size={0}>
                    <StatusTag status={s.status} />
                    <Typography.Text type="secondary">{formatTime(s.at, language)}</Typography.Text>
                  </Space>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <AttemptsCard attempts={message.attempts} />
      <Card title={t('messagePage.providerResponse')}>
        {message.providerResponse === null || message.providerResponse === undefined ? (
          <Empty />
        ) : (
          <JsonBlock value={message.providerResponse} testId="provider-response" />
        )}
      </Card>
    </Space>
  )
}
