import { routes, type StaticMembersOutcome } from '@reachloop/domain'
import { App, Button, Card, Form, Radio, Select, Space } from 'antd'
import { useMemo, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import {
  ChunkedSendStatus,
  emptyIdentifierList,
  IdentifierCsvUpload,
  identifierValues,
  IdentifierUploadResult,
  useChunkedSend,
} from '../audiences/IdentifierCsvUpload.js'
import { useIdentifierTypeOptions } from '../audiences/use-identifier-types.js'

/** The list of a static segment: identifiers from a CSV file or pasted, appended or replacing the list. */
export function StaticMembersCard({ segmentId, onSaved }: { segmentId: string; onSaved: () => Promise<void> }) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  // No mode until the operator chooses one: replacing a list must be meant.
  const [upload, setUpload] = useState<UploadMode>({ mode: null, identifierType: 'phone' })
  const [list, setList] = useState(emptyIdentifierList)
  const listed = useMemo(() => identifierValues(list, upload.identifierType).values, [list, upload.identifierType])
  const [uploaded, setUploaded] = useState<StaticMembersOutcome | null>(null)
  const chunked = useChunkedSend()
  const putMembers = () =>
    run(async () => {
      const { mode, identifierType } = upload
      if (!mode) return
      // A list longer than one request goes in parts: the first replaces (in replace mode), the rest append.
      const outcomes = await chunked.send(listed, (values, index) =>
        api.call(routes.setStaticMembers, {
          params: { id: segmentId },
          body: { mode: index === 0 ? mode : 'append', identifierType, values },
        }),
      )
      const last = outcomes.at(-1)
      if (!last) return
      const sum = (key: 'entered' | 'exited' | 'unknown') => outcomes.reduce((n, o) => n + o[key], 0)
      setUploaded({ size: last.size, entered: sum('entered'), exited: sum('exited'), unknown: sum('unknown') })
      void message.success(t('segments.uploaded', { size: last.size, unknown: sum('unknown') }))
      setList(emptyIdentifierList)
      await onSaved()
    })
  return (
    <Card title={t('segments.staticUpload')}>
      <Form layout="vertical">
        <UploadChoices upload={upload} onChange={setUpload} />
        <Space orientation="vertical" style={{ width: '100%' }}>
          <IdentifierCsvUpload
            identifierType={upload.identifierType}
            value={list}
            onChange={(next) => {
              setList(next)
              setUploaded(null)
              chunked.reset()
            }}
            pasteTestId="static-values"
          />
          <ChunkedSendStatus progress={chunked.progress} stopped={chunked.stopped} />
          {uploaded && (
            <IdentifierUploadResult
              size={uploaded.size}
              changes={[
                { label: t('segments.entered'), count: uploaded.entered },
                { label: t('segments.exited'), count: uploaded.exited },
              ]}
              unknown={uploaded.unknown}
              onClose={() => setUploaded(null)}
            />
          )}
          <Button
            type="primary"
            loading={busy}
            disabled={!upload.mode || listed.length === 0}
            onClick={() => void putMembers()}
            data-testid="static-submit"
          >
            {t('common.save')}
          </Button>
        </Space>
      </Form>
    </Card>
  )
}

type UploadMode = { mode: 'append' | 'replace' | null; identifierType: string }

/** Which identifier type the list holds, and whether it is appended or replaces the members. */
function UploadChoices({ upload, onChange }: { upload: UploadMode; onChange: (next: UploadMode) => void }) {
  const { t } = useI18n()
  const identifierTypes = useIdentifierTypeOptions()
  return (
    <Space wrap>
      <Form.Item label={t('segments.identifierType')}>
        <Select
          style={{ width: 180 }}
          value={upload.identifierType}
          onChange={(identifierType: string) => onChange({ ...upload, identifierType })}
          options={identifierTypes}
          data-testid="static-type"
        />
      </Form.Item>
      <Form.Item label={t('segments.mode')} required>
        <Radio.Group
          value={upload.mode}
          onChange={(e) => onChange({ ...upload, mode: e.target.value as 'append' | 'replace' })}
          options={[
            { value: 'append', label: t('segments.append') },
            { value: 'replace', label: t('segments.replace') },
          ]}
          data-testid="static-mode"
        />
      </Form.Item>
    </Space>
  )
}
