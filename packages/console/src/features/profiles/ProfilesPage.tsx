import { routes, type Profile } from '@reachloop/domain'
import { Button, Card, Flex, Input, Table, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { displayName } from '../../shared/profile-name.js'

export function ProfilesPage() {
  const { t, language } = useI18n()
  const { busy, run } = useAction()
  const [profiles, setProfiles] = useState<Profile[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [search, setSearch] = useState('')

  const load = useCallback(
    (after: string | null) =>
      run(async () => {
        const page = await api.call(routes.listProfiles, {
          query: { limit: 50, ...(search ? { search } : {}), ...(after ? { cursor: after } : {}) },
        })
        setProfiles((previous) => (after ? [...previous, ...page.items] : page.items))
        setCursor(page.nextCursor)
      }),
    [run, search],
  )
  useEffect(() => void load(null), [load])

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
        loading={busy}
        dataSource={profiles}
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
      {cursor && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void load(cursor)} loading={busy}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Card>
  )
}
