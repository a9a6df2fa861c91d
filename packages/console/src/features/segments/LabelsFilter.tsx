import { Select, Tag } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

/** The labels of some segments or tags, once each, sorted. */
export const labelsOf = (items: ReadonlyArray<{ labels: readonly string[] }>): string[] =>
  [...new Set(items.flatMap((i) => i.labels))].sort((a, b) => a.localeCompare(b))

/** Picks one label to show only the segments or tags that carry it. */
export function LabelsFilter({
  labels,
  value,
  onChange,
  testId,
}: {
  labels: readonly string[]
  value: string | undefined
  onChange: (label: string | undefined) => void
  testId: string
}) {
  const { t } = useI18n()
  return (
    <Select
      allowClear
      style={{ minWidth: 160 }}
      placeholder={t('segments.labelFilter')}
      value={value}
      onChange={(label: string | undefined) => onChange(label)}
      options={labels.map((l) => ({ value: l, label: l }))}
      data-testid={testId}
    />
  )
}

/** Edits a list of labels: pick existing ones or type new ones. */
export function LabelsInput({
  value,
  onChange,
  known,
  testId,
}: {
  value?: string[]
  onChange?: (labels: string[]) => void
  known: readonly string[]
  testId: string
}) {
  const { t } = useI18n()
  return (
    <Select
      mode="tags"
      value={value ?? []}
      onChange={(labels: string[]) => onChange?.(labels.map((l) => l.trim()).filter((l) => l !== ''))}
      options={known.map((l) => ({ value: l, label: l }))}
      placeholder={t('segments.labelsHint')}
      tokenSeparators={[',', '，']}
      data-testid={testId}
    />
  )
}

/** A segment's or tag's labels, as small coloured tags. */
export function LabelTags({ labels }: { labels: readonly string[] }) {
  return labels.map((l) => (
    <Tag key={l} color="purple" style={{ marginInlineStart: 6 }}>
      {l}
    </Tag>
  ))
}
