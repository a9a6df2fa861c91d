import { routes, type Profile } from '@reachloop/domain'
import { Select, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { displayName } from '../../shared/profile-name.js'
import { useCall } from '../../shared/use-load.js'

/** A profile's name for the picker: its name, else first and last name, else its strongest identifier. */
function profileLabel(profile: Profile): string {
  const { first_name: first, last_name: last } = profile.traits
  const parts = [first, last].filter((p): p is string => typeof p === 'string' && p !== '')
  return typeof profile.traits.name === 'string' && profile.traits.name
    ? profile.traits.name
    : parts.length > 0
      ? parts.join(' ')
      : displayName(profile, profile.id.slice(0, 8))
}

/**
 * Picks the customer a preview is rendered for: the most recently seen ones are offered, filtered
 * as the operator types; a typed phone, email or user id is also looked up exactly.
 */
export function ProfilePicker({ value, onChange }: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const { t } = useI18n()
  const recent = useCall(routes.listProfiles, { query: { limit: 50 } })
  const [search, setSearch] = useState('')
  const [found, setFound] = useState<Profile[]>([])
  useEffect(() => {
    const text = search.trim()
    if (!text) return setFound([])
    const controller = new AbortController()
    const timer = setTimeout(() => {
      api.call(routes.listProfiles, { query: { search: text, limit: 10 } }, { signal: controller.signal }).then(
        (page) => setFound(page.items),
        () => setFound([]),
      )
    }, 300)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [search])
  const options = useMemo(() => {
    const all = new Map<string, Profile>()
    for (const p of [...found, ...(recent.data?.items ?? [])]) all.set(p.id, p)
    return [...all.values()].map((p) => ({
      value: p.id,
      label: profileLabel(p),
      search: [profileLabel(p), ...p.identifiers.map((i) => i.value)].join(' ').toLowerCase(),
      identifiers: p.identifiers.map((i) => i.value).join(' · '),
    }))
  }, [found, recent.data])
  return (
    <Select
      showSearch={{
        filterOption: (input, option) => (option?.search ?? '').includes(input.toLowerCase()),
        onSearch: setSearch,
      }}
      allowClear
      style={{ width: '100%' }}
      placeholder={t('messaging.preview.pickProfile')}
      loading={recent.loading}
      value={value}
      onChange={(id: string | undefined) => onChange(id)}
      options={options}
      optionRender={(option) => (
        <span>
          {option.data.label}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {option.data.identifiers}
          </Typography.Text>
        </span>
      )}
      data-testid="preview-profile"
    />
  )
}
