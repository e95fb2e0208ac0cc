/**
 * Writes `src/migration-files.ts` from the SQL files in `migrations/`, so the
 * SQL travels inside the JavaScript build and survives bundling (a bundled
 * application has no `migrations/` folder next to it). Run by `build`; the
 * migration tests fail when the written module differs from what this script
 * makes of the current files, so a new `.sql` file cannot be forgotten.
 *
 *   pnpm --filter @onehop/postgres embed-migrations
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations/', import.meta.url));
export const MIGRATION_FILES_MODULE = fileURLToPath(new URL('../src/migration-files.ts', import.meta.url));

/** A migration file name: four-digit version, underscore, name. */
const FILE_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

/** The `.sql` files of `migrations/`, in the order they apply. */
export function migrationFileNames(folder = MIGRATIONS_FOLDER): string[] {
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const misnamed = files.filter((f) => !FILE_NAME.test(f));
  if (misnamed.length > 0) throw new Error(`Migration files must be named 0000_snake_case.sql: ${misnamed.join(', ')}`);
  files.forEach((file, i) => {
    if (Number(file.slice(0, 4)) !== i + 1) throw new Error(`Migration versions must run 0001, 0002, … without gaps: ${file} is number ${i + 1}.`);
  });
  return files;
}

/** The source of `src/migration-files.ts` for the current SQL files (each file's text as a JSON string, byte for byte). */
export function renderMigrationFiles(folder = MIGRATIONS_FOLDER): string {
  const entries = migrationFileNames(folder).map((file) => `  { file: ${JSON.stringify(file)}, sql: ${JSON.stringify(readFileSync(`${folder}/${file}`, 'utf8'))} },`);
  return [
    '// Written by scripts/embed-migrations.ts from migrations/*.sql (run by `build`). Do not edit:',
    '// change or add a .sql file and run `pnpm --filter @onehop/postgres embed-migrations`.',
    '',
    '/** The SQL files of `migrations/`, in the order they apply. */',
    'export const MIGRATION_FILES: readonly { readonly file: string; readonly sql: string }[] = [',
    ...entries,
    '];',
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const source = renderMigrationFiles();
  if (readFileSync(MIGRATION_FILES_MODULE, 'utf8') !== source) {
    // In CI the build must not quietly repair what was committed: the tests run after it.
    if (process.env.CI) {
      console.error('src/migration-files.ts differs from migrations/*.sql: run `pnpm --filter @onehop/postgres embed-migrations` and commit it.');
      process.exit(1);
    }
    writeFileSync(MIGRATION_FILES_MODULE, source);
    console.log('src/migration-files.ts written from migrations/*.sql');
  }
}
