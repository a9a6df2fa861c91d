import { assertNever, type TemplateContent, type TemplateProblem } from '@reachloop/domain'
import { Form } from 'antd'
import { PushFields, WebhookFields, WecomFields } from './AppFields.js'
import { EmailFields } from './EmailFields.js'
import { SmsFields } from './SmsFields.js'
import { MiniprogramFields, WechatFields } from './WechatFields.js'

/** The fields of a template's content, as its channel has them, with the problems found shown under each. */
export function ContentEditor({
  content,
  onChange,
  problems,
}: {
  content: TemplateContent
  onChange: (content: TemplateContent) => void
  problems: readonly TemplateProblem[]
}) {
  return (
    <Form layout="vertical" data-testid="content-editor">
      <ChannelFields content={content} onChange={onChange} problems={problems} />
    </Form>
  )
}

function ChannelFields({
  content,
  onChange,
  problems,
}: {
  content: TemplateContent
  onChange: (c: TemplateContent) => void
  problems: readonly TemplateProblem[]
}) {
  switch (content.channel) {
    case 'email':
      return <EmailFields content={content} onChange={onChange} problems={problems} />
    case 'sms':
      return <SmsFields content={content} onChange={onChange} problems={problems} />
    case 'wechat':
      return <WechatFields content={content} onChange={onChange} problems={problems} />
    case 'miniprogram':
      return <MiniprogramFields content={content} onChange={onChange} problems={problems} />
    case 'wecom':
      return <WecomFields content={content} onChange={onChange} problems={problems} />
    case 'push':
      return <PushFields content={content} onChange={onChange} problems={problems} />
    case 'webhook':
      return <WebhookFields content={content} onChange={onChange} problems={problems} />
    default:
      return assertNever(content)
  }
}
