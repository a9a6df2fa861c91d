import { routes, type ProfileTag, type TagProfilesOutcome } from '@reachloop/domain'
import { App, Modal, Radio, Select, Space } from 'antd'
import { useMemo, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import {
  ChunkedSendStatus,
  emptyIdentifierList,
  IdentifierCsvUpload,
  identifierValues,
  useChunkedSend,
} from '../audiences/IdentifierCsvUpload.js'
import { useIdentifierTypeOptions } from '../audiences/use-identifier-types.js'

/** Puts a manual tag on (or takes it off) the profiles of a list of identifiers, sent in parts when long. */
export function ApplyTagModal({
  tag,
  onClose,
  onApplied,
}: {
  tag: ProfileTag | null
  onClose: () => void
  onApplied: (outcome: TagProfilesOutcome & { tag: string }) => void
}) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const identifierTypes = useIdentifierTypeOptions()
  const [apply, setApply] = useState({ action: 'add' as 'add' | 'remove', identifierType: 'phone' })
  const [list, setList] = useState(emptyIdentifierList)
  const listed = useMemo(() => identifierValues(list, apply.identifierType).values, [list, apply.identifierType])
  const chunked = useChunkedSend()
  const submit = () =>
    run(async () => {
      if (!tag) return
      const { action, identifierType } = apply
      const outcomes = await chunked.send(listed, (values) =>
        api.call(routes.tagProfiles, { params: { id: tag.id }, body: { action, identifierType, values } }),
      )
      const last = outcomes.at(-1)
      if (!last) return
      const changed = outcomes.reduce((n, o) => n + o.changed, 0)
      const unknown = outcomes.reduce((n, o) => n + o.unknown, 0)
      void message.success(t('tags.applied', { changed, unknown }))
      setList(emptyIdentifierList)
      onApplied({ tag: tag.name, size: last.size, changed, unknown })
    })
  return (
    <Modal
      open={tag !== null}
      title={`${t('tags.apply')}: ${tag?.name ?? ''}`}
      onOk={() => void submit()}
      onCancel={() => {
        onClose()
        setList(emptyIdentifierList)
        chunked.reset()
      }}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: listed.length === 0, ...({ 'data-testid': 'apply-tag-submit' } as Record<string, string>) }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={apply.action}
          onChange={(e) => setApply({ ...apply, action: e.target.value as 'add' | 'remove' })}
          options={[
            { value: 'add', label: t('tags.apply') },
            { value: 'remove', label: t('tags.untag') },
          ]}
        />
        <Select
          style={{ width: 200 }}
          value={apply.identifierType}
          onChange={(identifierType: string) => setApply({ ...apply, identifierType })}
          options={identifierTypes}
          data-testid="apply-tag-type"
        />
        <IdentifierCsvUpload identifierType={apply.identifierType} value={list} onChange={setList} pasteTestId="apply-tag-values" />
        <ChunkedSendStatus progress={chunked.progress} stopped={chunked.stopped} />
      </Space>
    </Modal>
  )
}
