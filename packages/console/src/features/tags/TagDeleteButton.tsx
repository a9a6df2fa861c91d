import { routes, type AudienceDependents, type ProfileTag } from '@reachloop/domain'
import { Button } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useConfirmedDelete } from '../../shared/use-confirmed-delete.js'
import { DependentsDialog, dependentsOf } from '../segments/DependentsDialog.js'

/** Deletes a tag after a confirmation; a refusal names, as links, the segments and rule tags that use it. */
export function TagDeleteButton({ tag, onDeleted }: { tag: ProfileTag; onDeleted: () => Promise<void> }) {
  const { t } = useI18n()
  const confirmDelete = useConfirmedDelete()
  const [usedBy, setUsedBy] = useState<AudienceDependents['usedBy'] | null>(null)
  const confirm = () =>
    confirmDelete({
      name: tag.name,
      title: t('tags.deleteConfirmTitle', { name: tag.name }),
      content: t('tags.deleteConfirmText', { size: tag.size }),
      remove: () => api.call(routes.deleteTag, { params: { id: tag.id } }),
      onDeleted,
      onRefused: (error) => {
        const dependents = dependentsOf(error)
        if (dependents) setUsedBy(dependents)
        return dependents !== null
      },
    })
  return (
    <>
      <Button size="small" danger onClick={confirm} data-testid={`delete-tag-${tag.name}`}>
        {t('segments.delete')}
      </Button>
      <DependentsDialog name={tag.name} usedBy={usedBy} onClose={() => setUsedBy(null)} />
    </>
  )
}
