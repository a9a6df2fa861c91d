import { routes, type ComputedDefinition } from '@reachloop/domain'
import { Alert, App, Button, Card, Col, Form, Input, Row, Space } from 'antd'
import { useEffect, useState } from 'react'
import { useNavigate, useParams } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { ComputedDefinitionEditor, NEW_COMPUTED_DEFINITION } from './ComputedDefinitionEditor.js'
import { fieldProblems, problemsAt, type FieldProblems } from '../../shared/field-problems.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'

// Where the form shows a problem; any other path is listed above the form.
const PLACED = [
  'name',
  'description',
  ...['kind', 'event', 'filters', 'window', 'aggregate', 'property', 'monetaryProperty'].map((f) => `definition.${f}`),
]

/** The property's name (fixed once created) and description. */
function NameAndDescription({
  name,
  description,
  nameHelp,
  locked,
  onName,
  onDescription,
}: {
  name: string
  description: string
  nameHelp: string | undefined
  locked: boolean
  onName: (name: string) => void
  onDescription: (description: string) => void
}) {
  const { t } = useI18n()
  return (
    <Row gutter={16}>
      <Col span={10}>
        <Form.Item
          label={t('computed.name')}
          required
          extra={nameHelp ? undefined : t('computed.nameHint')}
          {...(nameHelp ? { validateStatus: 'error' as const, help: nameHelp } : {})}
        >
          <Input value={name} disabled={locked} onChange={(e) => onName(e.target.value)} data-testid="computed-name" />
        </Form.Item>
      </Col>
      <Col span={14}>
        <Form.Item label={t('segments.description')}>
          <Input value={description} onChange={(e) => onDescription(e.target.value)} data-testid="computed-description" />
        </Form.Item>
      </Col>
    </Row>
  )
}

/** Create a computed property, or change the description and definition of one. */
export function ComputedPropertyEditPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [definition, setDefinition] = useState<ComputedDefinition>(NEW_COMPUTED_DEFINITION)
  const [problems, setProblems] = useState<FieldProblems>({})

  useEffect(() => {
    if (!id) return
    void run(async () => {
      const property = await api.call(routes.getComputedProperty, { params: { id } })
      setName(property.name)
      setDescription(property.description)
      setDefinition(property.definition)
    })
  }, [id, run])

  const save = () =>
    run(async () => {
      try {
        const saved = id
          ? await api.call(routes.updateComputedProperty, { params: { id }, body: { description, definition } })
          : await api.call(routes.createComputedProperty, { body: { name, description, definition } })
        void message.success(t('computed.saved'))
        navigate(`/computed-properties/${saved.id}`)
      } catch (error) {
        const found = fieldProblems(error)
        if (!found) throw error
        setProblems(found)
      }
    })
  const change = (next: ComputedDefinition) => {
    setDefinition(next)
    setProblems({})
  }
  const nameHelp = problemsAt(problems, 'name')
  const elsewhere = Object.entries(problems).filter(([path]) => !PLACED.some((p) => path === p || path.startsWith(`${p}.`)))

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={id ? name : t('computed.new')}>
        {elsewhere.length > 0 && (
          <Alert
            style={{ marginBottom: 16 }}
            type="error"
            showIcon
            message={t('computed.problems')}
            description={elsewhere.map(([path, m]) => `${path}: ${m}`).join('; ')}
            data-testid="computed-problems"
          />
        )}
        <Form layout="vertical">
          <NameAndDescription
            name={name}
            description={description}
            nameHelp={nameHelp}
            locked={Boolean(id)}
            onName={(next) => {
              setName(next)
              setProblems({})
            }}
            onDescription={setDescription}
          />
          <ComputedDefinitionEditor definition={definition} problems={problems} onChange={change} />
        </Form>
      </Card>
      <Button type="primary" loading={busy} disabled={!name.trim()} onClick={() => void save()} data-testid="save-computed-property">
        {t('common.save')}
      </Button>
    </Space>
  )
}
