import type { ProfileTag, TagGroup } from '@reachloop/domain'
import { Button, Table, Tag } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

/** The tags with their group, kind, size and freshness; `onApply` (for writers) opens tagging of a manual tag. */
export function TagsTable({
  tags,
  groups,
  loading,
  onApply,
}: {
  tags: ProfileTag[]
  groups: TagGroup[]
  loading: boolean
  onApply: ((tag: ProfileTag) => void) | undefined
}) {
  const { t, language } = useI18n()
  const groupName = (id: string | null) => groups.find((g) => g.id === id)?.name
  return (
    <Table<ProfileTag>
      rowKey="id"
      loading={loading}
      size="small"
      pagination={false}
      dataSource={tags}
      data-testid="tags-table"
      columns={[
        { title: t('segments.name'), dataIndex: 'name' },
        { title: t('tags.group'), dataIndex: 'groupId', render: (id: string | null) => groupName(id) ?? '—' },
        { title: t('segments.kind'), dataIndex: 'kind', render: (kind: ProfileTag['kind']) => <Tag>{t(`tags.kind.${kind}`)}</Tag> },
        { title: t('segments.size'), dataIndex: 'size', align: 'right' },
        {
          title: t('segments.computedAt'),
          dataIndex: 'computedAt',
          render: (at: string | null) => (at ? formatTime(at, language) : '—'),
        },
        {
          title: t('common.actions'),
          key: 'a',
          render: (_: unknown, tag) =>
            onApply &&
            tag.kind === 'manual' && (
              <Button size="small" onClick={() => onApply(tag)} data-testid={`apply-tag-${tag.name}`}>
                {t('tags.apply')}
              </Button>
            ),
        },
      ]}
    />
  )
}
