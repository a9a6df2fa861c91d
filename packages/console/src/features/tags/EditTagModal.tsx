import { routes, type ProfileTag, type SegmentNode, type TagGroup } from '@reachloop/domain'
import { App, Form, Input, Modal, Select } from 'antd'
import { useEffect, useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { loadBuilderOptions } from '../audiences/builder-options.js'
import type { BuilderOptions } from '../audiences/SegmentBuilder.js'
import { LabelsInput } from '../segments/LabelsFilter.js'
import { RuleDefinitionEditor } from './RuleDefinitionEditor.js'

const NO_OPTIONS: BuilderOptions = {
  segments: [],
  tags: [],
  identifierTypes: [],
  sources: [],
  computedProperties: [],
  subscriptionGroups: [],
}

/** `?edit=<tag id>` (a link from a refused delete) opens that tag's editor once the tags are loaded. */
export function useEditFromLink(tags: readonly ProfileTag[] | undefined, open: (tag: ProfileTag) => void): void {
  const [search, setSearch] = useSearchParams()
  const editId = search.get('edit')
  useEffect(() => {
    const tag = editId ? tags?.find((x) => x.id === editId) : undefined
    if (!tag) return
    open(tag)
    setSearch({}, { replace: true })
  }, [editId, tags, open, setSearch])
}

interface TagFields {
  name: string
  description: string
  groupId: string | null
  labels: string[]
}

/**
 * Edits a tag: name, description, group and labels; for a rule tag also its conditions, with the
 * same live count and sample as the segment builder (a new definition is computed by a job).
 */
export function EditTagModal({
  tag,
  groups,
  knownLabels,
  onClose,
  onSaved,
}: {
  tag: ProfileTag | null
  groups: TagGroup[]
  knownLabels: readonly string[]
  onClose: () => void
  onSaved: () => Promise<void>
}) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [form] = Form.useForm<TagFields>()
  const [options, setOptions] = useState<BuilderOptions>(NO_OPTIONS)
  const [definition, setDefinition] = useState<SegmentNode | null>(null)
  useEffect(() => {
    if (!tag) return
    form.setFieldsValue({ name: tag.name, description: tag.description, groupId: tag.groupId, labels: tag.labels })
    setDefinition(tag.definition)
    // A rule tag cannot be built on itself.
    if (tag.kind === 'rule')
      void run(async () => {
        const { options: loaded } = await loadBuilderOptions()
        setOptions({ ...loaded, tags: loaded.tags.filter((x) => x.id !== tag.id) })
      })
  }, [tag, form, run])
  const save = () =>
    run(async () => {
      if (!tag) return
      const values = await form.validateFields()
      const body = {
        name: values.name,
        description: values.description ?? '',
        groupId: values.groupId ?? null,
        labels: values.labels ?? [],
        // Only new conditions are sent: a rename does not recompute the tag.
        ...(definition && JSON.stringify(definition) !== JSON.stringify(tag.definition) ? { definition } : {}),
      }
      await api.call(routes.updateTag, { params: { id: tag.id }, body })
      void message.success(t('definition' in body ? 'tags.savedRule' : 'tags.saved'))
      onClose()
      await onSaved()
    })
  const rule = tag?.kind === 'rule' && definition !== null
  return (
    <Modal
      width={rule ? 1200 : 560}
      open={tag !== null}
      title={`${t('tags.edit')}: ${tag?.name ?? ''}`}
      onOk={() => void save()}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'edit-tag-submit' } as Record<string, string>}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('segments.name')} rules={[{ required: true }]}>
          <Input data-testid="edit-tag-name" />
        </Form.Item>
        <Form.Item name="description" label={t('segments.description')}>
          <Input data-testid="edit-tag-description" />
        </Form.Item>
        <Form.Item name="groupId" label={t('tags.group')}>
          <Select allowClear options={groups.map((g) => ({ value: g.id, label: g.name }))} data-testid="edit-tag-group" />
        </Form.Item>
        <Form.Item name="labels" label={t('segments.labels')}>
          <LabelsInput known={knownLabels} testId="edit-tag-labels" />
        </Form.Item>
      </Form>
      {rule && <RuleDefinitionEditor hint={t('tags.ruleRecomputed')} definition={definition} options={options} onChange={setDefinition} />}
    </Modal>
  )
}
