import { routes, type MessageTemplate, type TemplateContent, type TemplateProblem } from '@reachloop/domain'
import { App } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { refusedProblems } from './template-problems.js'
import type { TemplateSettings } from './TemplateSettingsCard.js'

/**
 * Saving and publishing a template being edited: a save sends the draft and settings when changed;
 * Publish saves first (the server publishes the saved draft), and a refusal's problems are kept to
 * show by field. Leaving the page with unsaved changes asks first.
 */
export function useTemplateSaving(
  template: MessageTemplate,
  draft: TemplateContent,
  settings: TemplateSettings,
  onSaved: (saved: MessageTemplate) => void,
) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const showError = useErrorMessage()
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null)
  const [refused, setRefused] = useState<TemplateProblem[] | null>(null)

  useEffect(() => {
    if (!dirty) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [dirty])

  /** Saves when changed; false when the save failed (its error shown). */
  const save = useCallback(async (): Promise<boolean> => {
    if (!dirty) return true
    try {
      const body = { ...settings, name: settings.name.trim(), draft }
      onSaved(await api.call(routes.updateTemplate, { params: { id: template.id }, body }))
      setDirty(false)
      return true
    } catch (error) {
      showError(error)
      return false
    }
  }, [dirty, draft, settings, template.id, onSaved, showError])

  const saveClicked = async () => {
    setBusy('save')
    if (await save()) void message.success(t('common.saved'))
    setBusy(null)
  }

  const publish = async () => {
    setBusy('publish')
    setRefused(null)
    try {
      if (await save()) {
        onSaved(await api.call(routes.publishTemplate, { params: { id: template.id } }))
        void message.success(t('messaging.template.publishedOk'))
      }
    } catch (error) {
      const problems = refusedProblems(error)
      if (problems) setRefused(problems)
      else showError(error)
    } finally {
      setBusy(null)
    }
  }

  /** A change in the editor: unsaved now, and an earlier refusal no longer describes it. */
  const changed = useCallback(() => {
    setDirty(true)
    setRefused(null)
  }, [])
  return { dirty, busy, refused, save, saveClicked, publish, changed }
}
