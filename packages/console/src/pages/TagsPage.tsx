import { routes, type ProfileTag, type SegmentNode, type TagGroup } from '@reachloop/domain'
import { App, Button, Card, Checkbox, Col, Form, Input, Modal, Radio, Row, Select, Space, Table, Tag } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { api } from '../api.js'
import { formatTime } from '../components/format.js'
import {
  ChunkedSendStatus,
  emptyIdentifierList,
  IdentifierCsvUpload,
  identifierValues,
  IdentifierUploadResult,
  useChunkedSend,
} from '../components/IdentifierCsvUpload.js'
import { loadBuilderOptions } from '../components/builder-options.js'
import { newCondition, SegmentBuilder, type BuilderOptions } from '../components/SegmentBuilder.js'
import { useAction } from '../components/use-action.js'
import { useI18n } from '../i18n/i18n.js'
import { useSession } from '../session.js'

/** Tag groups and tags with their sizes; manual tags are given by identifiers from a CSV file or pasted. */
export function TagsPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [groups, setGroups] = useState<TagGroup[]>([])
  const [tags, setTags] = useState<ProfileTag[]>([])
  const [creating, setCreating] = useState<'group' | 'tag' | null>(null)
  const [applying, setApplying] = useState<ProfileTag | null>(null)
  const [form] = Form.useForm<{ name: string; exclusive?: boolean; groupId?: string }>()
  const [apply, setApply] = useState({ action: 'add' as 'add' | 'remove', identifierType: 'phone' })
  const [list, setList] = useState(emptyIdentifierList)
  const listed = useMemo(() => identifierValues(list, apply.identifierType).values, [list, apply.identifierType])
  const [applied, setApplied] = useState<{ tag: string; size: number; changed: number; unknown: number } | null>(null)
  const chunked = useChunkedSend()
  const [kind, setKind] = useState<'manual' | 'rule'>('manual')
  const [options, setOptions] = useState<BuilderOptions>({
    segments: [],
    tags: [],
    identifierTypes: ['phone', 'email', 'user_id'],
    sources: [],
    computedProperties: [],
  })
  const [definition, setDefinition] = useState<SegmentNode>({ kind: 'and', children: [newCondition('event', options)] })
  const openRule = () =>
    run(async () => {
      setKind('rule')
      setOptions((await loadBuilderOptions()).options)
    })
  const load = useCallback(
    () =>
      run(async () => {
        const [g, tg] = await Promise.all([api.call(routes.listTagGroups, {}), api.call(routes.listTags, {})])
        setGroups(g.items)
        setTags(tg.items)
      }),
    [run],
  )
  useEffect(() => void load(), [load])
  const create = () =>
    run(async () => {
      const values = await form.validateFields()
      if (creating === 'group') await api.call(routes.createTagGroup, { body: { name: values.name, exclusive: values.exclusive ?? false } })
      else
        await api.call(routes.createTag, {
          body: { name: values.name, kind, groupId: values.groupId ?? null, ...(kind === 'rule' ? { definition } : {}) },
        })
      setCreating(null)
      form.resetFields()
      await load()
    })
  const submitApply = () =>
    run(async () => {
      if (!applying) return
      const { action, identifierType } = apply
      const outcomes = await chunked.send(listed, (values) =>
        api.call(routes.tagProfiles, { params: { id: applying.id }, body: { action, identifierType, values } }),
      )
      const last = outcomes.at(-1)
      if (!last) return
      const changed = outcomes.reduce((n, o) => n + o.changed, 0)
      const unknown = outcomes.reduce((n, o) => n + o.unknown, 0)
      void message.success(t('tags.applied').replace('{changed}', String(changed)).replace('{unknown}', String(unknown)))
      setApplied({ tag: applying.name, size: last.size, changed, unknown })
      setApplying(null)
      setList(emptyIdentifierList)
      await load()
    })
  const groupName = (id: string | null) => groups.find((g) => g.id === id)?.name
  const write = can('audiences.write')
  return (
    <Row gutter={16}>
      <Col span={8}>
        <Card
          title={t('tags.groups')}
          extra={
            write && (
              <Button onClick={() => setCreating('group')} data-testid="new-tag-group">
                {t('tags.newGroup')}
              </Button>
            )
          }
        >
          <Table<TagGroup>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={groups}
            columns={[
              { title: t('segments.name'), dataIndex: 'name' },
              { title: t('tags.exclusive'), dataIndex: 'exclusive', render: (x: boolean) => (x ? '✓' : '') },
            ]}
          />
        </Card>
      </Col>
      <Col span={16}>
        <Card
          title={t('tags.title')}
          extra={
            write && (
              <Button type="primary" onClick={() => setCreating('tag')} data-testid="new-tag">
                {t('tags.new')}
              </Button>
            )
          }
        >
          {applied && (
            <div style={{ marginBottom: 12 }}>
              <IdentifierUploadResult
                name={applied.tag}
                size={applied.size}
                changes={[{ label: t('identifiers.result.changed'), count: applied.changed }]}
                unknown={applied.unknown}
                onClose={() => setApplied(null)}
              />
            </div>
          )}
          <Table<ProfileTag>
            rowKey="id"
            loading={busy}
            size="small"
            pagination={false}
            dataSource={tags}
            data-testid="tags-table"
            columns={[
              { title: t('segments.name'), dataIndex: 'name' },
              { title: t('tags.group'), dataIndex: 'groupId', render: (id: string | null) => groupName(id) ?? '—' },
              { title: t('segments.kind'), dataIndex: 'kind', render: (kind: ProfileTag['kind']) => <Tag>{t(`tags.kind.${kind}`)}</Tag> },
              { title: t('segments.size'), dataIndex: 'size', align: 'right' },
              {
                title: t('segments.computedAt'),
                dataIndex: 'computedAt',
                render: (at: string | null) => (at ? formatTime(at, language) : '—'),
              },
              {
                title: t('common.actions'),
                key: 'a',
                render: (_: unknown, tag) =>
                  write &&
                  tag.kind === 'manual' && (
                    <Button size="small" onClick={() => setApplying(tag)} data-testid={`apply-tag-${tag.name}`}>
                      {t('tags.apply')}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
      </Col>
      <Modal
        width={creating === 'tag' && kind === 'rule' ? 1100 : 520}
        open={creating !== null}
        title={creating === 'group' ? t('tags.newGroup') : t('tags.new')}
        onOk={() => void create()}
        onCancel={() => setCreating(null)}
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
          {creating === 'tag' && kind === 'rule' && <SegmentBuilder definition={definition} options={options} onChange={setDefinition} />}
        </Form>
      </Modal>
      <Modal
        open={applying !== null}
        title={`${t('tags.apply')}: ${applying?.name ?? ''}`}
        onOk={() => void submitApply()}
        onCancel={() => {
          setApplying(null)
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
            options={['phone', 'email', 'user_id', 'wechat_openid', 'wechat_unionid'].map((v) => ({ value: v, label: v }))}
            data-testid="apply-tag-type"
          />
          <IdentifierCsvUpload identifierType={apply.identifierType} value={list} onChange={setList} pasteTestId="apply-tag-values" />
          <ChunkedSendStatus progress={chunked.progress} stopped={chunked.stopped} />
        </Space>
      </Modal>
    </Row>
  )
}
