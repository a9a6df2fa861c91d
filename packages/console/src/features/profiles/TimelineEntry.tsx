import type { TimelineEvent } from '@reachloop/domain'
import { Space, Tag, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { useMoney } from '../../shared/money-context.js'
import { describeEvent, type WordPart } from './timeline-words.js'

function Part({ part }: { part: WordPart }) {
  switch (part.kind) {
    case 'money':
      return <Typography.Text data-testid="timeline-money">{part.text}</Typography.Text>
    case 'tag':
      return <Tag color={part.color}>{part.text}</Tag>
    case 'code':
      return (
        <Typography.Text type="secondary" code>
          {part.text}
        </Typography.Text>
      )
    default:
      return <Typography.Text type="secondary">{part.text}</Typography.Text>
  }
}

/** One event of a timeline, told in words in the reader's language: what happened, amounts as money, and names. */
export function TimelineEntry({ event, describe }: { event: TimelineEvent; describe?: (name: string) => string | undefined }) {
  const { t, tMaybe, language } = useI18n()
  const money = useMoney()
  const { title, parts } = describeEvent(event, { t, tMaybe, language, money, describe })
  return (
    <Space wrap size={[8, 4]}>
      <Typography.Text strong>{title}</Typography.Text>
      {parts.map((part, i) => (
        <Part key={`${i}-${part.text}`} part={part} />
      ))}
    </Space>
  )
}
