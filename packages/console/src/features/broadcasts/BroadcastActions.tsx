import { routes, type Broadcast } from '@reachloop/domain'
import { App, Button, Space } from 'antd'
import { useNavigate } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useSession } from '../../shared/session.js'
import { useAction } from '../../shared/use-action.js'

type Action = 'schedule' | 'pause' | 'resume' | 'cancel'

/** What a broadcast in a state can do (as the server allows it). */
const ACTIONS: Record<Broadcast['state'], readonly Action[]> = {
  draft: ['schedule', 'cancel'],
  scheduled: ['pause', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
}
const ROUTE = {
  schedule: routes.scheduleBroadcast,
  pause: routes.pauseBroadcast,
  resume: routes.resumeBroadcast,
  cancel: routes.cancelBroadcast,
} as const
const DONE = {
  schedule: 'broadcasts.scheduled',
  pause: 'broadcasts.paused',
  resume: 'broadcasts.resumed',
  cancel: 'broadcasts.cancelled',
} as const
const LABEL = {
  schedule: 'broadcasts.scheduleDraft',
  pause: 'broadcasts.pause',
  resume: 'broadcasts.resume',
  cancel: 'broadcasts.cancel',
} as const

/** Pause, resume, schedule or cancel (confirmed) as the broadcast's state allows, and its messages in the log. */
export function BroadcastActions({ broadcast, onChanged }: { broadcast: Broadcast; onChanged: (next: Broadcast) => void }) {
  const { t } = useI18n()
  const { can } = useSession()
  const navigate = useNavigate()
  const { modal, message } = App.useApp()
  const { busy, run } = useAction()
  const act = (action: Action) =>
    run(async () => {
      const next = await api.call(ROUTE[action], { params: { id: broadcast.id } })
      void message.success(t(DONE[action]))
      onChanged(next)
    })
  const confirmCancel = () =>
    modal.confirm({
      title: t('broadcasts.cancelConfirm', { name: broadcast.name }),
      content: t('broadcasts.cancelConfirmText'),
      okText: t('broadcasts.cancel'),
      okButtonProps: { danger: true, ...({ 'data-testid': 'confirm-cancel-broadcast' } as Record<string, string>) },
      cancelText: t('broadcasts.keep'),
      onOk: () => act('cancel'),
    })
  return (
    <Space wrap>
      {can('messaging.write') &&
        ACTIONS[broadcast.state].map((action) => (
          <Button
            key={action}
            danger={action === 'cancel'}
            type={action === 'resume' || action === 'schedule' ? 'primary' : 'default'}
            disabled={busy}
            onClick={() => (action === 'cancel' ? confirmCancel() : void act(action))}
            data-testid={`${action}-broadcast`}
          >
            {t(LABEL[action])}
          </Button>
        ))}
      <Button onClick={() => navigate(`/messaging/messages?broadcastId=${broadcast.id}`)} data-testid="broadcast-messages">
        {t('broadcasts.viewMessages')}
      </Button>
    </Space>
  )
}
