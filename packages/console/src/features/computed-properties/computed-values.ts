import { RFM_GROUPS, type ComputedDefinition, type RfmGroup, type RfmValue } from '@reachloop/domain'
import type { Language, MessageKey } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

const isRfmGroup = (value: unknown): value is RfmGroup => typeof value === 'string' && (RFM_GROUPS as string[]).includes(value)
const isRfmValue = (value: unknown): value is RfmValue =>
  typeof value === 'object' &&
  value !== null &&
  isRfmGroup((value as { group?: unknown }).group) &&
  typeof (value as { score?: unknown }).score === 'string'
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** The name of an RFM group in the reader's language, or the value itself when it is none. */
export const rfmGroupLabel = (value: string, t: (key: MessageKey) => string): string =>
  isRfmGroup(value) ? t(`rfm.group.${value}`) : value

/**
 * A computed value as a person reads it: an RFM value as its group and score, money (with `money`,
 * for a property that keeps money) in the workspace's currency, numbers and instants in the
 * reader's language, intervals in days, nothing as a dash.
 */
export function formatComputedValue(
  value: unknown,
  kind: string,
  language: Language,
  t: (key: MessageKey) => string,
  money?: (minor: number) => string,
): string {
  if (value === null || value === undefined) return '—'
  if (isRfmValue(value)) return `${rfmGroupLabel(value.group, t)} · ${value.score}`
  if (typeof value === 'number' && money) return money(value)
  if (typeof value === 'number') {
    const number = value.toLocaleString(language, { maximumFractionDigits: 2 })
    return kind === 'interval' ? `${number} ${t('cond.unit.days')}` : number
  }
  if (typeof value === 'string') return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? formatTime(value, language) : value
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** A definition in a line: what is kept, of which events, over which window. */
export function describeComputedDefinition(definition: ComputedDefinition, t: (key: MessageKey) => string): string {
  const what =
    definition.kind === 'aggregate'
      ? [t(`computed.aggregate.${definition.aggregate}`), definition.property].filter(Boolean).join(' ')
      : definition.kind === 'rfm'
        ? `${t('computed.kind.rfm')} (${definition.monetaryProperty})`
        : t('computed.kind.interval')
  const { window } = definition
  const when =
    window.type === 'ever'
      ? t('cond.window.ever')
      : window.type === 'last'
        ? `${t('cond.window.last')} ${window.amount} ${t(`cond.unit.${window.unit}`)}`
        : `${window.from.slice(0, 10)} – ${window.to.slice(0, 10)}`
  const filters = definition.filters.length > 0 ? ` (${definition.filters.length} ${t('cond.filters')})` : ''
  return `${what} · ${definition.event}${filters} · ${when}`
}
