import { CHANNEL_ADDRESS, routes, type Channel } from '@reachloop/domain'
import { Alert, Form, Input, Modal } from 'antd'
import { useState } from 'react'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'

/**
 * Sends the saved draft to an address the operator types (their own phone or inbox), rendered for
 * the customer the preview shows, then links to the message's page to follow its delivery.
 * `beforeSend` saves unsaved changes first; it resolves false when the save failed.
 */
export function TestSendModal({
  open,
  onClose,
  templateId,
  channel,
  profileId,
  beforeSend,
}: {
  open: boolean
  onClose: () => void
  templateId: string
  channel: Channel
  profileId: string | undefined
  beforeSend: () => Promise<boolean>
}) {
  const { t, tMaybe } = useI18n()
  const { busy, run } = useAction()
  const [to, setTo] = useState('')
  const [sent, setSent] = useState<string>()
  const send = () =>
    run(async () => {
      if (!(await beforeSend())) return
      const outcome = await api.call(routes.testSendTemplate, {
        params: { id: templateId },
        body: { to: to.trim(), ...(profileId ? { profileId } : {}) },
      })
      setSent(outcome.messageId)
    })
  const close = () => {
    setSent(undefined)
    onClose()
  }
  return (
    <Modal
      open={open}
      title={t('messaging.test.title')}
      onCancel={close}
      onOk={() => (sent ? close() : void send())}
      okText={sent ? t('common.confirm') : t('messaging.test.send')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, disabled: !sent && !to.trim(), ...({ 'data-testid': 'test-send-submit' } as Record<string, string>) }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item
          label={tMaybe(`messaging.test.to.${CHANNEL_ADDRESS[channel]}`, t('messaging.test.to'))}
          extra={profileId ? t('messaging.test.forProfile') : t('messaging.test.noProfile')}
        >
          <Input value={to} onChange={(e) => setTo(e.target.value)} onPressEnter={() => void send()} data-testid="test-send-to" />
        </Form.Item>
      </Form>
      {sent && (
        <Alert
          type="success"
          showIcon
          title={t('messaging.test.sent')}
          description={
            <Link to={`/messaging/messages/${sent}`} data-testid="test-send-message-link">
              {t('messaging.test.openMessage')}
            </Link>
          }
        />
      )}
    </Modal>
  )
}
