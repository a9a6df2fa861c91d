import type { MessageTemplate } from '@reachloop/domain'
import { Tag } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

/** Where a template stands: a draft never published, published, or published with changes since (and unsaved ones in the editor). */
export function TemplateStateTag({
  template,
  dirty = false,
}: {
  template: Pick<MessageTemplate, 'publishedAt' | 'unpublishedChanges'>
  dirty?: boolean
}) {
  const { t } = useI18n()
  const state = !template.publishedAt ? 'draft' : template.unpublishedChanges ? 'changed' : 'published'
  const color = { draft: 'default', changed: 'gold', published: 'green' }[state]
  return (
    <>
      <Tag color={color} data-testid="template-state">
        {t(`messaging.state.${state}`)}
      </Tag>
      {dirty && <Tag color="orange">{t('messaging.state.unsaved')}</Tag>}
    </>
  )
}
