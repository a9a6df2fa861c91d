import { STANDARD_EVENTS, type CatalogueProperty, type CatalogueValue } from '@reachloop/domain'
import { AutoComplete, Flex, Input, Select, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { useLoad } from '../../shared/use-load.js'
import { catalogueEventNames, cataloguePropertyNames, catalogueTopValues, catalogueTraitNames } from './catalogue-options.js'

const STANDARD_NAMES = Object.keys(STANDARD_EVENTS).map((name) => ({ name, count: 0 }))
const contains = (text: string, search: string) => text.toLocaleLowerCase().includes(search.trim().toLocaleLowerCase())

/** A value with how often it was received, as the pickers list it. */
function counted(text: string, count: number) {
  return (
    <Flex justify="space-between" gap={12}>
      <span>{text}</span>
      {count > 0 && <Typography.Text type="secondary">{count.toLocaleString()}</Typography.Text>}
    </Flex>
  )
}

/**
 * The event name of a condition, picked with search from the workspace's catalogue (most received
 * first, hidden ones left out) and the standard events; a name typed in the search that matches
 * none is offered too, for an event not received yet.
 */
export function EventNamePicker({
  value,
  onChange,
  testId = 'cond-event',
  width = 240,
}: {
  value: string
  onChange: (event: string) => void
  testId?: string
  width?: number
}) {
  const { data } = useLoad(() => catalogueEventNames(), [])
  const [search, setSearch] = useState('')
  const names = data ?? STANDARD_NAMES
  const typed = search.trim()
  const options = [
    ...names.map((n) => ({ value: n.name, label: n.name })),
    ...(names.some((n) => n.name === value) ? [] : [{ value, label: value }]),
    ...(typed && !names.some((n) => n.name === typed) && typed !== value ? [{ value: typed, label: typed }] : []),
  ]
  return (
    <Select
      showSearch={{ onSearch: setSearch, filterOption: (input, option) => contains(String(option?.value ?? ''), input) }}
      style={{ width }}
      value={value}
      onChange={(event: string) => {
        setSearch('')
        onChange(event)
      }}
      options={options}
      data-testid={testId}
    />
  )
}

/** A name picker over catalogue entries (properties or traits): searchable, free text still allowed. */
function NamePicker({
  value,
  onChange,
  known,
  testId,
  width,
  placeholder,
}: {
  value: string
  onChange: (name: string) => void
  known: ReadonlyArray<Pick<CatalogueProperty, 'name' | 'count' | 'types'>>
  testId: string
  width: number
  placeholder?: string | undefined
}) {
  const { t } = useI18n()
  return (
    <AutoComplete
      style={{ width }}
      value={value}
      onChange={(v: string) => onChange(v)}
      options={known.map((p) => ({
        value: p.name,
        label: counted(`${p.name}${p.types[0] ? ` · ${t(`catalogue.type.${p.types[0].type}`)}` : ''}`, p.count),
      }))}
      showSearch={{ filterOption: (input, option) => contains(String(option?.value ?? ''), input) }}
    >
      <Input data-testid={testId} placeholder={placeholder} />
    </AutoComplete>
  )
}

/** A property of `event`, picked from what the catalogue received of that event. */
export function PropertyNamePicker({
  event,
  value,
  onChange,
  testId = 'filter-property',
  width = 150,
}: {
  event: string
  value: string
  onChange: (name: string) => void
  testId?: string
  width?: number
}) {
  const { data } = useLoad(() => (event ? cataloguePropertyNames(event) : Promise.resolve([])), [event])
  const standard: readonly string[] = (STANDARD_EVENTS as Record<string, readonly string[]>)[event] ?? []
  const received = data ?? []
  const known = [
    ...received,
    ...standard.filter((name) => !received.some((p) => p.name === name)).map((name) => ({ name, count: 0, types: [] })),
  ]
  return <NamePicker value={value} onChange={onChange} known={known} testId={testId} width={width} />
}

/** A profile trait, picked from the traits identify calls brought. */
export function TraitNamePicker({
  value,
  onChange,
  testId = 'cond-trait',
  width = 160,
  placeholder,
}: {
  value: string
  onChange: (name: string) => void
  testId?: string
  width?: number
  placeholder?: string
}) {
  const { data } = useLoad(() => catalogueTraitNames(), [])
  return <NamePicker value={value} onChange={onChange} known={data ?? []} testId={testId} width={width} placeholder={placeholder} />
}

/** What a value input suggests from: an event's property, or a trait (no event). */
export interface ValueSource {
  event?: string | undefined
  name: string
}

/** The top values of a property or trait starting with what was typed, asked again as the text changes. */
function useTopValues(source: ValueSource, prefix: string): CatalogueValue[] {
  const [values, setValues] = useState<CatalogueValue[]>([])
  useEffect(() => {
    let current = true
    if (!source.name) return setValues([])
    catalogueTopValues(source, prefix).then(
      (found) => current && setValues(found),
      () => current && setValues([]),
    )
    return () => void (current = false)
  }, [source.event, source.name, prefix])
  return values
}

/** A text value with the catalogue's top values suggested (free text still allowed). */
export function ValueSuggest({
  source,
  value,
  onChange,
  testId = 'cond-value',
  width = 180,
}: {
  source: ValueSource
  value: string
  onChange: (value: string) => void
  testId?: string
  width?: number
}) {
  const [prefix, setPrefix] = useState('')
  const values = useTopValues(source, prefix)
  return (
    <AutoComplete
      style={{ width }}
      value={value}
      onChange={(v: string) => onChange(v)}
      showSearch={{ onSearch: setPrefix }}
      options={values.map((v) => ({ value: v.value, label: counted(v.value, v.count) }))}
      data-testid={`${testId}-suggest`}
    >
      <Input data-testid={testId} />
    </AutoComplete>
  )
}

/** A list of text values (in / not in), each picked from the top values or typed. */
export function ValuesSuggest({
  source,
  values,
  onChange,
}: {
  source: ValueSource
  values: string[]
  onChange: (values: string[]) => void
}) {
  const [prefix, setPrefix] = useState('')
  const top = useTopValues(source, prefix)
  return (
    <Select
      mode="tags"
      style={{ minWidth: 200 }}
      value={values}
      onChange={onChange}
      showSearch={{ onSearch: setPrefix }}
      options={top.map((v) => ({ value: v.value, label: v.value }))}
      data-testid="cond-values"
    />
  )
}
