import { routes, type ProfileListFilter, type ProfileSort, type TraitFilterOperator } from '@reachloop/domain'
import { AutoComplete, Button, Col, Input, Row, Select, Space } from 'antd'
import { useEffect, useState } from 'react'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useSession } from '../../shared/session.js'
import { useLoad } from '../../shared/use-load.js'

const SORTS: Array<{ value: ProfileSort; label: MessageKey }> = [
  { value: 'last_seen_desc', label: 'profileList.lastSeenDesc' },
  { value: 'last_seen_asc', label: 'profileList.lastSeenAsc' },
  { value: 'first_seen_desc', label: 'profileList.firstSeenDesc' },
  { value: 'first_seen_asc', label: 'profileList.firstSeenAsc' },
]
const OPERATORS: TraitFilterOperator[] = ['equals', 'contains', 'exists']

/** The workspace's segments and tags to filter by (none for a role that may not read audiences). */
function useAudienceOptions() {
  const { can } = useSession()
  const allowed = can('audiences.read')
  const { data } = useLoad(async () => {
    if (!allowed) return { segments: [], tags: [] }
    const [segments, tags] = await Promise.all([api.call(routes.listSegments, {}), api.call(routes.listTags, {})])
    return {
      segments: segments.items.map((s) => ({ value: s.id, label: s.name })),
      tags: tags.items.map((s) => ({ value: s.id, label: s.name })),
    }
  }, [allowed])
  return { allowed, segments: data?.segments ?? [], tags: data?.tags ?? [] }
}

type TraitDraft = { trait: string; operator: TraitFilterOperator; value: string }
const draftOf = (f: ProfileListFilter): TraitDraft => ({
  trait: f.trait ?? '',
  operator: f.traitOperator ?? 'equals',
  value: f.traitValue ?? '',
})

/** A trait filter being written: name (with the names seen offered), operator, value. */
function TraitFilterInput({
  draft,
  onDraft,
  onApply,
  traitNames,
}: {
  draft: TraitDraft
  onDraft: (next: TraitDraft) => void
  onApply: () => void
  traitNames: string[]
}) {
  const { t } = useI18n()
  const { trait, operator, value } = draft
  return (
    <Space.Compact style={{ width: '100%' }}>
      <AutoComplete
        style={{ width: '38%' }}
        value={trait}
        options={traitNames.filter((n) => n.includes(trait)).map((n) => ({ value: n }))}
        onChange={(next: string) => onDraft({ ...draft, trait: next })}
        placeholder={t('profileList.trait')}
        data-testid="profiles-trait"
      />
      <Select<TraitFilterOperator>
        style={{ width: '24%' }}
        value={operator}
        onChange={(next) => onDraft({ ...draft, operator: next })}
        options={OPERATORS.map((o) => ({ value: o, label: t(`profileList.${o}`) }))}
        data-testid="profiles-trait-operator"
      />
      <Input
        style={{ width: '38%' }}
        value={value}
        disabled={operator === 'exists'}
        onChange={(e) => onDraft({ ...draft, value: e.target.value })}
        onPressEnter={onApply}
        placeholder={t('profileList.value')}
        data-testid="profiles-trait-value"
      />
    </Space.Compact>
  )
}

/** A picker of one of the workspace's segments or tags, searched by name. */
function AudiencePicker({
  kind,
  value,
  options,
  onPick,
}: {
  kind: 'segment' | 'tag'
  value: string | undefined
  options: Array<{ value: string; label: string }>
  onPick: (id: string | undefined) => void
}) {
  const { t } = useI18n()
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: '100%' }}
      placeholder={t(kind === 'segment' ? 'profileList.segment' : 'profileList.tag')}
      value={value}
      options={options}
      onChange={(id?: string) => onPick(id)}
      data-testid={`profiles-${kind}`}
    />
  )
}

/**
 * The customers list's search, filters and order. A search or a trait filter applies when asked
 * (Enter or Filter); a segment, a tag or an order at once. `traitNames` are offered as trait names.
 */
export function ProfileListFilters({
  filter,
  onChange,
  traitNames,
}: {
  filter: ProfileListFilter
  onChange: (next: ProfileListFilter) => void
  traitNames: string[]
}) {
  const { t } = useI18n()
  const audiences = useAudienceOptions()
  const [search, setSearch] = useState(filter.search ?? '')
  const [draft, setDraft] = useState<TraitDraft>(draftOf(filter))
  useEffect(() => {
    setSearch(filter.search ?? '')
    setDraft(draftOf(filter))
  }, [filter])
  const apply = () => {
    const { trait, operator, value } = draft
    const name = trait.trim()
    const { search: _s, trait: _t, traitOperator: _o, traitValue: _v, ...rest } = filter
    onChange({
      ...rest,
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(name ? { trait: name, traitOperator: operator, ...(operator === 'exists' ? {} : { traitValue: value }) } : {}),
    })
  }
  const pick = (key: 'segmentId' | 'tagId' | 'sort', picked: string | undefined) => {
    const { [key]: _old, ...rest } = filter
    onChange(picked ? { ...rest, [key]: picked } : rest)
  }
  return (
    <Row gutter={[8, 8]} style={{ marginBottom: 16 }}>
      <Col xs={24} md={12} lg={8}>
        <Input.Search
          allowClear
          placeholder={t('profiles.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={apply}
          data-testid="profiles-search"
        />
      </Col>
      <Col xs={24} md={12} lg={12}>
        <TraitFilterInput draft={draft} onDraft={setDraft} onApply={apply} traitNames={traitNames} />
      </Col>
      <Col xs={24} md={6} lg={4}>
        <Button type="primary" block onClick={apply} data-testid="profiles-apply">
          {t('profileList.apply')}
        </Button>
      </Col>
      {audiences.allowed && (
        <>
          <Col xs={12} md={6} lg={6}>
            <AudiencePicker kind="segment" value={filter.segmentId} options={audiences.segments} onPick={(id) => pick('segmentId', id)} />
          </Col>
          <Col xs={12} md={6} lg={6}>
            <AudiencePicker kind="tag" value={filter.tagId} options={audiences.tags} onPick={(id) => pick('tagId', id)} />
          </Col>
        </>
      )}
      <Col xs={24} md={6} lg={6}>
        <Select<ProfileSort>
          style={{ width: '100%' }}
          value={filter.sort ?? 'last_seen_desc'}
          options={SORTS.map((s) => ({ value: s.value, label: t(s.label) }))}
          onChange={(sort) => pick('sort', sort === 'last_seen_desc' ? undefined : sort)}
          popupMatchSelectWidth={false}
          data-testid="profiles-sort"
        />
      </Col>
    </Row>
  )
}
