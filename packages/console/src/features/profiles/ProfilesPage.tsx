import { routes, type Profile } from '@reachloop/domain'
import { Button, Card, Flex, Input, Table, Tag } from 'antd'
import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useCursorList } from '../../shared/use-cursor-list.js'
import { useI18n } from '../../i18n/i18n.js'
import { displayName } from '../../shared/profile-name.js'

/** Customers, fifty at a time, found by a search. */
export function ProfilesPage() {
  const { t, language } = useI18n()
  const [search, setSearch] = useState('')
  const profiles = useCursorList(
    (cursor) => api.call(routes.listProfiles, { query: { limit: 50, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) } }),
    [search],
  )

  return (
    <Card title={t('profiles.title')}>
      <Input.Search
        allowClear
        placeholder={t('profiles.search')}
        style={{ width: 360, marginBottom: 16 }}
        onSearch={(value) => setSearch(value.trim())}
        data-testid="profiles-search"
      />
      <Table<Profile>
        rowKey="id"
        loading={profiles.loading}
        dataSource={profiles.items}
        pagination={false}
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
            render: (_: unknown, p: Profile) =>
              p.identifiers.slice(0, 4).map((i) => <Tag key={`${i.type}:${i.value}`}>{`${i.type}: ${i.value}`}</Tag>),
          },
          { title: t('profiles.lastSeen'), dataIndex: 'lastSeenAt', width: 200, render: (at: string) => formatTime(at, language) },
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
