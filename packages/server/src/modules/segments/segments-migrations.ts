import type { Migration } from '../../platform/db/migrate.js'

/** Labels group segments in the console's list ("门店活动", "lifecycle"); the index answers the list's filter. */
export const SEGMENTS_MIGRATIONS: readonly Migration[] = [
  {
    name: '0023_segment_labels',
    sql: `
      ALTER TABLE segments ADD COLUMN labels text[] NOT NULL DEFAULT '{}';
      CREATE INDEX segments_labels ON segments USING gin (labels);
    `,
  },
]
