-- Payout runs, payouts sent through providers (attempts with idempotency
-- keys, failures, retries) and tax profiles.

CREATE TABLE payout_runs (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'completed')),
  before timestamptz NOT NULL,
  minimum bigint NOT NULL CHECK (minimum >= 0),
  currency text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  -- Payout ids, user ids, amounts and skip reasons: no personal data.
  result jsonb,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT payout_run_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT payout_run_completed CHECK (status <> 'completed' OR (result IS NOT NULL AND completed_at IS NOT NULL))
);

-- A payout is open while requested, approved or processing; failed ones
-- returned their money and are not open.
ALTER TABLE payouts DROP CONSTRAINT payouts_status_check;
ALTER TABLE payouts ADD CONSTRAINT payouts_status_check CHECK (status IN ('requested', 'approved', 'paid', 'rejected', 'processing', 'failed'));
ALTER TABLE payouts
  ADD COLUMN run_id text,
  ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN idempotency_key text,
  ADD COLUMN batch_id text,
  ADD COLUMN lease_until timestamptz,
  ADD CONSTRAINT payout_run FOREIGN KEY (program_id, mode, run_id) REFERENCES payout_runs (program_id, mode, id),
  -- The attempt and its key are recorded before a provider is called.
  ADD CONSTRAINT payout_attempt_key CHECK (status <> 'processing' OR (idempotency_key IS NOT NULL AND attempts > 0));
DROP INDEX payout_open;
CREATE UNIQUE INDEX payout_open ON payouts (program_id, mode, user_id) WHERE status IN ('requested', 'approved', 'processing');
-- At most one payout per payee in one run.
CREATE UNIQUE INDEX payout_run_payee ON payouts (program_id, mode, run_id, user_id) WHERE run_id IS NOT NULL;
-- sendPayouts: approved payouts, and processing ones whose outcome is unknown, in insertion order.
CREATE INDEX payouts_sendable ON payouts (program_id, mode, seq)
  WHERE status = 'approved' OR (status = 'processing' AND external_reference IS NULL);

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('accrual', 'approval', 'hold', 'release', 'rejection', 'reversal', 'payout_request', 'payout_rejection', 'payout_paid', 'adjustment',
                  'reinstatement', 'payout_failure', 'payout_retry'));

-- Payout runs: the accounts with money to pay, by account id in byte order.
CREATE INDEX balances_withdrawable ON balances (program_id, mode, account_id COLLATE "C") WHERE withdrawable > 0;
-- Payout runs leave out a payee with an open review.
CREATE INDEX reviews_open_by_referrer ON reviews (program_id, mode, referrer_id) WHERE status = 'open';

-- Which tax form a payee has on file. No tax id, no document: the
-- application or the payment provider keeps those.
CREATE TABLE tax_profiles (
  program_id text NOT NULL,
  mode text NOT NULL,
  user_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('none', 'submitted', 'verified', 'rejected')),
  form_type text CHECK (form_type IN ('W-9', 'W-8BEN', 'W-8BEN-E', 'other')),
  country text CHECK (country ~ '^[A-Z]{2}$'),
  status_date timestamptz,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT tax_profile_user PRIMARY KEY (program_id, mode, user_id),
  CONSTRAINT tax_profile_participant FOREIGN KEY (program_id, mode, user_id) REFERENCES participants (program_id, mode, user_id)
);
