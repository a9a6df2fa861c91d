import { routes, type TagGroup } from '@reachloop/domain'
import { App, Button, Space } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { api, ApiError } from '../../shared/api.js'
import { useConfirmedDelete } from '../../shared/use-confirmed-delete.js'

/** Edit and Delete of a tag group; a group with tags is not deleted, and the refusal names them. */
export function TagGroupActions({
  group,
  onEdit,
  onDeleted,
}: {
  group: TagGroup
  onEdit: (group: TagGroup) => void
  onDeleted: () => Promise<void>
}) {
  const { t } = useI18n()
  const { modal } = App.useApp()
  const confirmDelete = useConfirmedDelete()
  const confirm = () =>
    confirmDelete({
      name: group.name,
      title: t('tags.deleteGroupConfirm', { name: group.name }),
      remove: () => api.call(routes.deleteTagGroup, { params: { id: group.id } }),
      onDeleted,
      onRefused: (error) => {
        if (!(error instanceof ApiError && error.code === 'TAG_GROUP_NOT_EMPTY')) return false
        const tags = (error.details as { tags?: Array<{ name: string }> } | undefined)?.tags ?? []
        modal.warning({
          title: t('tags.groupNotEmpty', { name: group.name }),
          content: <span data-testid="group-not-empty">{tags.map((x) => x.name).join('、')}</span>,
          okText: t('segments.inUseOk'),
        })
        return true
      },
    })
  return (
    <Space size={4}>
      <Button size="small" onClick={() => onEdit(group)} data-testid={`edit-group-${group.name}`}>
        {t('tags.edit')}
      </Button>
      <Button size="small" danger onClick={confirm} data-testid={`delete-group-${group.name}`}>
        {t('segments.delete')}
      </Button>
    </Space>
  )
}
