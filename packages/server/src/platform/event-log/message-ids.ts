import type { AppContext } from '../context.js'

/**
 * Forgets the messageIds received before the retention (`MESSAGE_ID_RETENTION_DAYS`, at least 7
 * days), in chunks so no transaction grows large: a duplicate sent later than that is taken as a new
 * event. Returns how many were removed.
 */
export async function pruneMessageIds(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>, chunk = 10_000): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - ctx.config.messageIdRetentionDays * 86_400_000)
  let removed = 0
  for (;;) {
    const { numDeletedRows } = await ctx.db
      .deleteFrom('event_message_ids')
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('source_id', 'message_id'),
          'in',
          selectFrom('event_message_ids')
            .select(['source_id', 'message_id'])
            .where('received_at', '<', before)
            .limit(chunk)
            .$asTuple('source_id', 'message_id'),
        ),
      )
      .executeTakeFirst()
    removed += Number(numDeletedRows)
    if (Number(numDeletedRows) < chunk) return removed
  }
}
