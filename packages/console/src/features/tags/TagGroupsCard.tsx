import type { TagGroup } from '@reachloop/domain'
import { Button, Card, Table } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { EditTagGroupModal } from './EditTagGroupModal.js'
import { TagGroupActions } from './TagGroupActions.js'

/** The tag groups (layers), exclusive or not; writers create, edit and delete them. */
export function TagGroupsCard({
  groups,
  write,
  onNew,
  onChanged,
}: {
  groups: TagGroup[]
  write: boolean
  onNew: () => void
  onChanged: () => Promise<void>
}) {
  const { t } = useI18n()
  const [editingGroup, setEditingGroup] = useState<TagGroup | null>(null)
  return (
    <>
      <Card
        title={t('tags.groups')}
        extra={
          write && (
            <Button onClick={() => onNew()} data-testid="new-tag-group">
              {t('tags.newGroup')}
            </Button>
          )
        }
      >
        <Table<TagGroup>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={groups}
          columns={[
            { title: t('segments.name'), dataIndex: 'name' },
            { title: t('tags.exclusive'), dataIndex: 'exclusive', render: (x: boolean) => (x ? '✓' : '') },
            ...(write
              ? [
                  {
                    title: t('common.actions'),
                    key: 'a',
                    render: (_: unknown, g: TagGroup) => <TagGroupActions group={g} onEdit={setEditingGroup} onDeleted={onChanged} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <EditTagGroupModal group={editingGroup} onClose={() => setEditingGroup(null)} onSaved={onChanged} />
    </>
  )
}
