import type { AudienceDependents } from '@reachloop/domain'
import { Modal, Space, Tag, Typography } from 'antd'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { ApiError } from '../../shared/api.js'

/** What refers to a segment or tag, read from a SEGMENT_IN_USE / TAG_IN_USE refusal (null for any other error). */
export function dependentsOf(error: unknown): AudienceDependents['usedBy'] | null {
  if (!(error instanceof ApiError) || (error.code !== 'SEGMENT_IN_USE' && error.code !== 'TAG_IN_USE')) return null
  return (error.details as Partial<AudienceDependents> | undefined)?.usedBy ?? []
}

/** Where a dependent is edited: a segment's page, or the tags page with that tag open. */
const hrefOf = (d: AudienceDependents['usedBy'][number]) => (d.kind === 'segment' ? `/segments/${d.id}` : `/tags?edit=${d.id}`)

/** The refusal of a delete: it names, as links, the segments and rule tags to change first. */
export function DependentsDialog({
  name,
  usedBy,
  onClose,
}: {
  name: string
  usedBy: AudienceDependents['usedBy'] | null
  onClose: () => void
}) {
  const { t } = useI18n()
  return (
    <Modal
      open={usedBy !== null}
      title={t('segments.inUseTitle', { name })}
      onCancel={onClose}
      onOk={onClose}
      okText={t('segments.inUseOk')}
      cancelButtonProps={{ style: { display: 'none' } }}
      data-testid="in-use-dialog"
    >
      <Typography.Paragraph>{t('segments.inUseText')}</Typography.Paragraph>
      <Space orientation="vertical" data-testid="dependents">
        {(usedBy ?? []).map((d) => (
          <Space key={`${d.kind}-${d.id}`}>
            <Tag>{t(d.kind === 'segment' ? 'segments.dependent.segment' : 'segments.dependent.tag')}</Tag>
            <Link to={hrefOf(d)} onClick={onClose} data-testid={`dependent-${d.name}`}>
              {d.name}
            </Link>
          </Space>
        ))}
      </Space>
    </Modal>
  )
}
