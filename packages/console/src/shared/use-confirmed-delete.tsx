import { App } from 'antd'
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/i18n.js'
import { useErrorMessage } from './use-error-message.js'

/** What one delete says and does: its confirmation, the call, and what follows it. */
export interface ConfirmedDelete {
  /** The thing's name: in the success message. */
  name: string
  title: string
  content?: ReactNode
  remove: () => Promise<unknown>
  onDeleted: () => void | Promise<void>
  /** Shows a refusal it knows (e.g. "in use", with what uses it) and says so; other errors show as messages. */
  onRefused?: (error: unknown) => boolean
}

/**
 * A delete confirmed in a dialog (its button red, test id `confirm-delete`), then a success message,
 * or the refusal shown by the page or as an error message.
 *
 * @example
 * const confirmDelete = useConfirmedDelete()
 * <Button danger onClick={() => confirmDelete({ name, title, remove, onDeleted })} />
 */
export function useConfirmedDelete(): (what: ConfirmedDelete) => void {
  const { t } = useI18n()
  const { modal, message } = App.useApp()
  const showError = useErrorMessage()
  return (what) => {
    const remove = async () => {
      try {
        await what.remove()
        void message.success(t('segments.deleted', { name: what.name }))
        await what.onDeleted()
      } catch (error) {
        if (!what.onRefused?.(error)) showError(error)
      }
    }
    modal.confirm({
      title: what.title,
      content: what.content,
      okText: t('segments.delete'),
      okButtonProps: { danger: true, ...({ 'data-testid': 'confirm-delete' } as Record<string, string>) },
      cancelText: t('common.cancel'),
      onOk: remove,
    })
  }
}
