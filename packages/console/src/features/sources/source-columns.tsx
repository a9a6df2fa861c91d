import { routes, type Source } from '@reachloop/domain'
import { Button, Popconfirm, Space, Typography, type TableColumnsType } from 'antd'
import { Link } from 'react-router-dom'
import type { Language, Translate } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { kindLabel } from './source-kind.js'

/** Runs a change to sources, then loads them again. */
type Act = (work: () => Promise<unknown>) => Promise<unknown>

const actionsColumn = (t: Translate, write: boolean, act: Act) => ({
  title: t('common.actions'),
  key: 'actions',
  render: (_: unknown, s: Source) => (
    <Space>
      <Link to={`/sources/${s.id}`}>
        <Button size="small" data-testid={`open-source-${s.name}`}>
          {t('sources.open')}
        </Button>
      </Link>
      {write && (
        <>
          <Popconfirm
            title={t('sources.rotateConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => act(() => api.call(routes.rotateSourceKey, { params: { id: s.id } }))}
          >
            <Button size="small">{t('sources.rotate')}</Button>
          </Popconfirm>
          <Popconfirm
            title={t('sources.deleteConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => act(() => api.call(routes.deleteSource, { params: { id: s.id } }))}
          >
            <Button size="small" danger>
              {t('sources.delete')}
            </Button>
          </Popconfirm>
        </>
      )}
    </Space>
  ),
})

/** The sources table's columns; who may write rotates a source's key or deletes it here. */
export const sourceColumns = (t: Translate, language: Language, write: boolean, act: Act): TableColumnsType<Source> => [
  { title: t('field.name'), dataIndex: 'name', render: (name: string, s) => <Link to={`/sources/${s.id}`}>{name}</Link> },
  { title: t('sources.kind'), dataIndex: 'kind', render: (kind: string) => t(kindLabel(kind)) },
  {
    title: t('sources.writeKey'),
    dataIndex: 'writeKey',
    render: (key: string) => <Typography.Text code copyable={{ text: key }}>{`${key.slice(0, 10)}…`}</Typography.Text>,
  },
  { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatTime(at, language) },
  actionsColumn(t, write, act),
]
