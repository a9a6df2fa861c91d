import { routes, type MessageTemplate, type TemplateContent } from '@reachloop/domain'
import { Card, Col, Flex, Row, Spin, Typography } from 'antd'
import { useState } from 'react'
import { useParams } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { useCall } from '../../shared/use-load.js'
import { ContentEditor } from './ContentEditor.js'
import { TemplateHeader } from './TemplateHeader.js'
import { ProblemList, TemplatePreviewCard } from './TemplatePreviewCard.js'
import { TemplateSettingsCard, type TemplateSettings } from './TemplateSettingsCard.js'
import { TestSendModal } from './TestSendModal.js'
import { useTemplatePreview } from './use-template-preview.js'
import { useTemplateSaving } from './use-template-saving.js'

const settingsOf = (t: MessageTemplate): TemplateSettings => ({
  name: t.name,
  category: t.category,
  subscriptionGroupId: t.subscriptionGroupId,
  providerAccountId: t.providerAccountId,
  fallbackTemplateId: t.fallbackTemplateId,
})

/** The template editor: settings and the channel's fields on the left, the live preview on the right. */
export function TemplateEditPage() {
  const { id = '' } = useParams()
  const { data: template, setData } = useCall(routes.getTemplate, { params: { id } })
  if (!template) return <Spin />
  return <TemplateEditor template={template} onSaved={setData} />
}

function TemplateEditor({ template, onSaved }: { template: MessageTemplate; onSaved: (t: MessageTemplate) => void }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState<TemplateContent>(template.draft)
  const [settings, setSettings] = useState<TemplateSettings>(() => settingsOf(template))
  const [profileId, setProfileId] = useState<string>()
  const [testing, setTesting] = useState(false)
  const preview = useTemplatePreview(template.id, draft, profileId)
  const saving = useTemplateSaving(template, draft, settings, onSaved)
  const change =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value)
      saving.changed()
    }
  return (
    <Flex vertical gap={16}>
      <TemplateHeader template={template} name={settings.name} saving={saving} onTest={() => setTesting(true)} />
      {saving.refused && (
        <div data-testid="publish-refused">
          <Typography.Text type="danger" strong>
            {t('messaging.template.publishRefused')}
          </Typography.Text>
          <ProblemList problems={saving.refused} testId="publish-problems" />
        </div>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            <TemplateSettingsCard template={template} settings={settings} onChange={change(setSettings)} />
            <Card title={t('messaging.template.content')}>
              <ContentEditor content={draft} onChange={change(setDraft)} problems={saving.refused ?? preview.preview?.problems ?? []} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={10}>
          <div style={{ position: 'sticky', top: 16 }}>
            <TemplatePreviewCard state={preview} profileId={profileId} onProfile={setProfileId} />
          </div>
        </Col>
      </Row>
      <TestSendModal
        open={testing}
        onClose={() => setTesting(false)}
        templateId={template.id}
        channel={template.channel}
        profileId={profileId}
        beforeSend={saving.save}
      />
    </Flex>
  )
}
