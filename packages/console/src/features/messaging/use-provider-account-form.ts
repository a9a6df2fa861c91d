import { routes, type ProviderAccount, type ProviderKind, type ResponseOf } from '@reachloop/domain'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api, ApiError } from '../../shared/api.js'
import { fieldProblems } from '../../shared/field-problems.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { ConfigJsonError, configToSend, draftFromConfig, draftFromDefaults, type ConfigDraft } from './provider-config.js'

/** A provider kind as `listProviderKinds` describes it. */
export type ProviderKindInfo = ResponseOf<typeof routes.listProviderKinds>['items'][number]

/** What the account form holds. */
export interface AccountValues {
  kind: ProviderKind | undefined
  name: string
  rate: number | null
  isDefault: boolean
  config: ConfigDraft
}

/** A refused save's problems: the configuration's by key, the others (name) by path. */
export interface AccountProblems {
  config: Record<string, string>
  other: Record<string, string>
}
const NO_PROBLEMS: AccountProblems = { config: {}, other: {} }

/** The problems of an INVALID_PROVIDER_CONFIG (`fields`, by `body.config.<key>`) or a schema refusal; null for other errors. */
function accountProblems(error: unknown): AccountProblems | null {
  if (!(error instanceof ApiError)) return null
  const errors = (error.details as { fields?: Array<{ field: string; message: string }> } | undefined)?.fields ?? []
  const all = { ...(fieldProblems(error) ?? {}) }
  for (const e of errors) all[e.field.replace(/^body\./, '')] ??= e.message
  if (Object.keys(all).length === 0) return null
  const found: AccountProblems = { config: {}, other: {} }
  for (const [path, message] of Object.entries(all)) {
    if (path.startsWith('config.')) found.config[path.slice('config.'.length).split('.')[0] ?? ''] ??= message
    else found.other[path] = message
  }
  return found
}

const valuesOf = (editing: ProviderAccount | null, kinds: readonly ProviderKindInfo[]): AccountValues => ({
  kind: editing?.kind,
  name: editing?.name ?? '',
  rate: editing?.ratePerSecond ?? null,
  isDefault: editing?.isDefault ?? false,
  config: editing ? draftFromConfig(kinds.find((k) => k.kind === editing.kind)?.configSchema, editing.config) : {},
})

/** The account form's state, reset each time it opens, and its save (problems shown by field). */
export function useProviderAccountForm({
  open,
  kinds,
  editing,
  onClose,
  onSaved,
}: {
  open: boolean
  kinds: readonly ProviderKindInfo[]
  editing: ProviderAccount | null
  onClose: () => void
  onSaved: () => Promise<void>
}) {
  const { t } = useI18n()
  const showError = useErrorMessage()
  const [values, setValues] = useState<AccountValues>(() => valuesOf(editing, kinds))
  const [problems, setProblems] = useState<AccountProblems>(NO_PROBLEMS)
  const [busy, setBusy] = useState(false)
  const info = kinds.find((k) => k.kind === values.kind)

  useEffect(() => {
    if (!open) return
    setProblems(NO_PROBLEMS)
    setValues(valuesOf(editing, kinds))
  }, [open, editing, kinds])

  const set = (part: Partial<AccountValues>) => setValues((v) => ({ ...v, ...part }))
  const pickKind = (kind: ProviderKind) => set({ kind, config: draftFromDefaults(kinds.find((k) => k.kind === kind)?.configSchema) })

  const save = async () => {
    if (!info) return
    setBusy(true)
    setProblems(NO_PROBLEMS)
    try {
      const body = {
        name: values.name.trim(),
        config: configToSend(info.configSchema, values.config),
        ratePerSecond: values.rate,
        isDefault: values.isDefault,
      }
      if (editing) await api.call(routes.updateProviderAccount, { params: { id: editing.id }, body })
      else await api.call(routes.createProviderAccount, { body: { kind: info.kind, ...body } })
      onClose()
      await onSaved()
    } catch (error) {
      const found =
        error instanceof ConfigJsonError ? { config: { [error.key]: t('messaging.providers.notJson') }, other: {} } : accountProblems(error)
      if (found) setProblems(found)
      else showError(error)
    } finally {
      setBusy(false)
    }
  }
  return { values, set, pickKind, info, problems, busy, save }
}
