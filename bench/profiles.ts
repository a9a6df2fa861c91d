/**
 * Profile reads at scale: seeds PROFILES (default 1,000,000) profiles with a user id and a phone
 * each (straight into the tables, to set up fast), then times the admin API's profile list (first
 * page, a page deep into the cursor, a search by phone) and a lookup by identifier, through
 * `inject()`, on PostgreSQL at DATABASE_URL (default the local `test` server), in a database of its
 * own. Target: under 300 ms per page at 1M profiles.
 */
import { sql } from 'kysely'
import { createTestApp, setupOwner } from '@reachloop/server/testing'

const PROFILES = Number(process.env.PROFILES ?? 1_000_000)
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

async function measure(engine: string, databaseServer: string) {
  const t = await createTestApp({}, { databaseServer })
  try {
    const owner = await setupOwner(t.app)
    const ws = owner.workspaceId ?? ''
    const started = performance.now()
    for (let from = 1; from <= PROFILES; from += 200_000) {
      const to = Math.min(PROFILES, from + 199_999)
      await sql`INSERT INTO profiles (id, workspace_id, traits, first_seen_at, last_seen_at, created_at, updated_at)
        SELECT md5(${ws} || i::text)::uuid, ${ws}, jsonb_build_object('name', 'Customer ' || i), now() - (i || ' minutes')::interval, now() - (i || ' seconds')::interval, now(), now()
        FROM generate_series(${from}::int, ${to}::int) i`.execute(t.ctx.db)
      await sql`INSERT INTO profile_identifiers (workspace_id, type, value, profile_id, first_seen_at)
        SELECT ${ws}, kind, CASE WHEN kind = 'user_id' THEN 'member-' || i ELSE '+86139' || lpad(i::text, 8, '0') END, md5(${ws} || i::text)::uuid, now()
        FROM generate_series(${from}::int, ${to}::int) i, (VALUES ('user_id'), ('phone')) AS k(kind)`.execute(t.ctx.db)
    }
    await sql`ANALYZE`.execute(t.ctx.db)
    const seedSeconds = (performance.now() - started) / 1000
    const time = async (url: string, runs = 5) => {
      const times: number[] = []
      let body = ''
      for (let i = 0; i < runs; i++) {
        const s = performance.now()
        const res = await owner.get(url)
        times.push(performance.now() - s)
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
        body = res.body
      }
      times.sort((a, b) => a - b)
      return { ms: times[Math.floor(times.length / 2)] ?? 0, body }
    }
    const first = await time('/api/v1/profiles?limit=50')
    let cursor = JSON.parse(first.body).nextCursor as string
    for (let page = 0; page < 200; page++)
      cursor = (await owner.get(`/api/v1/profiles?limit=50&cursor=${encodeURIComponent(cursor)}`)).json().nextCursor
    const deep = await time(`/api/v1/profiles?limit=50&cursor=${encodeURIComponent(cursor)}`)
    const search = await time(`/api/v1/profiles?search=${encodeURIComponent(`139${String(Math.floor(PROFILES / 2)).padStart(8, '0')}`)}`)
    const lookup = await time(`/api/v1/profiles/by-identifier/user_id/member-${Math.floor(PROFILES / 3)}`)
    return {
      engine,
      profiles: PROFILES,
      'seed s': seedSeconds.toFixed(0),
      'first page ms': first.ms.toFixed(1),
      'page 201 ms': deep.ms.toFixed(1),
      'search by phone ms': search.ms.toFixed(1),
      'lookup by identifier ms': lookup.ms.toFixed(1),
    }
  } finally {
    await t.close()
  }
}

const rows = [await measure('PostgreSQL', PG_URL)]
console.log(`\nprofiles benchmark: ${PROFILES} profiles, 2 identifiers each; median of 5 requests through the admin API\n`)
console.table(rows)
