import { routes, type AudienceDependents, type ProfileTag } from '@reachloop/domain'
import { App, Button } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { DependentsDialog, dependentsOf } from '../segments/DependentsDialog.js'

/** Deletes a tag after a confirmation; a refusal names, as links, the segments and rule tags that use it. */
export function TagDeleteButton({ tag, onDeleted }: { tag: ProfileTag; onDeleted: () => Promise<void> }) {
  const { t } = useI18n()
  const { modal, message } = App.useApp()
  const showError = useErrorMessage()
  const [usedBy, setUsedBy] = useState<AudienceDependents['usedBy'] | null>(null)
  const remove = async () => {
    try {
      await api.call(routes.deleteTag, { params: { id: tag.id } })
      void message.success(t('segments.deleted', { name: tag.name }))
      await onDeleted()
    } catch (error) {
      const dependents = dependentsOf(error)
      if (dependents) setUsedBy(dependents)
      else showError(error)
    }
  }
  const confirm = () =>
    modal.confirm({
      title: t('tags.deleteConfirmTitle', { name: tag.name }),
      content: t('tags.deleteConfirmText', { size: tag.size }),
      okText: t('segments.delete'),
      okButtonProps: { danger: true, ...({ 'data-testid': 'confirm-delete' } as Record<string, string>) },
      cancelText: t('common.cancel'),
      onOk: remove,
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
