import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { MIGRATION_FILES } from './migration-files';

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

/**
 * Where the package's SQL files are when it is installed as is
 * (`node_modules/@onehop/postgres/migrations/`), for tools that read files.
 * `migrate()` and `migrations()` do not read it: the SQL is embedded in the
 * JavaScript. Inside a bundle this URL is relative to the bundle file and
 * points at nothing; use `migrations()` there.
 */
// import.meta.url is empty when an ES module is bundled into CommonJS; __filename is the bundle then.
export const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url || pathToFileURL(__filename).href);

let cached: Migration[] | undefined;

/**
 * Every migration, with the SQL of the package's files (embedded in the
 * build, so bundled applications have it too). Teams with their own
 * migration tool can apply `sql` themselves (with `search_path` set to their
 * schema) instead of calling `migrate()`, or read the same files from
 * `@onehop/postgres/migrations/*.sql`.
 */
export function migrations(): Migration[] {
  cached ??= MIGRATION_FILES.map(({ file, sql }) => {
    const match = /^(\d{4})_(.+)\.sql$/.exec(file)!;
    return { version: Number(match[1]), name: match[2]!, file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
  return cached;
}
