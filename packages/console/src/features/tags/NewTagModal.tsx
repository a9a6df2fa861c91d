import { routes, type SegmentNode, type TagGroup } from '@reachloop/domain'
import { Checkbox, Form, Input, Modal, Radio, Select } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { loadBuilderOptions } from '../audiences/builder-options.js'
import { newCondition, type BuilderOptions } from '../audiences/SegmentBuilder.js'
import { RuleDefinitionEditor } from './RuleDefinitionEditor.js'

const NO_OPTIONS: BuilderOptions = {
  segments: [],
  tags: [],
  identifierTypes: [],
  sources: [],
  computedProperties: [],
  subscriptionGroups: [],
}

/** Creates a tag group, or a tag: manual, or a rule computed from a definition built like a segment's. */
export function NewTagModal({
  creating,
  groups,
  onClose,
  onCreated,
}: {
  creating: 'group' | 'tag' | null
  groups: TagGroup[]
  onClose: () => void
  onCreated: () => Promise<void>
}) {
  const { t } = useI18n()
  const { run } = useAction()
  const [form] = Form.useForm<{ name: string; exclusive?: boolean; groupId?: string }>()
  const [kind, setKind] = useState<'manual' | 'rule'>('manual')
  const [options, setOptions] = useState<BuilderOptions>(NO_OPTIONS)
  const [definition, setDefinition] = useState<SegmentNode>({ kind: 'and', children: [newCondition('event', NO_OPTIONS)] })
  const openRule = () =>
    run(async () => {
      setKind('rule')
      setOptions((await loadBuilderOptions()).options)
    })
  const create = () =>
    run(async () => {
      const values = await form.validateFields()
      if (creating === 'group') await api.call(routes.createTagGroup, { body: { name: values.name, exclusive: values.exclusive ?? false } })
      else
        await api.call(routes.createTag, {
          body: { name: values.name, kind, groupId: values.groupId ?? null, ...(kind === 'rule' ? { definition } : {}) },
        })
      onClose()
      form.resetFields()
      await onCreated()
    })
  return (
    <Modal
      width={creating === 'tag' && kind === 'rule' ? 1200 : 520}
      open={creating !== null}
      title={creating === 'group' ? t('tags.newGroup') : t('tags.new')}
      onOk={() => void create()}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'create-tag-submit' } as Record<string, string>}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('segments.name')} rules={[{ required: true }]}>
          <Input data-testid="tag-name" />
        </Form.Item>
        {creating === 'group' && (
          <Form.Item name="exclusive" valuePropName="checked">
            <Checkbox>{t('tags.exclusive')}</Checkbox>
          </Form.Item>
        )}
        {creating === 'tag' && (
          <Form.Item name="groupId" label={t('tags.group')}>
            <Select allowClear options={groups.map((g) => ({ value: g.id, label: g.name }))} />
          </Form.Item>
        )}
        {creating === 'tag' && (
          <Form.Item label={t('segments.kind')}>
            <Radio.Group
              value={kind}
              onChange={(e) => (e.target.value === 'rule' ? void openRule() : setKind('manual'))}
              options={[
                { value: 'manual', label: t('tags.kind.manual') },
                { value: 'rule', label: t('tags.kind.rule') },
              ]}
              data-testid="tag-kind"
            />
          </Form.Item>
        )}
        {creating === 'tag' && kind === 'rule' && (
          <RuleDefinitionEditor definition={definition} options={options} onChange={setDefinition} />
        )}
      </Form>
    </Modal>
  )
}
