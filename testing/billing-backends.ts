/**
 * The stores the payment-provider packages' webhook tests run on: the
 * memory store, and PostgreSQL on PGlite, whose rows a test counts straight
 * from the tables (not through onehop) to show that a refused delivery
 * wrote nothing. Each backend is opened once per test file; every test uses
 * a program of its own.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Store } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';
import { createPostgresStore, migrate } from '@onehop/postgres';

export interface BillingBackend {
  name: string;
  open: () => Promise<{
    store: () => Store;
    /** Rows of one program in the tables a billing event writes (PGlite only). */
    rows?: (programId: string) => Promise<Record<string, number>>;
    close: () => Promise<void>;
  }>;
}

export const BILLING_BACKENDS: BillingBackend[] = [
  { name: 'memory', open: async () => ({ store: () => createMemoryStore(), close: async () => {} }) },
  {
    name: 'PGlite',
    open: async () => {
      const db = new PGlite();
      await migrate({ pglite: db });
      const rows = async (programId: string) => {
        const counts: Record<string, number> = {};
        for (const table of ['source_events', 'commissions', 'ledger_entries', 'referrals', 'audit_trail']) {
          counts[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM onehop.${table} WHERE program_id = $1`, [programId])).rows[0]!.n;
        }
        return counts;
      };
      const store = createPostgresStore({ pglite: db });
      return { store: () => store, rows, close: () => db.close() };
    },
  },
];
