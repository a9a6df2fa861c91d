import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { mergeTopValues, type EventStats, type WorkspaceStats } from './catalogue-stats.js'

/** Properties (or traits) kept per event: past it, new paths of that event are not added (a client sending random keys). */
export const MAX_STORED_PATHS = 500

type StoredPath = { kind: string; event: string; name: string; types: Record<string, number>; top_values: Array<[string, number]> }
type PathKey = { kind: 'property' | 'trait'; event: string; name: string }
const keyOf = (k: { kind: string; event: string; name: string }) => `${k.kind}\u0000${k.event}\u0000${k.name}`

/** The stored rows of the paths a batch touches, and how many paths each of its events holds already. */
async function storedPaths(tx: Executor, workspaceId: string, keys: readonly PathKey[]) {
  const { rows } = await sql<StoredPath>`
    SELECT p.kind, p.event, p.name, p.types, p.top_values FROM catalogue_properties p
    JOIN unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.event)}::text[], ${keys.map((k) => k.name)}::text[])
      AS k(kind, event, name) ON (p.kind, p.event, p.name) = (k.kind, k.event, k.name)
    WHERE p.workspace_id = ${workspaceId}`.execute(tx)
  return new Map(rows.map((r) => [keyOf(r), r]))
}

/** How many paths the events holding new ones keep already (only asked when a batch brings new paths). */
async function pathCounts(tx: Executor, workspaceId: string, events: ReadonlyArray<{ kind: string; event: string }>) {
  if (events.length === 0) return new Map<string, number>()
  const { rows } = await sql<{ kind: string; event: string; n: number }>`
    SELECT p.kind, p.event, count(*)::int AS n FROM catalogue_properties p
    JOIN unnest(${events.map((e) => e.kind)}::text[], ${events.map((e) => e.event)}::text[]) AS k(kind, event)
      ON (p.kind, p.event) = (k.kind, k.event)
    WHERE p.workspace_id = ${workspaceId} GROUP BY p.kind, p.event`.execute(tx)
  return new Map(rows.map((r) => [`${r.kind}\u0000${r.event}`, r.n]))
}

const iso = (d: Date) => d.toISOString()

/** The rows of one event's (or the traits') paths, merged with what is stored. */
function pathRows(
  kind: 'property' | 'trait',
  event: string,
  stats: EventStats,
  stored: ReadonlyMap<string, StoredPath>,
  room: { left: number },
) {
  const rows = []
  for (const [name, p] of stats.paths) {
    const before = stored.get(keyOf({ kind, event, name }))
    if (!before && room.left-- <= 0) continue
    const types: Record<string, number> = { ...before?.types }
    for (const [type, n] of p.types) types[type] = (types[type] ?? 0) + n
    rows.push({
      kind,
      event,
      name,
      types,
      count: p.count,
      top_values: p.values.size > 0 ? mergeTopValues(before?.top_values ?? [], p.values) : (before?.top_values ?? []),
      first_seen: iso(p.first),
      last_seen: iso(p.last),
    })
  }
  return rows
}

/**
 * Writes what one consumer batch said of a workspace: one upsert statement for its events and one for
 * their properties and traits (each key once). Counts are added; types and top values are merged with
 * the stored ones here (the consumer runs one batch at a time, holding its row in `log_consumers`).
 */
export async function writeWorkspaceStats(tx: Executor, workspaceId: string, stats: WorkspaceStats): Promise<void> {
  const groups: Array<{ kind: 'property' | 'trait'; event: string; stats: EventStats }> = [...stats.events].map(([event, s]) => ({
    kind: 'property',
    event,
    stats: s,
  }))
  if (stats.traits) groups.push({ kind: 'trait', event: '', stats: stats.traits })
  const eventRows = groups.map((g) => ({
    kind: g.kind === 'trait' ? 'traits' : 'event',
    name: g.event,
    count: g.stats.count,
    first_seen: iso(g.stats.first),
    last_seen: iso(g.stats.last),
    violations: g.stats.violations,
    last_violation: g.stats.lastViolation?.reason ?? null,
    last_violation_at: g.stats.lastViolation ? iso(g.stats.lastViolation.at) : null,
  }))
  if (eventRows.length === 0) return
  await sql`
    INSERT INTO catalogue_events AS t (workspace_id, kind, name, count, first_seen, last_seen, violations, last_violation, last_violation_at)
    SELECT ${workspaceId}, r.kind, r.name, r.count, r.first_seen, r.last_seen, r.violations, r.last_violation, r.last_violation_at
    FROM jsonb_to_recordset(${JSON.stringify(eventRows)}::jsonb) AS r(kind text, name text, count bigint, first_seen timestamptz,
      last_seen timestamptz, violations bigint, last_violation text, last_violation_at timestamptz)
    ON CONFLICT (workspace_id, kind, name) DO UPDATE SET
      count = t.count + excluded.count,
      first_seen = LEAST(t.first_seen, excluded.first_seen),
      last_seen = GREATEST(t.last_seen, excluded.last_seen),
      violations = t.violations + excluded.violations,
      last_violation = COALESCE(excluded.last_violation, t.last_violation),
      last_violation_at = COALESCE(excluded.last_violation_at, t.last_violation_at)`.execute(tx)
  const keys = groups.flatMap((g) => [...g.stats.paths.keys()].map((name) => ({ kind: g.kind, event: g.event, name })))
  if (keys.length === 0) return
  const stored = await storedPaths(tx, workspaceId, keys)
  const growing = groups.filter((g) => [...g.stats.paths.keys()].some((name) => !stored.has(keyOf({ kind: g.kind, event: g.event, name }))))
  const counts = await pathCounts(tx, workspaceId, growing)
  const rows = groups.flatMap((g) =>
    pathRows(g.kind, g.event, g.stats, stored, { left: MAX_STORED_PATHS - (counts.get(`${g.kind}\u0000${g.event}`) ?? 0) }),
  )
  if (rows.length === 0) return
  await sql`
    INSERT INTO catalogue_properties AS t (workspace_id, kind, event, name, types, count, top_values, first_seen, last_seen)
    SELECT ${workspaceId}, r.kind, r.event, r.name, r.types, r.count, r.top_values, r.first_seen, r.last_seen
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(kind text, event text, name text, types jsonb, count bigint,
      top_values jsonb, first_seen timestamptz, last_seen timestamptz)
    ON CONFLICT (workspace_id, kind, event, name) DO UPDATE SET
      types = excluded.types,
      count = t.count + excluded.count,
      top_values = excluded.top_values,
      first_seen = LEAST(t.first_seen, excluded.first_seen),
      last_seen = GREATEST(t.last_seen, excluded.last_seen)`.execute(tx)
}

/** The workspace's tracking plans, by event name. */
export async function storedPlans(db: Executor, workspaceId: string): Promise<Array<{ name: string; plan: unknown }>> {
  const { rows } = await sql<{ name: string; plan: unknown }>`
    SELECT name, plan FROM catalogue_events WHERE workspace_id = ${workspaceId} AND kind = 'event' AND plan IS NOT NULL`.execute(db)
  return rows
}

/** Erasure: top values equal to an erased customer's identifier values are dropped. */
export async function forgetValues(db: Executor, workspaceId: string, values: readonly string[]): Promise<void> {
  if (values.length === 0) return
  await sql`
    UPDATE catalogue_properties SET top_values = (
      SELECT coalesce(jsonb_agg(v ORDER BY (v->>1)::bigint DESC), '[]'::jsonb) FROM jsonb_array_elements(top_values) AS v
      WHERE NOT (v->>0 = ANY(${[...values]}::text[])))
    WHERE workspace_id = ${workspaceId}
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(top_values) AS v WHERE v->>0 = ANY(${[...values]}::text[]))`.execute(db)
}
