import { routes, type CatalogueEvent, type CatalogueEventChange } from '@reachloop/domain'
import { Button, Card, Empty, Flex, Input, Space, Switch, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useI18n, type Language, type Translate } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useSession } from '../../shared/session.js'
import { useAction } from '../../shared/use-action.js'
import { useCall } from '../../shared/use-load.js'
import { forgetCatalogueOptions } from '../audiences/catalogue-options.js'
import { PlanEditor } from './PlanEditor.js'
import { PropertiesTable } from './PropertiesTable.js'

const eventColumns = (t: Translate, language: Language, open: (name: string) => void): TableColumnsType<CatalogueEvent> => [
  {
    title: t('catalogue.event'),
    dataIndex: 'name',
    render: (name: string, e) => (
      <Space direction="vertical" size={0}>
        <Space size={4} wrap>
          <Button type="link" style={{ padding: 0 }} onClick={() => open(name)} data-testid={`catalogue-event-${name}`}>
            {name}
          </Button>
          {e.hidden && <Tag>{t('catalogue.hidden')}</Tag>}
          {e.plan && <Tag color="purple">{t('catalogue.planned')}</Tag>}
        </Space>
        {e.description && <Typography.Text type="secondary">{e.description}</Typography.Text>}
      </Space>
    ),
  },
  { title: t('catalogue.count'), dataIndex: 'count', align: 'right', render: (n: number) => n.toLocaleString() },
  {
    title: t('catalogue.lastSeen'),
    dataIndex: 'lastSeen',
    render: (at: string | null) => (at ? formatTime(at, language) : t('catalogue.never')),
  },
  {
    title: t('catalogue.violations'),
    dataIndex: 'violations',
    align: 'right',
    render: (n: number, e) =>
      n > 0 && e.lastViolation ? (
        <Tooltip title={t('catalogue.lastViolation', { reason: e.lastViolation.reason })}>
          <Tag color="orange" data-testid={`violations-${e.name}`}>
            {n.toLocaleString()}
          </Tag>
        </Tooltip>
      ) : (
        <Typography.Text type="secondary">{n}</Typography.Text>
      ),
  },
]

/** One event: its description, whether pickers offer it, its tracking plan, and its properties. */
function EventDetail({ event, write, onChanged }: { event: CatalogueEvent; write: boolean; onChanged: () => Promise<void> }) {
  const { t, language } = useI18n()
  const { busy, run } = useAction()
  const change = (body: Omit<CatalogueEventChange, 'name'>) =>
    void run(async () => {
      await api.call(routes.updateCatalogueEvent, { body: { name: event.name, ...body } })
      forgetCatalogueOptions()
      await onChanged()
    })
  return (
    <Card
      size="small"
      title={t('catalogue.properties', { event: event.name })}
      data-testid="catalogue-event-detail"
      extra={
        <Space>
          <Typography.Text>{t('catalogue.hide')}</Typography.Text>
          <Switch
            size="small"
            disabled={!write}
            checked={event.hidden}
            onChange={(hidden) => change({ hidden })}
            data-testid="event-hide"
          />
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Flex gap={24} wrap>
          <Typography.Text>
            {t('catalogue.count')}: {event.count.toLocaleString()}
          </Typography.Text>
          <Typography.Text>
            {t('catalogue.firstSeen')}: {event.firstSeen ? formatTime(event.firstSeen, language) : t('catalogue.never')}
          </Typography.Text>
          <Typography.Text>
            {t('catalogue.lastSeen')}: {event.lastSeen ? formatTime(event.lastSeen, language) : t('catalogue.never')}
          </Typography.Text>
        </Flex>
        <Typography.Paragraph
          type={event.description ? undefined : 'secondary'}
          editable={write ? { onChange: (description) => change({ description }), tooltip: t('catalogue.describe') } : false}
          data-testid="event-description"
        >
          {event.description || t('catalogue.noDescription')}
        </Typography.Paragraph>
        <Card size="small" type="inner" title={t('catalogue.plan')}>
          <PlanEditor event={event.name} plan={event.plan} write={write} busy={busy} onSave={(plan) => change({ plan })} />
        </Card>
        <PropertiesTable key={event.name} event={event.name} write={write} />
      </Space>
    </Card>
  )
}

/** The events tab: received (and planned) events, searchable, and the one opened below. */
function EventsTab({ write }: { write: boolean }) {
  const { t, language } = useI18n()
  const [search, setSearch] = useState('')
  const [showHidden, setShowHidden] = useState(false)
  const [opened, setOpened] = useState<string>()
  // Hidden ones too, filtered here: an event opened and hidden just now stays open below.
  const { data, loading, reload } = useCall(routes.listCatalogueEvents, { query: { ...(search ? { search } : {}), includeHidden: true } })
  const all = data?.items ?? []
  const events = showHidden ? all : all.filter((e) => !e.hidden)
  const selected = all.find((e) => e.name === opened)
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Flex gap={12} wrap align="center">
        <Input.Search
          allowClear
          style={{ maxWidth: 320 }}
          placeholder={t('catalogue.search')}
          onSearch={setSearch}
          data-testid="catalogue-search"
        />
        <Space>
          <Typography.Text>{t('catalogue.showHidden')}</Typography.Text>
          <Switch size="small" checked={showHidden} onChange={setShowHidden} data-testid="events-show-hidden" />
        </Space>
      </Flex>
      <Table<CatalogueEvent>
        rowKey="name"
        size="small"
        loading={loading}
        dataSource={events}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('catalogue.empty')} /> }}
        columns={eventColumns(t, language, setOpened)}
        scroll={{ x: true }}
        data-testid="catalogue-events"
      />
      {selected && <EventDetail event={selected} write={write} onChanged={reload} />}
    </Space>
  )
}

/**
 * The event catalogue: what the workspace actually receives (events, their properties, customer
 * traits), what operators say of it, and each event's tracking plan.
 */
export function CataloguePage() {
  const { t } = useI18n()
  const { can } = useSession()
  const write = can('audiences.write')
  return (
    <Card title={t('catalogue.title')} data-testid="catalogue-page">
      <Typography.Paragraph type="secondary">{t('catalogue.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'events', label: t('catalogue.events'), children: <EventsTab write={write} /> },
          { key: 'traits', label: t('catalogue.traits'), children: <PropertiesTable write={write} /> },
        ]}
      />
    </Card>
  )
}
