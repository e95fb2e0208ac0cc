/**
 * The SQL inside the build is the SQL of the shipped files, byte for byte, so
 * databases migrated from the files (by earlier versions, or by a team's own
 * migration tool) keep matching checksums. A store-package concern: only
 * @onehop/postgres ships migrations.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATION_FILES_MODULE, MIGRATIONS_FOLDER, migrationFileNames, renderMigrationFiles } from '../scripts/embed-migrations';
import { MIGRATIONS_DIR, migrations } from '../src/index';

/** How migrate() computed a checksum when it read the files at run time: SHA-256 of the file read as UTF-8. */
const fileChecksum = (file: string) =>
  createHash('sha256')
    .update(readFileSync(`${MIGRATIONS_FOLDER}/${file}`, 'utf8'))
    .digest('hex');

describe('embedded migrations', () => {
  it('src/migration-files.ts is what scripts/embed-migrations.ts makes of migrations/*.sql (run `pnpm --filter @onehop/postgres embed-migrations` when this fails)', () => {
    expect(readFileSync(MIGRATION_FILES_MODULE, 'utf8')).toBe(renderMigrationFiles());
  });

  it('has every .sql file of migrations/, in order, with the checksum of the file', () => {
    const files = migrationFileNames();
    expect(migrations().map((m) => m.file)).toEqual(files);
    expect(migrations().map((m) => m.version)).toEqual(files.map((_, i) => i + 1));
    for (const m of migrations()) expect({ file: m.file, checksum: m.checksum }).toEqual({ file: m.file, checksum: fileChecksum(m.file) });
  });

  it('keeps the checksums that databases migrated by 0.1.0 recorded', () => {
    const released: [string, string][] = [
      ['0001_initial.sql', '48e249aab2091580a0421d613141353ef5b24c77a42bd7b7bfccf233288515a0'],
      ['0002_fraud_review.sql', 'dee2d4da62b97e8716dd2ed972d038ce30876a17da0dda1ac9e75c8eca0994cb'],
      ['0003_clicks.sql', '4a5c74b8e58627eb98b8b92683be9e930b28119f739367ea09dac3101f367216'],
      ['0004_dashboards.sql', 'a9465b7dfda497917e66fd27bdb21a48d34d92d115bc5b0a0f7b93acb45a22b1'],
      ['0005_counters_hot_updates.sql', '7e387358f10e80b4cdada46f4b729b311f460956ff3bf2b20a81018b2005284d'],
      ['0006_counter_keys_byte_order.sql', '204d09de6d5a3015fa77579245e5340868a8bf4c2e8f075718f915c5c8c153ee'],
      ['0007_outbox_invitations.sql', '1be8a5b7a79417182fe12512f4fcc4b32808db5044ab06ed2a0217914b846526'],
      ['0008_payouts_by_status.sql', 'd4dda13c2ae9504cdffce8498ef0c43f52844024e97fa1278d05b263631310fd'],
    ];
    expect(
      migrations()
        .slice(0, released.length)
        .map((m) => [m.file, m.checksum]),
    ).toEqual(released);
  });

  it('MIGRATIONS_DIR still points at the shipped files when the package is not bundled', () => {
    for (const m of migrations()) expect(readFileSync(new URL(m.file, MIGRATIONS_DIR), 'utf8')).toBe(m.sql);
  });
});
