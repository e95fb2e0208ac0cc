// The suite uses only the public API, imported by package name, so that a built
// copy of it shares one engine and one set of error classes with its users.
import { type CreateOnehopOptions, createManualClock, createOnehop, type ManualClock, type Onehop, type ProgramConfigInput, type Scope, type Store } from '@onehop/core';
import { afterEach, describe } from 'vitest';
import { adminSuite } from './admin-suite';
import { attributionSuite } from './attribution-suite';
import { billingSuite } from './billing-suite';
import { clicksSuite } from './clicks-suite';
import { currencySuite } from './currency-suite';
import { dashboardSuite } from './dashboard-suite';
import { erasureSuite, type StoredStrings } from './erasure-suite';
import { fraudSuite, TEST_HASH_KEY } from './fraud-suite';
import { groupsSuite } from './groups-suite';
import { invitationsSuite } from './invitations-suite';
import { linksSuite } from './links-suite';
import { modelSuite } from './model-suite';
import { moneySuite } from './money-suite';
import { outboxSuite } from './outbox-suite';
import { participantsSuite } from './participants-suite';
import { payoutRunsSuite } from './payout-runs-suite';
import { programsSuite } from './programs-suite';
import { promoCodesSuite } from './promo-codes-suite';
import { simulationSuite } from './simulation-suite';
import { storeContractSuite } from './store-contract-suite';
import { parseSkip, SUITE_NAMES, type SuiteName } from './suite-names';
import { transactionsSuite } from './transactions-suite';
import { validationSuite } from './validation-suite';

/** How a store is handed to the conformance suite. */
export interface ConformanceOptions {
  /** Name shown in the test report, e.g. `memory` or `postgres (PGlite)`. */
  name: string;
  /**
   * Returns a store for one test. It may be a fresh store or a shared one:
   * every test uses its own program id, so tests never see each other's rows.
   */
  createStore: () => Store | Promise<Store>;
  /** Called after each test with the store it used (close pools, drop schemas). */
  destroyStore?: (store: Store) => void | Promise<void>;
  /**
   * Whether the store accepts live mode. Memory stores pass `allowLive` for
   * the mode-separation tests; stores that refuse live mode skip them.
   */
  supportsLiveMode?: boolean;
  /** Runs of each property test (fast-check); fewer for slow stores. Default 50. */
  propertyRuns?: number;
  /** Runs of the model-based test (up to 40 random operations each). Default: `propertyRuns`. */
  modelRuns?: number;
  /**
   * Every string value the store holds, read from its storage directly and
   * not through onehop: every text and JSON column of every table
   * (PostgreSQL), every field of every record (memory), JSON as text. The
   * erasure tests search it for a user's personal data after `eraseUser`.
   * A store whose scan misses a place fails the tests' own check that the
   * scan finds the data before erasure.
   */
  storedStrings: StoredStrings;
  /**
   * Named suites this store does not run, each with the reason why, e.g.
   * `{ erasure: 'this store keeps no personal data' }`. A skipped suite is
   * reported as skipped, its reason in its title. Every suite runs by default;
   * the names are `SUITE_NAMES`.
   */
  skip?: Partial<Record<SuiteName, string>>;
}

let programCounter = 0;
/** A program id no other test uses, so a shared store keeps tests apart. */
function uniqueProgramId(): string {
  programCounter += 1;
  return `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${programCounter}`;
}

/**
 * The shared behaviour every onehop store must have, as named suites
 * (`SUITE_NAMES`), each in a `describe` of its name. Call it once from a
 * store package's test file:
 *
 * ```ts
 * import { runConformanceSuite } from '@onehop/core/testing';
 * runConformanceSuite({ name: 'memory', createStore: () => createMemoryStore({ allowLive: true }) });
 * ```
 */
export function runConformanceSuite(options: ConformanceOptions): void {
  const skip = parseSkip(options.skip);
  describe(`store conformance: ${options.name}`, () => {
    const opened: Store[] = [];

    afterEach(async () => {
      for (const store of opened.splice(0)) await options.destroyStore?.(store);
    });

    async function setup(
      program: Partial<ProgramConfigInput> = {},
      extra: Partial<Omit<CreateOnehopOptions, 'store' | 'program'>> = {},
    ): Promise<{ onehop: Onehop; clock: ManualClock; store: Store; scope: Scope }> {
      const store = await options.createStore();
      opened.push(store);
      const clock = createManualClock('2026-03-01T12:00:00.000Z');
      const onehop = createOnehop({
        store,
        clock,
        program: { id: uniqueProgramId(), currency: 'USD', mode: 'mock', privacy: { hashKey: TEST_HASH_KEY }, ...program },
        ...extra,
      });
      return { onehop, clock, store, scope: { programId: onehop.program.id, mode: onehop.mode } };
    }
    /** A store and a scope of its own, for the store-contract suite, which needs no engine. */
    async function openStore(): Promise<{ store: Store; scope: Scope }> {
      const store = await options.createStore();
      opened.push(store);
      return { store, scope: { programId: uniqueProgramId(), mode: 'mock' } };
    }
    const setupProgram = (program?: Partial<ProgramConfigInput>) => setup(program);
    const propertyRuns = options.propertyRuns ?? 50;

    const suites: Record<SuiteName, () => void> = {
      participants: () => participantsSuite(setupProgram),
      attribution: () => attributionSuite(setupProgram),
      links: () => linksSuite(setupProgram),
      transactions: () => transactionsSuite(setupProgram),
      programs: () => programsSuite(setupProgram, { supportsLiveMode: options.supportsLiveMode !== false }),
      money: () => moneySuite(setupProgram, { propertyRuns, supportsLiveMode: options.supportsLiveMode !== false }),
      model: () => modelSuite(setupProgram, { propertyRuns: options.modelRuns ?? propertyRuns }),
      fraud: () => fraudSuite(setupProgram, { propertyRuns }),
      admin: () => adminSuite(setup),
      clicks: () => clicksSuite(setupProgram),
      outbox: () => outboxSuite(setup),
      invitations: () => invitationsSuite(setup),
      erasure: () => erasureSuite(setup, options.storedStrings),
      dashboards: () => dashboardSuite(setupProgram, { propertyRuns }),
      validation: () => validationSuite(setupProgram),
      storeContract: () => storeContractSuite(openStore, { supportsLiveMode: options.supportsLiveMode !== false }),
      billing: () => billingSuite(setupProgram),
      promoCodes: () => promoCodesSuite(setupProgram),
      payoutRuns: () => payoutRunsSuite(setup, { propertyRuns }),
      currency: () => currencySuite(setup),
      simulation: () => simulationSuite(setup, options.storedStrings),
      groups: () => groupsSuite(setupProgram, { propertyRuns }),
    };

    for (const name of SUITE_NAMES) {
      const reason = skip[name];
      if (reason === undefined) describe(name, suites[name]);
      else {
        // Said at collection as well, so the reason shows in every reporter, not only in verbose ones.
        console.info(`store conformance: ${options.name}: suite "${name}" skipped: ${reason}`);
        describe.skip(`${name} (skipped: ${reason})`, suites[name]);
      }
    }
  });
}
