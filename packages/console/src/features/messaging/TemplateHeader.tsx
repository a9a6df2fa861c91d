import { routes, type MessageTemplate } from '@reachloop/domain'
import { Button, Card, Flex, Space, Typography } from 'antd'
import { useNavigate } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useConfirmedDelete } from '../../shared/use-confirmed-delete.js'
import { useSession } from '../../shared/session.js'
import { ChannelTag } from './channels.js'
import { TemplateStateTag } from './TemplateStateTag.js'
import type { useTemplateSaving } from './use-template-saving.js'

/** The editor's header: the template's name, channel and state, and Send test, Save, Publish, Delete. */
export function TemplateHeader({
  template,
  name,
  saving,
  onTest,
}: {
  template: MessageTemplate
  name: string
  saving: ReturnType<typeof useTemplateSaving>
  onTest: () => void
}) {
  const { t, language } = useI18n()
  const { can } = useSession()
  const navigate = useNavigate()
  const confirmDelete = useConfirmedDelete()
  const named = name.trim() !== ''
  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="template-title">
            {name || t('messaging.template.untitled')}
          </Typography.Title>
          <ChannelTag channel={template.channel} />
          <TemplateStateTag template={template} dirty={saving.dirty} />
        </Space>
        {can('messaging.write') && (
          <Space wrap>
            <Button onClick={onTest} data-testid="template-test-send">
              {t('messaging.template.testSend')}
            </Button>
            <Button
              loading={saving.busy === 'save'}
              disabled={!saving.dirty || !named}
              onClick={() => void saving.saveClicked()}
              data-testid="template-save"
            >
              {t('common.save')}
            </Button>
            <Button
              type="primary"
              loading={saving.busy === 'publish'}
              disabled={!named}
              onClick={() => void saving.publish()}
              data-testid="template-publish"
            >
              {t('messaging.template.publish')}
            </Button>
            <Button
              danger
              type="text"
              onClick={() =>
                confirmDelete({
                  name: template.name,
                  title: t('messaging.template.deleteConfirm', { name: template.name }),
                  remove: () => api.call(routes.deleteTemplate, { params: { id: template.id } }),
                  onDeleted: () => navigate('/messaging/templates'),
                })
              }
              data-testid="template-delete"
            >
              {t('segments.delete')}
            </Button>
          </Space>
        )}
      </Flex>
      {template.publishedAt && (
        <Typography.Text type="secondary">
          {t('messaging.template.publishedAt', { at: formatTime(template.publishedAt, language) })}
        </Typography.Text>
      )}
    </Card>
  )
}
