import type { IdentifierTypeRule } from '@reachloop/domain'
import { Button, Tag, type TableColumnsType } from 'antd'
import type { Translate } from '../../i18n/i18n.js'

/** The identifier types table's columns; who may write edits a type here. */
export const identifierTypeColumns = (
  t: Translate,
  onEdit: ((rule: IdentifierTypeRule) => void) | undefined,
): TableColumnsType<IdentifierTypeRule> => [
  {
    title: t('identity.type'),
    dataIndex: 'type',
    render: (type: string, r) => (
      <>
        {type} {r.standard ? <Tag>{t('identity.standard')}</Tag> : <Tag color="purple">{t('identity.custom')}</Tag>}
      </>
    ),
  },
  { title: t('identity.priority'), dataIndex: 'priority' },
  { title: t('identity.max'), dataIndex: 'maxPerProfile' },
  {
    title: t('identity.blocked'),
    dataIndex: 'blockedValues',
    render: (values: string[]) => values.map((v) => <Tag key={v}>{v}</Tag>),
  },
  ...(onEdit
    ? [
        {
          title: t('common.actions'),
          key: 'edit',
          render: (_: unknown, r: IdentifierTypeRule) => (
            <Button size="small" onClick={() => onEdit(r)}>
              {t('identity.edit')}
            </Button>
          ),
        },
      ]
    : []),
]
