import { routes, type ProfileConsent } from '@reachloop/domain'
import { App, Card, Switch, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useSession } from '../../shared/session.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { useCall } from '../../shared/use-load.js'
import { channelName } from './message-words.js'

/**
 * A profile's consent in every subscription group: the policy, what was recorded (by whom, when)
 * and whether marketing may reach the customer; a switch opts in or unsubscribes (source: console).
 */
export function ProfileConsentCard({ profileId }: { profileId: string }) {
  const { t, tMaybe, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const showError = useErrorMessage()
  const { data, loading, setData } = useCall(routes.profileConsents, { params: { id: profileId } })
  const [changing, setChanging] = useState<string>()
  const writable = can('profiles.write')
  const change = async (group: ProfileConsent, subscribed: boolean) => {
    setChanging(group.groupId)
    try {
      const state = subscribed ? 'opted_in' : 'unsubscribed'
      setData(await api.call(routes.setProfileConsent, { params: { id: profileId, groupId: group.groupId }, body: { state } }))
      void message.success(t('profileConsent.saved'))
    } catch (error) {
      showError(error)
    } finally {
      setChanging(undefined)
    }
  }
  return (
    <Card title={t('profileConsent.title')} size="small" data-testid="profile-consents">
      <Table<ProfileConsent>
        rowKey="groupId"
        size="small"
        loading={loading && !data}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data?.items ?? []}
        columns={[
          { title: t('profileConsent.group'), dataIndex: 'name' },
          { title: t('profileConsent.channel'), dataIndex: 'channel', render: (c: ProfileConsent['channel']) => channelName(c, t) },
          {
            title: t('profileConsent.policy'),
            dataIndex: 'policy',
            responsive: ['md'],
            render: (p: ProfileConsent['policy']) => t(`profileConsent.policy.${p}`),
          },
          {
            title: t('profileConsent.state'),
            dataIndex: 'state',
            render: (state: ProfileConsent['state']) =>
              state ? (
                <Tag color={state === 'opted_in' ? 'green' : 'red'}>{t(`profileConsent.state.${state}`)}</Tag>
              ) : (
                <Typography.Text type="secondary">{t('profileConsent.state.none')}</Typography.Text>
              ),
          },
          {
            title: t('profileConsent.reachable'),
            dataIndex: 'reachable',
            render: (reachable: boolean, c) => (
              <Switch
                checked={reachable}
                disabled={!writable}
                loading={changing === c.groupId}
                checkedChildren={t('common.yes')}
                unCheckedChildren={t('common.no')}
                onChange={(on) => void change(c, on)}
                data-testid={`consent-${c.key}`}
              />
            ),
          },
          {
            title: t('profileConsent.source'),
            dataIndex: 'source',
            responsive: ['md'],
            render: (source: string | null) => (source ? tMaybe(`profileConsent.source.${source}`, source) : '—'),
          },
          {
            title: t('profileConsent.changedAt'),
            dataIndex: 'changedAt',
            responsive: ['md'],
            render: (at: string | null) => (at ? formatTime(at, language) : '—'),
          },
        ]}
      />
    </Card>
  )
}
