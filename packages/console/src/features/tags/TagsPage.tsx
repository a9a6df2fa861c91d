import { routes, type ProfileTag, type TagProfilesOutcome } from '@reachloop/domain'
import { Button, Card, Col, Row, Space } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useSession } from '../../shared/session.js'
import { useLoad } from '../../shared/use-load.js'
import { IdentifierUploadResult } from '../audiences/IdentifierCsvUpload.js'
import { labelsOf, LabelsFilter } from '../segments/LabelsFilter.js'
import { ApplyTagModal } from './ApplyTagModal.js'
import { EditTagModal, useEditFromLink } from './EditTagModal.js'
import { TagGroupsCard } from './TagGroupsCard.js'
import { NewTagModal } from './NewTagModal.js'
import { TagsTable } from './TagsTable.js'

/** Tag groups and tags with their sizes; manual tags are given by identifiers from a CSV file or pasted. */
export function TagsPage() {
  const { t } = useI18n()
  const { can } = useSession()
  const [label, setLabel] = useState<string>()
  const { data, loading, reload } = useLoad(async () => {
    const [groups, tags, all] = await Promise.all([
      api.call(routes.listTagGroups, {}),
      api.call(routes.listTags, label ? { query: { label } } : {}),
      label ? api.call(routes.listTags, {}) : null,
    ])
    return { groups: groups.items, tags: tags.items, labels: labelsOf((all ?? tags).items) }
  }, [label])
  const groups = data?.groups ?? []
  const [creating, setCreating] = useState<'group' | 'tag' | null>(null)
  const [applying, setApplying] = useState<ProfileTag | null>(null)
  const [applied, setApplied] = useState<(TagProfilesOutcome & { tag: string }) | null>(null)
  const write = can('audiences.write')
  const [editing, setEditing] = useState<ProfileTag | null>(null)
  useEditFromLink(data?.tags, setEditing)
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <TagGroupsCard groups={groups} write={write} onNew={() => setCreating('group')} onChanged={reload} />
      </Col>
      <Col xs={24} lg={16}>
        <Card
          title={t('tags.title')}
          extra={
            <Space wrap>
              <LabelsFilter labels={data?.labels ?? []} value={label} onChange={setLabel} testId="tags-label-filter" />
              {write && (
                <Button type="primary" onClick={() => setCreating('tag')} data-testid="new-tag">
                  {t('tags.new')}
                </Button>
              )}
            </Space>
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
          <TagsTable
            tags={data?.tags ?? []}
            groups={groups}
            loading={loading}
            onApply={write ? setApplying : undefined}
            onEdit={write ? setEditing : undefined}
            onDeleted={reload}
            onComputed={reload}
          />
        </Card>
      </Col>
      <NewTagModal creating={creating} groups={groups} onClose={() => setCreating(null)} onCreated={reload} />
      <EditTagModal tag={editing} groups={groups} knownLabels={data?.labels ?? []} onClose={() => setEditing(null)} onSaved={reload} />
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
