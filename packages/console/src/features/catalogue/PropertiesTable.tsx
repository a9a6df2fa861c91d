import { PROPERTY_MARKS, routes, type CatalogueProperty, type PropertyMark } from '@reachloop/domain'
import { Flex, Popover, Progress, Select, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useI18n, type Language, type Translate } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useLoad } from '../../shared/use-load.js'
import { forgetCatalogueOptions } from '../audiences/catalogue-options.js'

/** What an operator may change of a property or trait. */
type PropertyEdit = { description?: string; hidden?: boolean; mark?: PropertyMark | null }
type Edit = (p: CatalogueProperty, change: PropertyEdit) => void

const seen = (at: string | null, language: Language, t: Translate) => (at ? formatTime(at, language) : t('catalogue.never'))

/** The top values as tags (the first five), all of them with their counts on hover. */
function TopValues({ values }: { values: CatalogueProperty['topValues'] }) {
  if (values.length === 0) return <Typography.Text type="secondary">—</Typography.Text>
  const all = (
    <Space direction="vertical" size={0}>
      {values.map((v) => (
        <Flex key={v.value} justify="space-between" gap={24}>
          <span>{v.value}</span>
          <Typography.Text type="secondary">{v.count.toLocaleString()}</Typography.Text>
        </Flex>
      ))}
    </Space>
  )
  return (
    <Popover content={all}>
      <Space size={[4, 4]} wrap data-testid="top-values">
        {values.slice(0, 5).map((v) => (
          <Tag key={v.value}>
            {v.value} · {v.count.toLocaleString()}
          </Tag>
        ))}
        {values.length > 5 && <Tag>+{values.length - 5}</Tag>}
      </Space>
    </Popover>
  )
}

/** The name, with the hidden tag and the description edited in place. */
const nameColumn = (t: Translate, write: boolean, edit: Edit, trait: boolean): TableColumnsType<CatalogueProperty>[number] => ({
  title: t(trait ? 'catalogue.trait' : 'catalogue.property'),
  dataIndex: 'name',
  render: (name: string, p) => (
    <Space direction="vertical" size={0}>
      <Space size={4}>
        <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
          {name}
        </Typography.Text>
        {p.hidden && <Tag>{t('catalogue.hidden')}</Tag>}
      </Space>
      <Typography.Text
        type="secondary"
        editable={write ? { onChange: (description) => edit(p, { description }), tooltip: t('catalogue.describe') } : false}
      >
        {p.description || (write ? '' : t('catalogue.noDescription'))}
      </Typography.Text>
    </Space>
  ),
})

function columns(t: Translate, language: Language, write: boolean, edit: Edit, trait: boolean): TableColumnsType<CatalogueProperty> {
  return [
    nameColumn(t, write, edit, trait),
    {
      title: t('catalogue.types'),
      dataIndex: 'types',
      render: (types: CatalogueProperty['types']) => (
        <Space size={4} wrap>
          {types.map((x) => (
            <Tag key={x.type} color="blue">
              {t(`catalogue.type.${x.type}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: <Tooltip title={t('catalogue.shareHint')}>{t('catalogue.share')}</Tooltip>,
      dataIndex: 'share',
      width: 150,
      render: (share: number, p) => (
        <Tooltip title={`${p.count.toLocaleString()}`}>
          <Progress
            percent={Math.round(share * 1000) / 10}
            format={(percent) => `${percent}%`}
            status="normal"
            size="small"
            data-testid="property-share"
          />
        </Tooltip>
      ),
    },
    {
      title: <Tooltip title={t('catalogue.topValuesHint')}>{t('catalogue.topValues')}</Tooltip>,
      dataIndex: 'topValues',
      render: (values: CatalogueProperty['topValues']) => <TopValues values={values} />,
    },
    { title: t('catalogue.firstSeen'), dataIndex: 'firstSeen', render: (at: string | null) => seen(at, language, t) },
    { title: t('catalogue.lastSeen'), dataIndex: 'lastSeen', render: (at: string | null) => seen(at, language, t) },
    {
      title: t('catalogue.mark'),
      dataIndex: 'mark',
      render: (mark: PropertyMark | null, p) => (
        <Select<PropertyMark | 'none'>
          size="small"
          style={{ width: 120 }}
          disabled={!write}
          value={mark ?? 'none'}
          onChange={(next) => edit(p, { mark: next === 'none' ? null : next })}
          options={[
            { value: 'none', label: t('catalogue.mark.none') },
            ...PROPERTY_MARKS.map((m) => ({ value: m, label: t(`catalogue.mark.${m}`) })),
          ]}
          data-testid={`mark-${p.name}`}
        />
      ),
    },
    {
      title: t('catalogue.hide'),
      dataIndex: 'hidden',
      render: (hidden: boolean, p) => (
        <Switch size="small" disabled={!write} checked={hidden} onChange={(on) => edit(p, { hidden: on })} data-testid={`hide-${p.name}`} />
      ),
    },
  ]
}

/**
 * The properties of an event (or, without one, the customer traits) as received: types, share of
 * events carrying each, top values, first and last seen, with the operator's description, mark and
 * hiding edited in place.
 */
export function PropertiesTable({ event, write }: { event?: string; write: boolean }) {
  const { t, language } = useI18n()
  const [showHidden, setShowHidden] = useState(false)
  const { busy, run } = useAction()
  const { data, loading, reload } = useLoad(
    async () =>
      event === undefined
        ? (await api.call(routes.listCatalogueTraits, { query: { includeHidden: showHidden } })).items
        : (await api.call(routes.listCatalogueProperties, { query: { event, includeHidden: showHidden } })).items,
    [event, showHidden],
  )
  const edit: Edit = (p, change) =>
    void run(async () => {
      await api.call(routes.updateCatalogueProperty, { body: { ...(event === undefined ? {} : { event }), name: p.name, ...change } })
      forgetCatalogueOptions()
      await reload()
    })
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('catalogue.nested')}</Typography.Text>
        <Space>
          <Typography.Text>{t('catalogue.showHidden')}</Typography.Text>
          <Switch size="small" checked={showHidden} onChange={setShowHidden} data-testid="properties-show-hidden" />
        </Space>
      </Flex>
      <Table<CatalogueProperty>
        rowKey="name"
        size="small"
        loading={loading || busy}
        dataSource={data ?? []}
        pagination={false}
        scroll={{ x: true }}
        columns={columns(t, language, write, edit, event === undefined)}
        data-testid={event === undefined ? 'catalogue-traits' : 'catalogue-properties'}
      />
    </Space>
  )
}
