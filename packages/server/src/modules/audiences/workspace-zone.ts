import type { Executor } from '../../platform/db/database.js'

/** The workspace's time zone (for profiles without a valid `timezone` trait). */
export async function workspaceZone(db: Executor, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst()
  return row?.time_zone ?? 'Asia/Shanghai'
}
