import type { TemplatePreview, TemplateProblem } from '@reachloop/domain'
import { Alert, Card, Descriptions, Empty, Flex, Form, List, Spin, Tag, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { ProfilePicker } from './ProfilePicker.js'
import type { PreviewState } from './use-template-preview.js'

/**
 * The live preview beside the editor: the unsaved draft rendered for the chosen customer as the
 * provider will get it, the variables that customer has no value for, and what blocks publishing.
 */
export function TemplatePreviewCard({
  state: { preview, running, failure },
  profileId,
  onProfile,
}: {
  state: PreviewState
  profileId: string | undefined
  onProfile: (id: string | undefined) => void
}) {
  const { t } = useI18n()
  return (
    <Card
      title={t('messaging.preview.title')}
      extra={running ? <Spin size="small" data-testid="preview-running" /> : null}
      data-testid="template-preview"
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 16 } }}
    >
      <Form layout="vertical">
        <Form.Item label={t('messaging.preview.profile')} style={{ marginBottom: 0 }}>
          <ProfilePicker value={profileId} onChange={onProfile} />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title={failure} />}
      {preview ? <Rendered preview={preview} /> : !failure && <Spin />}
      {preview && preview.missing.length > 0 && (
        <div data-testid="preview-missing">
          <Typography.Text type="secondary">{t('messaging.preview.missing')}</Typography.Text>{' '}
          {preview.missing.map((m) => (
            <Tag key={m} color="warning">
              {m}
            </Tag>
          ))}
        </div>
      )}
      {preview && <ProblemList problems={preview.problems} />}
    </Card>
  )
}

/** The problems that block publishing, each with the field it is in; nothing when there are none. */
export function ProblemList({ problems, testId = 'preview-problems' }: { problems: readonly TemplateProblem[]; testId?: string }) {
  const { t, tMaybe } = useI18n()
  if (problems.length === 0) return null
  return (
    <Alert
      type="warning"
      showIcon
      title={t('messaging.problems.title', { count: problems.length })}
      description={
        <List
          size="small"
          dataSource={[...problems]}
          data-testid={testId}
          renderItem={(p) => (
            <List.Item style={{ paddingInline: 0 }}>
              <span>
                {p.field && <Tag>{fieldLabel(p.field, tMaybe)}</Tag>}
                {p.message}
              </span>
            </List.Item>
          )}
        />
      }
    />
  )
}

/** A content field's name as the editor labels it: `params[0].value` is "Parameters #1". */
function fieldLabel(field: string, tMaybe: (key: string, fallback: string) => string): string {
  const [, name, index] = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(field) ?? []
  if (!name) return field
  const label = tMaybe(`messaging.fieldName.${name}`, name)
  return index === undefined ? label : `${label} #${Number(index) + 1}`
}

/** The rendered message: an email as its subject over the HTML (sandboxed, no scripts); an SMS as its final text and billing; others as fields. */
function Rendered({ preview }: { preview: TemplatePreview }) {
  const { t } = useI18n()
  const rendered = preview.rendered as Record<string, unknown> | null
  if (!rendered) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('messaging.preview.notRendered')} />
  if (rendered.channel === 'email')
    return (
      <Flex vertical gap={8}>
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('messaging.email.subject')}>
            <span data-testid="preview-subject">{String(rendered.subject ?? '')}</span>
          </Descriptions.Item>
          {typeof rendered.from === 'string' && rendered.from !== '' ? (
            <Descriptions.Item label={t('messaging.email.from')}>{rendered.from}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('messaging.email.preheader')}>{String(rendered.preheader ?? '')}</Descriptions.Item>
        </Descriptions>
        <iframe
          title={t('messaging.preview.title')}
          sandbox=""
          srcDoc={String(rendered.html ?? '')}
          style={{ width: '100%', height: 480, border: '1px solid #f0f0f0', borderRadius: 6, background: '#fff' }}
          data-testid="preview-html"
        />
      </Flex>
    )
  if (preview.sms && !preview.sms.text) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('messaging.preview.empty')} />
  if (preview.sms)
    return (
      <Flex vertical gap={8}>
        <div
          style={{ background: '#f5f5f5', borderRadius: 12, padding: '10px 14px', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
          data-testid="preview-sms-text"
        >
          {preview.sms.text}
        </div>
        <Typography.Text type="secondary" data-testid="preview-sms-billing">
          {t('messaging.preview.smsBilling', { characters: preview.sms.characters, parts: preview.sms.parts })}
        </Typography.Text>
        {preview.sms.parts > 1 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('messaging.preview.smsPerPart', { perPart: preview.sms.perPart })}
          </Typography.Text>
        )}
      </Flex>
    )
  return (
    <Typography.Paragraph
      code
      copyable
      style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 480, overflow: 'auto' }}
      data-testid="preview-rendered"
    >
      {JSON.stringify(rendered, null, 2)}
    </Typography.Paragraph>
  )
}
