import { routes, type ProfileTag, type TagGroup, type TagProfilesOutcome } from '@reachloop/domain'
import { Button, Card, Col, Row, Table } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useSession } from '../../shared/session.js'
import { useLoad } from '../../shared/use-load.js'
import { IdentifierUploadResult } from '../audiences/IdentifierCsvUpload.js'
import { ApplyTagModal } from './ApplyTagModal.js'
import { NewTagModal } from './NewTagModal.js'
import { TagsTable } from './TagsTable.js'

/** Tag groups and tags with their sizes; manual tags are given by identifiers from a CSV file or pasted. */
export function TagsPage() {
  const { t } = useI18n()
  const { can } = useSession()
  const { data, loading, reload } = useLoad(async () => {
    const [groups, tags] = await Promise.all([api.call(routes.listTagGroups, {}), api.call(routes.listTags, {})])
    return { groups: groups.items, tags: tags.items }
  }, [])
  const groups = data?.groups ?? []
  const [creating, setCreating] = useState<'group' | 'tag' | null>(null)
  const [applying, setApplying] = useState<ProfileTag | null>(null)
  const [applied, setApplied] = useState<(TagProfilesOutcome & { tag: string }) | null>(null)
  const write = can('audiences.write')
  return (
    <Row gutter={16}>
      <Col span={8}>
        <Card
          title={t('tags.groups')}
          extra={
            write && (
              <Button onClick={() => setCreating('group')} data-testid="new-tag-group">
                {t('tags.newGroup')}
              </Button>
            )
          }
        >
          <Table<TagGroup>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={groups}
            columns={[
              { title: t('segments.name'), dataIndex: 'name' },
              { title: t('tags.exclusive'), dataIndex: 'exclusive', render: (x: boolean) => (x ? '✓' : '') },
            ]}
          />
        </Card>
      </Col>
      <Col span={16}>
        <Card
          title={t('tags.title')}
          extra={
            write && (
              <Button type="primary" onClick={() => setCreating('tag')} data-testid="new-tag">
                {t('tags.new')}
              </Button>
            )
          }
        >
          {applied && (
            <div style={{ marginBottom: 12 }}>
              <IdentifierUploadResult
                name={applied.tag}
                size={applied.size}
                changes={[{ label: t('identifiers.result.changed'), count: applied.changed }]}
                unknown={applied.unknown}
                onClose={() => setApplied(null)}
              />
            </div>
          )}
          <TagsTable tags={data?.tags ?? []} groups={groups} loading={loading} onApply={write ? setApplying : undefined} />
        </Card>
      </Col>
      <NewTagModal creating={creating} groups={groups} onClose={() => setCreating(null)} onCreated={reload} />
      <ApplyTagModal
        tag={applying}
        onClose={() => setApplying(null)}
        onApplied={(outcome) => {
          setApplied(outcome)
          setApplying(null)
          void reload()
        }}
      />
    </Row>
  )
}
