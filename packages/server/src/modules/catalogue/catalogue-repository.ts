import {
  OBSERVED_TYPES,
  type CatalogueEvent,
  type CatalogueEventChange,
  type CatalogueMarks,
  type CatalogueProperty,
  type CataloguePropertyChange,
  type CatalogueValue,
  type ObservedType,
  type TrackingPlan,
} from '@reachloop/domain'
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { TOP_VALUES_SHOWN } from './catalogue-stats.js'

/** Lists are bounded: a catalogue of thousands of events is searched, not scrolled. */
const MAX_LISTED = 1000

interface EventRow {
  name: string
  count: string | number
  first_seen: Date | null
  last_seen: Date | null
  description: string
  hidden: boolean
  plan: TrackingPlan | null
  violations: string | number
  last_violation: string | null
  last_violation_at: Date | null
}

interface PropertyRow {
  kind: 'property' | 'trait'
  event: string
  name: string
  types: Record<string, number>
  count: string | number
  total: string | number | null
  top_values: Array<[string, number]>
  first_seen: Date | null
  last_seen: Date | null
  description: string
  mark: 'money' | 'date' | null
  hidden: boolean
}

const toEvent = (r: EventRow): CatalogueEvent => ({
  name: r.name,
  count: Number(r.count),
  firstSeen: r.first_seen?.toISOString() ?? null,
  lastSeen: r.last_seen?.toISOString() ?? null,
  description: r.description,
  hidden: r.hidden,
  plan: r.plan,
  violations: Number(r.violations),
  lastViolation: r.last_violation && r.last_violation_at ? { reason: r.last_violation, at: r.last_violation_at.toISOString() } : null,
})

const toProperty = (r: PropertyRow): CatalogueProperty => {
  const count = Number(r.count)
  const total = Number(r.total ?? 0)
  return {
    event: r.kind === 'trait' ? null : r.event,
    name: r.name,
    types: OBSERVED_TYPES.flatMap((type: ObservedType) => (r.types[type] ? [{ type, count: r.types[type] }] : [])),
    count,
    share: total > 0 ? Math.min(1, count / total) : 0,
    topValues: r.top_values.slice(0, TOP_VALUES_SHOWN).map(([value, n]) => ({ value, count: n })),
    firstSeen: r.first_seen?.toISOString() ?? null,
    lastSeen: r.last_seen?.toISOString() ?? null,
    description: r.description,
    mark: r.mark,
    hidden: r.hidden,
  }
}

/** `%text%` for ILIKE, with the pattern's own characters taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const EVENT_COLUMNS = sql`name, count, first_seen, last_seen, description, hidden, plan, violations, last_violation, last_violation_at`

/** The workspace's events, most frequent first. */
export async function catalogueEvents(
  db: Executor,
  workspaceId: string,
  options: { search?: string | undefined; includeHidden?: boolean | undefined },
): Promise<CatalogueEvent[]> {
  const { rows } = await sql<EventRow>`
    SELECT ${EVENT_COLUMNS} FROM catalogue_events
    WHERE workspace_id = ${workspaceId} AND kind = 'event'
      ${options.includeHidden ? sql`` : sql`AND NOT hidden`}
      ${options.search ? sql`AND name ILIKE ${containing(options.search)}` : sql``}
    ORDER BY count DESC, name LIMIT ${MAX_LISTED}`.execute(db)
  return rows.map(toEvent)
}

/** Where a property lives: an event's properties, or the traits. */
export type PropertyScope = { kind: 'property'; event: string } | { kind: 'trait' }
const eventOf = (scope: PropertyScope) => (scope.kind === 'trait' ? '' : scope.event)
const totalKind = (scope: PropertyScope) => (scope.kind === 'trait' ? 'traits' : 'event')

const PROPERTY_COLUMNS = sql`p.kind, p.event, p.name, p.types, p.count, e.count AS total, p.top_values, p.first_seen, p.last_seen, p.description, p.mark, p.hidden`

/** An event's properties (or the traits), most carried first. */
export async function catalogueProperties(
  db: Executor,
  workspaceId: string,
  scope: PropertyScope,
  options: { search?: string | undefined; includeHidden?: boolean | undefined },
): Promise<CatalogueProperty[]> {
  const { rows } = await sql<PropertyRow>`
    SELECT ${PROPERTY_COLUMNS} FROM catalogue_properties p
    LEFT JOIN catalogue_events e ON (e.workspace_id, e.kind, e.name) = (p.workspace_id, ${totalKind(scope)}, p.event)
    WHERE p.workspace_id = ${workspaceId} AND p.kind = ${scope.kind} AND p.event = ${eventOf(scope)}
      ${options.includeHidden ? sql`` : sql`AND NOT p.hidden`}
      ${options.search ? sql`AND p.name ILIKE ${containing(options.search)}` : sql``}
    ORDER BY p.count DESC, p.name LIMIT ${MAX_LISTED}`.execute(db)
  return rows.map(toProperty)
}

/** The top values of a property or trait starting with `prefix` (any case), most frequent first. */
export async function catalogueValues(
  db: Executor,
  workspaceId: string,
  scope: PropertyScope,
  name: string,
  prefix: string | undefined,
): Promise<CatalogueValue[]> {
  const { rows } = await sql<{ top_values: Array<[string, number]> }>`
    SELECT top_values FROM catalogue_properties
    WHERE workspace_id = ${workspaceId} AND kind = ${scope.kind} AND event = ${eventOf(scope)} AND name = ${name}`.execute(db)
  const wanted = prefix?.toLocaleLowerCase()
  return (rows[0]?.top_values ?? [])
    .filter(([value]) => !wanted || value.toLocaleLowerCase().startsWith(wanted))
    .slice(0, TOP_VALUES_SHOWN)
    .map(([value, count]) => ({ value, count }))
}

/** One event of the catalogue, or undefined when it was neither received nor edited. */
export async function catalogueEvent(db: Executor, workspaceId: string, name: string): Promise<CatalogueEvent | undefined> {
  const { rows } = await sql<EventRow>`
    SELECT ${EVENT_COLUMNS} FROM catalogue_events WHERE workspace_id = ${workspaceId} AND kind = 'event' AND name = ${name}`.execute(db)
  return rows[0] ? toEvent(rows[0]) : undefined
}

/** Applies an operator's change to an event, making its row when the event was not received yet. */
export async function changeEvent(db: Executor, workspaceId: string, change: CatalogueEventChange): Promise<CatalogueEvent> {
  const plan = change.plan === undefined ? undefined : change.plan === null ? null : JSON.stringify(change.plan)
  const { rows } = await sql<EventRow>`
    INSERT INTO catalogue_events AS t (workspace_id, kind, name, description, hidden, plan)
    VALUES (${workspaceId}, 'event', ${change.name}, ${change.description ?? ''}, ${change.hidden ?? false}, ${plan ?? null}::jsonb)
    ON CONFLICT (workspace_id, kind, name) DO UPDATE SET
      description = ${change.description === undefined ? sql`t.description` : sql`excluded.description`},
      hidden = ${change.hidden === undefined ? sql`t.hidden` : sql`excluded.hidden`},
      plan = ${plan === undefined ? sql`t.plan` : sql`excluded.plan`}
    RETURNING ${EVENT_COLUMNS}`.execute(db)
  return toEvent(rows[0] as EventRow)
}

/** One property (or trait) of the catalogue, or undefined. */
export async function catalogueProperty(
  db: Executor,
  workspaceId: string,
  scope: PropertyScope,
  name: string,
): Promise<CatalogueProperty | undefined> {
  const { rows } = await sql<PropertyRow>`
    SELECT ${PROPERTY_COLUMNS} FROM catalogue_properties p
    LEFT JOIN catalogue_events e ON (e.workspace_id, e.kind, e.name) = (p.workspace_id, ${totalKind(scope)}, p.event)
    WHERE p.workspace_id = ${workspaceId} AND p.kind = ${scope.kind} AND p.event = ${eventOf(scope)} AND p.name = ${name}`.execute(db)
  return rows[0] ? toProperty(rows[0]) : undefined
}

/** Applies an operator's change to a property or trait, making its row when it was not received yet. */
export async function changeProperty(
  db: Executor,
  workspaceId: string,
  scope: PropertyScope,
  change: Omit<CataloguePropertyChange, 'event'>,
): Promise<void> {
  await sql`
    INSERT INTO catalogue_properties AS t (workspace_id, kind, event, name, description, hidden, mark)
    VALUES (${workspaceId}, ${scope.kind}, ${eventOf(scope)}, ${change.name}, ${change.description ?? ''}, ${change.hidden ?? false},
      ${change.mark ?? null})
    ON CONFLICT (workspace_id, kind, event, name) DO UPDATE SET
      description = ${change.description === undefined ? sql`t.description` : sql`excluded.description`},
      hidden = ${change.hidden === undefined ? sql`t.hidden` : sql`excluded.hidden`},
      mark = ${change.mark === undefined ? sql`t.mark` : sql`excluded.mark`}`.execute(db)
}

/** Names of the properties and traits marked money or date, whatever their event. */
export async function catalogueMarks(db: Executor, workspaceId: string): Promise<CatalogueMarks> {
  const { rows } = await sql<{ mark: 'money' | 'date'; name: string }>`
    SELECT DISTINCT mark, name FROM catalogue_properties WHERE workspace_id = ${workspaceId} AND mark IS NOT NULL ORDER BY name`.execute(db)
  return {
    money: rows.filter((r) => r.mark === 'money').map((r) => r.name),
    dates: rows.filter((r) => r.mark === 'date').map((r) => r.name),
  }
}
