import type { Computation, ProfileTag, TagGroup } from '@reachloop/domain'
import { Button, Space, Table, Tag } from 'antd'
import { useEffect } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'
import { ComputationState } from '../audiences/ComputationState.js'
import { useComputations } from '../audiences/use-computations.js'
import { LabelTags } from '../segments/LabelsFilter.js'
import { TagDeleteButton } from './TagDeleteButton.js'

/** The tags with their group, kind, size and freshness; `onApply` (for writers) opens tagging of a manual tag. */
export function TagsTable({
  tags,
  groups,
  loading,
  onApply,
  onEdit,
  onDeleted,
  onComputed,
}: {
  tags: ProfileTag[]
  groups: TagGroup[]
  loading: boolean
  onApply: ((tag: ProfileTag) => void) | undefined
  /** For writers: opens a tag's editor (and offers Delete beside it). */
  onEdit?: ((tag: ProfileTag) => void) | undefined
  onDeleted?: () => Promise<void>
  /** A rule tag's computation finished: its size and time changed. */
  onComputed?: () => Promise<void>
}) {
  const { t } = useI18n()
  const groupName = (id: string | null) => groups.find((g) => g.id === id)?.name
  const computations = useComputations({ kind: 'tag' }, onComputed)
  const { refresh } = computations
  // A new or changed rule tag queued a computation: ask again (and keep asking while it runs).
  useEffect(refresh, [tags, refresh])
  return (
    <Table<ProfileTag>
      rowKey="id"
      loading={loading}
      size="small"
      pagination={false}
      dataSource={tags}
      scroll={{ x: 'max-content' }}
      data-testid="tags-table"
      columns={[
        {
          title: t('segments.name'),
          dataIndex: 'name',
          render: (name: string, tag) => (
            <span title={tag.description || undefined} data-testid={`tag-row-${name}`}>
              {name}
              <LabelTags labels={tag.labels} />
            </span>
          ),
        },
        { title: t('tags.group'), dataIndex: 'groupId', responsive: ['sm'], render: (id: string | null) => groupName(id) ?? '—' },
        { title: t('segments.kind'), dataIndex: 'kind', render: (kind: ProfileTag['kind']) => <Tag>{t(`tags.kind.${kind}`)}</Tag> },
        { title: t('segments.size'), dataIndex: 'size', align: 'right' },
        {
          title: t('segments.computedAt'),
          dataIndex: 'computedAt',
          responsive: ['md'],
          render: (at: string | null, tag) => <Freshness at={at} computation={computations.of(tag.id)} />,
        },
        {
          title: t('common.actions'),
          key: 'a',
          render: (_: unknown, tag) => (
            <Space size={4} wrap>
              {onApply && tag.kind === 'manual' && (
                <Button size="small" onClick={() => onApply(tag)} data-testid={`apply-tag-${tag.name}`}>
                  {t('tags.apply')}
                </Button>
              )}
              {onEdit && (
                <Button size="small" onClick={() => onEdit(tag)} data-testid={`edit-tag-${tag.name}`}>
                  {t('tags.edit')}
                </Button>
              )}
              {onEdit && <TagDeleteButton tag={tag} onDeleted={onDeleted ?? (async () => {})} />}
            </Space>
          ),
        },
      ]}
    />
  )
}

/** When a tag was computed, and where its next computation stands. */
function Freshness({ at, computation }: { at: string | null; computation: Computation | undefined }) {
  const { language } = useI18n()
  return (
    <Space size={4} wrap>
      {at ? formatTime(at, language) : '—'}
      <ComputationState computation={computation} computedAt={at} />
    </Space>
  )
}
