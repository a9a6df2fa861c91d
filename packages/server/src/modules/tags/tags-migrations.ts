import type { Migration } from '../../platform/db/migrate.js'

/** A tag's description, and labels that group tags in the console's list (the index answers the list's filter). */
export const TAGS_MIGRATIONS: readonly Migration[] = [
  {
    name: '0023_tag_labels',
    sql: `
      ALTER TABLE tags ADD COLUMN description text NOT NULL DEFAULT '';
      ALTER TABLE tags ADD COLUMN labels text[] NOT NULL DEFAULT '{}';
      CREATE INDEX tags_labels ON tags USING gin (labels);
    `,
  },
]
