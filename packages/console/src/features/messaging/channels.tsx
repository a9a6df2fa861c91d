import { ApiOutlined, AppstoreOutlined, MailOutlined, MessageOutlined, NotificationOutlined, WechatOutlined } from '@ant-design/icons'
import type { Channel, TemplateContent } from '@reachloop/domain'
import { Tag } from 'antd'
import type { ReactNode } from 'react'
import { useI18n } from '../../i18n/i18n.js'

const CHANNEL_LOOK: Record<Channel, { icon: ReactNode; color: string }> = {
  email: { icon: <MailOutlined />, color: 'blue' },
  sms: { icon: <MessageOutlined />, color: 'orange' },
  wechat: { icon: <WechatOutlined />, color: 'green' },
  miniprogram: { icon: <AppstoreOutlined />, color: 'lime' },
  wecom: { icon: <WechatOutlined />, color: 'cyan' },
  push: { icon: <NotificationOutlined />, color: 'purple' },
  webhook: { icon: <ApiOutlined />, color: 'default' },
}

/** A channel as a tag with its icon, e.g. a green WeChat tag. */
export function ChannelTag({ channel }: { channel: Channel }) {
  const { t } = useI18n()
  const look = CHANNEL_LOOK[channel]
  return (
    <Tag icon={look.icon} color={look.color} data-testid={`channel-${channel}`}>
      {t(`messaging.channel.${channel}`)}
    </Tag>
  )
}

/** The icon of a channel, for menus and options. */
export const channelIcon = (channel: Channel): ReactNode => CHANNEL_LOOK[channel].icon

/** What a new template of a channel starts with: every required field empty. */
export function emptyContent(channel: Channel): TemplateContent {
  switch (channel) {
    case 'email':
      return { channel, subject: '', preheader: '', format: 'html', body: '<p>{{ profile.first_name }}</p>', text: '' }
    case 'sms':
      return { channel, templateCode: '', signName: '', text: '', params: [] }
    case 'wechat':
      return { channel, templateId: '', data: [] }
    case 'miniprogram':
      return { channel, templateId: '', data: [] }
    case 'wecom':
      return { channel, kind: 'app', text: '' }
    case 'push':
      return { channel, title: '', body: '' }
    case 'webhook':
      return { channel, body: '{\n  "name": "{{ profile.first_name }}"\n}' }
  }
}
