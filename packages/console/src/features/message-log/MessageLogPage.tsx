import { routes, type MessageSummary } from '@reachloop/domain'
import { Button, Card, Flex, Table, Tag, Typography } from 'antd'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useSession } from '../../shared/session.js'
import { useCursorList } from '../../shared/use-cursor-list.js'
import { MessageLogFilters, useMessageFilter } from './MessageLogFilters.js'
import { channelName, maskAddress, reasonInWords } from './message-words.js'
import { StatusTag } from './StatusTag.js'

/** Every message sent or stopped, newest first, narrowed by status, channel, template, broadcast and customer. */
export function MessageLogPage() {
  const { t, tMaybe, language } = useI18n()
  const { can } = useSession()
  const pii = can('pii.read')
  const [filter, change] = useMessageFilter()
  const key = JSON.stringify(filter)
  const log = useCursorList(
    (cursor) =>
      api.call(routes.listMessages, { query: { limit: 50, ...(JSON.parse(key) as typeof filter), ...(cursor ? { cursor } : {}) } }),
    [key],
  )
  return (
    <Card title={t('messageLog.title')}>
      <MessageLogFilters filter={filter} onChange={change} />
      <Table<MessageSummary>
        rowKey="id"
        loading={log.loading}
        dataSource={log.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('messageLog.none') }}
        data-testid="message-log"
        columns={[
          {
            title: t('messageLog.time'),
            dataIndex: 'queuedAt',
            render: (at: string, m) => (
              <Link to={`/messaging/messages/${m.id}`} data-testid="open-message">
                {formatTime(at, language)}
              </Link>
            ),
          },
          { title: t('messageLog.channel'), dataIndex: 'channel', render: (c: MessageSummary['channel']) => channelName(c, t) },
          {
            title: t('messageLog.template'),
            dataIndex: 'templateName',
            render: (name: string | null) => name ?? <Typography.Text type="secondary">—</Typography.Text>,
          },
          {
            title: t('messageLog.address'),
            dataIndex: 'address',
            render: (address: string | null, m) =>
              address ? (
                m.profileId ? (
                  <Link to={`/profiles/${m.profileId}`}>{pii ? address : maskAddress(m.channel, address)}</Link>
                ) : pii ? (
                  address
                ) : (
                  maskAddress(m.channel, address)
                )
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          { title: t('messageLog.status'), dataIndex: 'status', render: (s: MessageSummary['status']) => <StatusTag status={s} /> },
          {
            title: t('messageLog.reason'),
            dataIndex: 'reason',
            render: (reason: string | null) => <span data-testid="message-reason">{reasonInWords(reason, tMaybe)}</span>,
          },
          {
            title: t('messageLog.test'),
            dataIndex: 'test',
            render: (test: boolean) => (test ? <Tag color="magenta">{t('messageLog.testTag')}</Tag> : null),
          },
        ]}
      />
      {log.hasMore && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void log.loadMore()} loading={log.loading} data-testid="load-more-messages">
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Card>
  )
}
