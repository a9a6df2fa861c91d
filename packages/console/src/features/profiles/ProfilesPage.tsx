import { routes, type Profile, type ProfileListFilter } from '@reachloop/domain'
import { Button, Card, Flex, Table, Tag, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useCursorList } from '../../shared/use-cursor-list.js'
import { useI18n } from '../../i18n/i18n.js'
import { displayName } from '../../shared/profile-name.js'
import { ProfileExportButton } from './ProfileExportButton.js'
import { ProfileListFilters } from './ProfileListFilters.js'

/** Customers, fifty at a time: found by a search, filtered by trait, segment or tag, sorted, counted and exported. */
export function ProfilesPage() {
  const { t, language } = useI18n()
  const [filter, setFilter] = useState<ProfileListFilter>({})
  const [total, setTotal] = useState<number>()
  const key = JSON.stringify(filter)
  const profiles = useCursorList(
    async (cursor) => {
      if (!cursor) setTotal(undefined)
      const page = await api.call(routes.listProfiles, { query: { limit: 50, ...filter, ...(cursor ? { cursor } : {}) } })
      if (page.total !== undefined) setTotal(page.total)
      return page
    },
    [key],
  )
  const traitNames = useMemo(() => [...new Set(profiles.items.flatMap((p) => Object.keys(p.traits)))].sort(), [profiles.items])

  return (
    <Card
      title={
        <Flex align="baseline" gap={12} wrap>
          <span>{t('profiles.title')}</span>
          {total !== undefined && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid="profiles-total">
              {t('profileList.total', { count: total.toLocaleString(language) })}
            </Typography.Text>
          )}
        </Flex>
      }
      extra={<ProfileExportButton filter={filter} total={total} />}
      styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
    >
      <ProfileListFilters filter={filter} onChange={setFilter} traitNames={traitNames} />
      <Table<Profile>
        rowKey="id"
        loading={profiles.loading}
        dataSource={profiles.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="profiles-table"
        columns={[
          {
            title: t('profiles.customer'),
            key: 'name',
            render: (_: unknown, p: Profile) => <Link to={`/profiles/${p.id}`}>{displayName(p, t('profiles.anonymous'))}</Link>,
          },
          {
            title: t('profiles.identifiers'),
            key: 'identifiers',
            responsive: ['md'],
            render: (_: unknown, p: Profile) =>
              p.identifiers.slice(0, 4).map((i) => <Tag key={`${i.type}:${i.value}`}>{`${i.type}: ${i.value}`}</Tag>),
          },
          {
            title: t('profiles.lastSeen'),
            dataIndex: 'lastSeenAt',
            render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(at, language)}</span>,
          },
          {
            title: t('profiles.firstSeen'),
            dataIndex: 'firstSeenAt',
            responsive: ['lg'],
            render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(at, language)}</span>,
          },
        ]}
      />
      {profiles.hasMore && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void profiles.loadMore()} loading={profiles.loading}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Card>
  )
}
