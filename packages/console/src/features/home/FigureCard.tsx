import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons'
import type { OverviewFigure } from '@reachloop/domain'
import { Card, Statistic, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

/** How a figure moved since the previous period: its direction and the change as a share of the previous value. */
export function changeOf(figure: OverviewFigure): { direction: 'up' | 'down' | 'same' | 'new'; share: number } {
  if (figure.value === figure.previous) return { direction: 'same', share: 0 }
  if (figure.previous === 0) return { direction: 'new', share: 0 }
  const share = Math.abs(figure.value - figure.previous) / Math.abs(figure.previous)
  return { direction: figure.value > figure.previous ? 'up' : 'down', share }
}

/** One figure of the period with its change from the period before (up green, down red). */
export function FigureCard({
  title,
  figure,
  format,
  testId,
}: {
  title: string
  figure: OverviewFigure
  format: (n: number) => string
  testId: string
}) {
  const { t, language } = useI18n()
  const change = changeOf(figure)
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(change.share)
  const text =
    change.direction === 'up'
      ? t('home.changeUp', { percent })
      : change.direction === 'down'
        ? t('home.changeDown', { percent })
        : change.direction === 'new'
          ? t('home.changeNew')
          : t('home.changeSame')
  const color = change.direction === 'up' ? '#15803d' : change.direction === 'down' ? '#b91c1c' : undefined
  return (
    <Card size="small" data-testid={testId}>
      <Statistic title={title} value={figure.value} formatter={() => <span data-testid={`${testId}-value`}>{format(figure.value)}</span>} />
      <Typography.Text
        style={{ color }}
        type={color ? undefined : 'secondary'}
        data-testid={`${testId}-change`}
        data-direction={change.direction}
      >
        {change.direction === 'up' && <ArrowUpOutlined />}
        {change.direction === 'down' && <ArrowDownOutlined />} {text}
      </Typography.Text>
    </Card>
  )
}
