import { PlusOutlined } from '@ant-design/icons'
import { Button, Divider, Form, Input, Select, Space } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

/** Pairs of a trait (or property) name and the column it is read from, added and removed by hand. */
export function MappingFieldList({
  name,
  label,
  columns,
}: {
  name: 'traits' | 'properties'
  label: string
  columns: Array<{ value: string; label: string }>
}) {
  const { t } = useI18n()
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          <Divider plain>{label}</Divider>
          {fields.map((field) => (
            <Space key={field.key} align="baseline">
              <Form.Item name={[field.name, 'name']} rules={[{ required: true }]}>
                <Input placeholder="phone" style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name={[field.name, 'column']} rules={[{ required: true }]}>
                <Select options={columns} style={{ width: 220 }} data-testid={`${name}-column-${field.name}`} />
              </Form.Item>
              <Button type="link" onClick={() => remove(field.name)}>
                ×
              </Button>
            </Space>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({ name: '', column: '' })} data-testid={`add-${name}`}>
            {t('imports.addField')}
          </Button>
        </>
      )}
    </Form.List>
  )
}
