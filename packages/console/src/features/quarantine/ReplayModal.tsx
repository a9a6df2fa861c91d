import { App, Input, Modal } from 'antd'
import type { Dispatch, SetStateAction } from 'react'
import { useI18n } from '../../i18n/i18n.js'

/** A refused event being corrected: its id and its payload as JSON text. */
export interface Correction {
  id: string
  text: string
}

/** Edits a refused event's payload as JSON and ingests it again; text that is not JSON is refused here. */
export function ReplayModal({
  editing,
  onChange,
  onReplay,
}: {
  editing: Correction | null
  onChange: Dispatch<SetStateAction<Correction | null>>
  onReplay: (id: string, payload: Record<string, unknown>) => void
}) {
  const { t } = useI18n()
  const { message } = App.useApp()
  return (
    <Modal
      title={t('quarantine.edit')}
      open={editing !== null}
      width={720}
      okText={t('quarantine.replay')}
      cancelText={t('common.cancel')}
      onCancel={() => onChange(null)}
      onOk={() => {
        if (!editing) return
        try {
          onReplay(editing.id, JSON.parse(editing.text) as Record<string, unknown>)
        } catch (error) {
          void message.error(String(error))
        }
      }}
    >
      <Input.TextArea
        rows={14}
        value={editing?.text}
        onChange={(e) => onChange((current) => (current ? { ...current, text: e.target.value } : current))}
        style={{ fontFamily: 'monospace' }}
        data-testid="quarantine-editor"
      />
    </Modal>
  )
}
