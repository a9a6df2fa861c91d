import { routes, type SegmentNode } from '@reachloop/domain'
import { App, Button, Card, Col, Form, Input, Radio, Row, Space } from 'antd'
import { useEffect, useState } from 'react'
import { useNavigate, useParams } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { loadBuilderOptions } from '../audiences/builder-options.js'
import { newCondition, SegmentBuilder, type BuilderOptions } from '../audiences/SegmentBuilder.js'
import { labelsOf, LabelsInput } from './LabelsFilter.js'
import { SegmentLiveCount } from './SegmentLiveCount.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'

const EMPTY_OPTIONS: BuilderOptions = {
  segments: [],
  tags: [],
  identifierTypes: [],
  sources: [],
  computedProperties: [],
  subscriptionGroups: [],
}

/** Create or edit a segment: the visual builder with a live count while editing. */
export function SegmentEditPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [kind, setKind] = useState<'dynamic' | 'static'>('dynamic')
  const [definition, setDefinition] = useState<SegmentNode>({ kind: 'and', children: [newCondition('event', EMPTY_OPTIONS)] })
  const [options, setOptions] = useState<BuilderOptions>(EMPTY_OPTIONS)
  const [labels, setLabels] = useState<string[]>([])
  const [knownLabels, setKnownLabels] = useState<string[]>([])

  useEffect(() => {
    void run(async () => {
      const { options: loaded, segments } = await loadBuilderOptions()
      // A segment cannot be built on itself.
      setOptions({ ...loaded, segments: loaded.segments.filter((s) => s.id !== id) })
      const current = segments.find((s) => s.id === id)
      setKnownLabels(labelsOf(segments))
      if (current) {
        setLabels(current.labels)
        setName(current.name)
        setDescription(current.description)
        setKind(current.kind)
        if (current.definition) setDefinition(current.definition)
      }
    })
  }, [id, run])

  const save = () =>
    run(async () => {
      const saved = id
        ? await api.call(routes.updateSegment, {
            params: { id },
            body: { name, description, labels, ...(kind === 'dynamic' ? { definition } : {}) },
          })
        : await api.call(routes.createSegment, {
            body: { name, description, kind, labels, ...(kind === 'dynamic' ? { definition } : {}) },
          })
      void message.success(t('segments.saved'))
      navigate(`/segments/${saved.id}`)
    })

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={id ? name : t('segments.new')}>
        <Form layout="vertical">
          <Row gutter={16}>
            <Col span={10}>
              <Form.Item label={t('segments.name')} required>
                <Input value={name} onChange={(e) => setName(e.target.value)} data-testid="segment-name" />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item label={t('segments.description')}>
                <Input value={description} onChange={(e) => setDescription(e.target.value)} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t('segments.labels')}>
            <LabelsInput value={labels} onChange={setLabels} known={knownLabels} testId="segment-labels" />
          </Form.Item>
          {!id && <KindChoice kind={kind} onChange={setKind} />}
        </Form>
      </Card>
      {kind === 'dynamic' && (
        <Row gutter={16}>
          <Col span={18}>
            <SegmentBuilder definition={definition} options={options} onChange={setDefinition} />
          </Col>
          <Col span={6}>
            <SegmentLiveCount definition={definition} />
          </Col>
        </Row>
      )}
      <Button type="primary" loading={busy} disabled={!name.trim()} onClick={() => void save()} data-testid="save-segment">
        {t('common.save')}
      </Button>
    </Space>
  )
}

/** A new segment's kind: dynamic (conditions) or static (a list). */
function KindChoice({ kind, onChange }: { kind: 'dynamic' | 'static'; onChange: (kind: 'dynamic' | 'static') => void }) {
  const { t } = useI18n()
  return (
    <Form.Item label={t('segments.kind')}>
      <Radio.Group
        value={kind}
        onChange={(e) => onChange(e.target.value as 'dynamic' | 'static')}
        options={(['dynamic', 'static'] as const).map((k) => ({ value: k, label: t(`segments.kind.${k}`) }))}
      />
    </Form.Item>
  )
}
