import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../platform/db/migrate.js'
import { openDatabase, type Database } from '../../platform/db/database.js'
import { moduleMigrations } from '../../runtime/modules.js'
import { createScratchDatabase, type ScratchDatabase } from '../../test-support/scratch-database.js'
import { TEST_DATABASE_URL } from '../../test-support/test-database.js'

const MIGRATION = '0031_consent_from_traits'

/** The migration that moves the `<channel>_subscribe` traits into the consent model. */
describe(MIGRATION, () => {
  let scratch: ScratchDatabase
  let database: Database
  beforeAll(async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL ?? '', 'rl_test')
    database = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 })
    await migrate(
      database.db,
      moduleMigrations().filter((m) => m.name < MIGRATION),
    )
  })
  afterAll(async () => {
    await database.close()
    await scratch.drop()
  })

  it('moves the traits into the default groups, removes them from profiles, and recomputes the segments that read consent', async () => {
    const db = database.db
    const at = new Date('2026-03-01T08:00:00Z')
    const traitTime = new Date('2026-02-10T09:30:00Z')
    const workspace = async () => {
      const id = randomUUID()
      await db
        .insertInto('workspaces')
        .values({ id, name: `w-${id}`, created_at: at })
        .execute()
      return id
    }
    const profile = async (workspaceId: string, traits: Record<string, unknown>, times: Record<string, number>, mergedInto?: string) => {
      const id = randomUUID()
      await db
        .insertInto('profiles')
        .values({
          id,
          workspace_id: workspaceId,
          traits: JSON.stringify(traits),
          trait_times: JSON.stringify(times),
          first_seen_at: at,
          last_seen_at: at,
          created_at: at,
          updated_at: at,
          merged_into: mergedInto ?? null,
        })
        .execute()
      return id
    }
    // A workspace that never used messaging (no groups yet), and one whose groups exist with a newer console change.
    const fresh = await workspace()
    const used = await workspace()
    const untouched = await workspace()
    const optedIn = await profile(fresh, { name: 'Li', sms_subscribe: 'opted_in' }, { name: 1, sms_subscribe: traitTime.getTime() })
    const mixed = await profile(fresh, { email_subscribe: 'unsubscribed', push_subscribe: 'subscribed', wecom_subscribe: 'maybe' }, {})
    const merged = await profile(fresh, { sms_subscribe: 'unsubscribed' }, {}, optedIn)
    const plain = await profile(untouched, { city: '重庆' }, { city: 5 })
    const groupId = randomUUID()
    await sql`INSERT INTO subscription_groups (id, workspace_id, key, name, channel, policy, created_at)
      VALUES (${groupId}, ${used}, 'marketing_sms', 'Marketing SMS', 'sms', 'opt_in', ${at})`.execute(db)
    const later = await profile(used, { sms_subscribe: 'opted_in' }, { sms_subscribe: traitTime.getTime() })
    await sql`INSERT INTO subscriptions (workspace_id, group_id, profile_id, state, source, changed_at)
      VALUES (${used}, ${groupId}, ${later}, 'unsubscribed', 'console', ${at})`.execute(db)
    const segmentId = randomUUID()
    const definition = { kind: 'and', children: [{ kind: 'subscription', channel: 'sms', state: 'subscribed' }] }
    await db
      .insertInto('segments')
      .values({
        id: segmentId,
        workspace_id: fresh,
        name: 'SMS subscribed',
        kind: 'dynamic',
        definition: JSON.stringify(definition),
        computed_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute()

    expect(await migrate(db, moduleMigrations())).toContain(MIGRATION)

    const { rows } = await sql<{ workspace_id: string; profile_id: string; key: string; state: string; source: string; changed_at: Date }>`
      SELECT s.workspace_id, s.profile_id, g.key, s.state, s.source, s.changed_at FROM subscriptions s
      JOIN subscription_groups g ON g.id = s.group_id ORDER BY g.key`.execute(db)
    const of = (profileId: string) =>
      rows
        .filter((r) => r.profile_id === profileId)
        .map((r) => ({ key: r.key, state: r.state, source: r.source, at: r.changed_at.toISOString() }))
    // At the trait's time when known, else the profile's last update; `subscribed` is consent given; a value not a state is dropped.
    expect(of(optedIn)).toEqual([{ key: 'marketing_sms', state: 'opted_in', source: 'migrated', at: traitTime.toISOString() }])
    expect(of(mixed)).toEqual([
      { key: 'marketing_email', state: 'unsubscribed', source: 'migrated', at: at.toISOString() },
      { key: 'push_notifications', state: 'opted_in', source: 'migrated', at: at.toISOString() },
    ])
    // A merged profile's traits were the survivor's to keep; a newer change recorded since stays.
    expect(of(merged)).toEqual([])
    expect(of(later)).toEqual([{ key: 'marketing_sms', state: 'unsubscribed', source: 'console', at: at.toISOString() }])
    // The default groups were created where the workspace had none (and only where there was consent to move).
    const groups = await sql<{ workspace_id: string; n: number }>`
      SELECT workspace_id, count(*)::int AS n FROM subscription_groups GROUP BY workspace_id`.execute(db)
    expect(new Map(groups.rows.map((g) => [g.workspace_id, g.n]))).toEqual(
      new Map([
        [fresh, 7],
        [used, 1],
      ]),
    )

    // The traits left every profile (with their times); the others stayed.
    const profiles = await db.selectFrom('profiles').select(['id', 'traits', 'trait_times']).execute()
    const byId = new Map(profiles.map((p) => [p.id, p]))
    expect(byId.get(optedIn)).toMatchObject({ traits: { name: 'Li' }, trait_times: { name: 1 } })
    expect(byId.get(mixed)?.traits).toEqual({})
    expect(byId.get(merged)?.traits).toEqual({})
    expect(byId.get(later)).toMatchObject({ traits: {}, trait_times: {} })
    expect(byId.get(plain)).toMatchObject({ traits: { city: '重庆' }, trait_times: { city: 5 } })

    // The segment on SMS consent is computed again (SMS is an opt-in group now, not "absent = subscribed").
    const jobs = await db.selectFrom('jobs').select(['workspace_id', 'queue', 'payload']).execute()
    expect(jobs).toEqual([{ workspace_id: fresh, queue: 'segments.compute', payload: { segmentId } }])
  })
})
