import { routes, type MemberProfile, type ResponseOf } from '@reachloop/domain'
import { Button, Card, Table } from 'antd'
import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { displayName } from '../../shared/profile-name.js'
import { useAction } from '../../shared/use-action.js'

type MembersPage = ResponseOf<typeof routes.listSegmentMembers>

/** A segment's members, latest entries first: the first page as loaded, more on request. */
export function SegmentMembersCard({ segmentId, first }: { segmentId: string; first: MembersPage }) {
  const { t, language } = useI18n()
  const { run } = useAction()
  const [members, setMembers] = useState<MemberProfile[]>(first.items)
  const [cursor, setCursor] = useState<string | null>(first.nextCursor)
  useEffect(() => {
    setMembers(first.items)
    setCursor(first.nextCursor)
  }, [first])
  const more = () =>
    run(async () => {
      if (!cursor) return
      const page = await api.call(routes.listSegmentMembers, { params: { id: segmentId }, query: { limit: 50, cursor } })
      setMembers((previous) => [...previous, ...page.items])
      setCursor(page.nextCursor)
    })
  return (
    <Card title={t('segments.members')}>
      <Table<MemberProfile>
        rowKey="id"
        size="small"
        dataSource={members}
        pagination={false}
        data-testid="segment-members"
        columns={[
          {
            title: t('profiles.customer'),
            dataIndex: 'id',
            render: (memberId: string, p) => (
              <Link to={`/profiles/${memberId}`} data-testid="member-link">
                {displayName({ traits: p.traits, identifiers: [] }, memberId.slice(0, 8))}
              </Link>
            ),
          },
          { title: t('segments.enteredAt'), dataIndex: 'enteredAt', render: (at?: string) => (at ? formatTime(at, language) : '—') },
        ]}
      />
      {cursor && (
        <Button style={{ marginTop: 12 }} onClick={() => void more()}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  )
}
