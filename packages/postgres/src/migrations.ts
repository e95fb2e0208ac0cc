import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One versioned schema change, shipped as a plain SQL file in the package's `migrations/` folder. */
export interface Migration {
  version: number;
  name: string;
  /** The file name inside `migrations/`. */
  file: string;
  /** The SQL, without a schema: run it with `search_path` set to the target schema. */
  sql: string;
  /** SHA-256 of the SQL; `migrate()` refuses to run when an applied migration's file changed. */
  checksum: string;
}

/** The migrations in the order they apply. A new version is a new file; an applied file is never edited. */
const FILES = ['0001_initial.sql', '0002_fraud_review.sql', '0003_clicks.sql', '0004_dashboards.sql', '0005_counters_hot_updates.sql', '0006_counter_keys_byte_order.sql', '0007_outbox_invitations.sql', '0008_payouts_by_status.sql', '0010_personal_data_out_of_history.sql'] as const;

/** Where the SQL files are, next to `src/` and `dist/` alike. */
export const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url);

let cached: Migration[] | undefined;

/**
 * Every migration, read from the package's SQL files. Teams with their own
 * migration tool can apply `sql` themselves (with `search_path` set to their
 * schema) instead of calling `migrate()`.
 */
export function migrations(): Migration[] {
  cached ??= FILES.map((file) => {
    const sql = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8');
    const match = /^(\d{4})_(.+)\.sql$/.exec(file)!;
    return { version: Number(match[1]), name: match[2]!, file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
  return cached;
}
