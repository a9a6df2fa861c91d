import { normalizeOrigin, routes, type Source } from '@reachloop/domain'
import { App, Button, Input, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useI18n } from '../../i18n/i18n.js'
import { useAction } from '../../shared/use-action.js'

/** The origins in the list as tags (closable when editable), or "any origin" when it is empty. */
function OriginTags({ origins, editable, onRemove }: { origins: string[]; editable: boolean; onRemove: (origin: string) => void }) {
  const { t } = useI18n()
  return (
    <Space wrap size={[4, 8]}>
      <Typography.Text type="secondary">{t('sources.allowedOrigins')}:</Typography.Text>
      {origins.length === 0 && (
        <Tag color="orange" data-testid="origins-any">
          {t('sources.anyOrigin')}
        </Tag>
      )}
      {origins.map((origin) => (
        <Tag key={origin} color="blue" closable={editable} onClose={() => onRemove(origin)} data-testid={`origin-${origin}`}>
          {origin}
        </Tag>
      ))}
    </Space>
  )
}

/**
 * The browser origins a source takes events from, edited as a list and saved at once. An empty list
 * is "any origin" (the server stores it as null), which is what a new source starts with.
 */
export function AllowedOriginsEditor({
  source,
  editable,
  onSaved,
}: {
  source: Source
  editable: boolean
  onSaved: (source: Source) => void
}) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [origins, setOrigins] = useState<string[]>(source.allowedOrigins ?? [])
  const [draft, setDraft] = useState('')
  const [invalid, setInvalid] = useState(false)
  const saved = source.allowedOrigins ?? []
  const changed = origins.length !== saved.length || origins.some((o, i) => o !== saved[i])

  // The same normalization as the server's, so what the list shows is what will be compared.
  const add = () => {
    const origin = normalizeOrigin(draft)
    if (!origin) return setInvalid(true)
    if (!origins.includes(origin)) setOrigins([...origins, origin])
    setDraft('')
  }
  const save = () =>
    run(async () => {
      const updated = await api.call(routes.updateSource, {
        params: { id: source.id },
        body: { allowedOrigins: origins.length > 0 ? origins : null },
      })
      setOrigins(updated.allowedOrigins ?? [])
      onSaved(updated)
      void message.success(t('common.saved'))
    })

  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="allowed-origins">
      <OriginTags origins={origins} editable={editable} onRemove={(origin) => setOrigins(origins.filter((o) => o !== origin))} />
      {editable && (
        <Space.Compact style={{ maxWidth: 560, width: '100%' }}>
          <Input
            value={draft}
            placeholder="https://shop.example.com"
            status={invalid ? 'error' : ''}
            onChange={(e) => {
              setDraft(e.target.value)
              setInvalid(false)
            }}
            onPressEnter={add}
            data-testid="origin-input"
          />
          <Button onClick={add} disabled={draft.trim() === ''} data-testid="origin-add">
            {t('sources.originAdd')}
          </Button>
          <Button type="primary" onClick={() => void save()} loading={busy} disabled={!changed} data-testid="origins-save">
            {t('sources.originsSave')}
          </Button>
        </Space.Compact>
      )}
      {invalid && <Typography.Text type="danger">{t('sources.originInvalid')}</Typography.Text>}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('sources.originsHint')}
      </Typography.Text>
    </Space>
  )
}
