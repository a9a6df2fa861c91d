import { MESSAGE_CATEGORIES, routes, type MessageTemplate } from '@reachloop/domain'
import { Card, Col, Form, Input, Radio, Row, Select } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { useCall } from '../../shared/use-load.js'

/** The settings of a template, beside its content: what a save sends along with the draft. */
export type TemplateSettings = Pick<
  MessageTemplate,
  'name' | 'category' | 'subscriptionGroupId' | 'providerAccountId' | 'fallbackTemplateId'
>

/**
 * Name, category, and the subscription group, provider account and fallback template selects: a
 * group and an account of the template's channel, a fallback any other template (sent when this
 * one cannot reach the customer, e.g. an SMS when there is no WeChat openid).
 */
export function TemplateSettingsCard({
  template,
  settings,
  onChange,
}: {
  template: MessageTemplate
  settings: TemplateSettings
  onChange: (settings: TemplateSettings) => void
}) {
  const { t } = useI18n()
  const groups = useCall(routes.listSubscriptionGroups, {}).data?.items ?? []
  const accounts = useCall(routes.listProviderAccounts, {}).data?.items ?? []
  const templates = useCall(routes.listTemplates, {}).data?.items ?? []
  const set = (part: Partial<TemplateSettings>) => onChange({ ...settings, ...part })
  return (
    <Card>
      <Form layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item label={t('messaging.template.name')} required>
              <Input value={settings.name} onChange={(e) => set({ name: e.target.value })} data-testid="template-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item label={t('messaging.template.category')} extra={t(`messaging.category.${settings.category}.hint`)}>
              <Radio.Group
                value={settings.category}
                optionType="button"
                onChange={(e) => set({ category: e.target.value as TemplateSettings['category'] })}
                options={MESSAGE_CATEGORIES.map((c) => ({ value: c, label: t(`messaging.category.${c}`) }))}
                data-testid="template-category"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('messaging.template.group')} extra={t('messaging.template.groupHint')}>
              <Select
                allowClear
                disabled={settings.category === 'transactional'}
                value={settings.subscriptionGroupId ?? undefined}
                onChange={(id: string | undefined) => set({ subscriptionGroupId: id ?? null })}
                placeholder={t('messaging.template.groupDefault')}
                options={groups.filter((g) => g.channel === template.channel).map((g) => ({ value: g.id, label: g.name }))}
                data-testid="template-group"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('messaging.template.account')}>
              <Select
                allowClear
                value={settings.providerAccountId ?? undefined}
                onChange={(id: string | undefined) => set({ providerAccountId: id ?? null })}
                placeholder={t('messaging.template.accountDefault')}
                options={accounts
                  .filter((a) => a.channel === template.channel)
                  .map((a) => ({ value: a.id, label: `${a.name} (${t(`messaging.kind.${a.kind}`)})` }))}
                data-testid="template-account"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('messaging.template.fallback')} extra={t('messaging.template.fallbackHint')}>
              <Select
                allowClear
                value={settings.fallbackTemplateId ?? undefined}
                onChange={(id: string | undefined) => set({ fallbackTemplateId: id ?? null })}
                placeholder={t('messaging.template.none')}
                options={templates
                  .filter((other) => other.id !== template.id)
                  .map((other) => ({ value: other.id, label: `${other.name} · ${t(`messaging.channel.${other.channel}`)}` }))}
                data-testid="template-fallback"
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  )
}
