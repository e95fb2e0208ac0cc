-- onehop schema, version 1.
--
-- Plain SQL: apply it with search_path set to the schema onehop should use
-- (migrate() does that for you). Every table is keyed by program id first,
-- then mode: program id is the distribution key if one database is ever not
-- enough, and mock rows never mix with live ones.
--
-- Amounts are bigint minor units. Constraint names are the ones the store
-- contract names (UNIQUE_CONSTRAINTS in @onehop/core), so a violation maps to
-- the same error on every store.

CREATE FUNCTION onehop_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'onehop: % on % is not allowed: this table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = TG_TABLE_NAME || '_append_only';
END
$$;

CREATE FUNCTION onehop_protect_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'onehop: codes are never deleted, so a retired code is never reassigned'
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'code_never_deleted';
  END IF;
  IF NEW.code <> OLD.code OR NEW.user_id <> OLD.user_id OR (OLD.status = 'retired' AND NEW.status <> 'retired') THEN
    RAISE EXCEPTION 'onehop: a code keeps its value and owner, and a retired code stays retired'
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'code_immutable';
  END IF;
  RETURN NEW;
END
$$;

CREATE TABLE participants (
  program_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live', 'mock')),
  user_id text NOT NULL,
  email text,
  email_normalized text,
  code text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'suspended')),
  terms_version text,
  enrolled_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT participant_user PRIMARY KEY (program_id, mode, user_id)
);

CREATE TABLE codes (
  program_id text NOT NULL,
  mode text NOT NULL,
  code text NOT NULL CHECK (code <> '' AND code = upper(code)),
  user_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'retired')),
  vanity boolean NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT code_value PRIMARY KEY (program_id, mode, code),
  CONSTRAINT code_retired_at CHECK ((status = 'retired') = (retired_at IS NOT NULL)),
  CONSTRAINT code_participant FOREIGN KEY (program_id, mode, user_id) REFERENCES participants (program_id, mode, user_id)
);
CREATE INDEX codes_by_user ON codes (program_id, mode, user_id, seq);
CREATE TRIGGER codes_protect BEFORE UPDATE OR DELETE ON codes FOR EACH ROW EXECUTE FUNCTION onehop_protect_code();

CREATE TABLE referrals (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  referrer_id text NOT NULL,
  referee_id text NOT NULL,
  code text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'qualified', 'rejected')),
  status_reason text,
  source text,
  referee_email_normalized text,
  clicked_at timestamptz,
  attributed_at timestamptz NOT NULL,
  qualified_at timestamptz,
  purchase_count integer NOT NULL CHECK (purchase_count >= 0),
  revenue bigint NOT NULL CHECK (revenue >= 0),
  updated_at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT referral_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT referral_referee UNIQUE (program_id, mode, referee_id),
  CONSTRAINT referral_not_self CHECK (referrer_id <> referee_id),
  CONSTRAINT referral_referrer FOREIGN KEY (program_id, mode, referrer_id) REFERENCES participants (program_id, mode, user_id),
  CONSTRAINT referral_code FOREIGN KEY (program_id, mode, code) REFERENCES codes (program_id, mode, code)
);
CREATE INDEX referrals_by_referrer ON referrals (program_id, mode, referrer_id, seq);

CREATE TABLE audit_trail (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  action text NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('system', 'admin', 'user')),
  actor_id text,
  before text,
  after text,
  reason text,
  source_event text,
  data jsonb,
  at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT audit_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT audit_actor CHECK ((actor_type = 'system') = (actor_id IS NULL))
);
CREATE INDEX audit_by_entity ON audit_trail (program_id, mode, entity_type, entity_id, seq);
CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail FOR EACH ROW EXECUTE FUNCTION onehop_reject_change();
CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail FOR EACH STATEMENT EXECUTE FUNCTION onehop_reject_change();

CREATE TABLE source_events (
  program_id text NOT NULL,
  mode text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('purchase', 'refund', 'chargeback', 'bonus')),
  event_id text NOT NULL,
  payload_hash text NOT NULL,
  referral_id text,
  referrer_id text,
  referee_id text,
  amount bigint NOT NULL CHECK (amount >= 0),
  reversed_amount bigint NOT NULL,
  related_event_id text,
  result jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  CONSTRAINT source_event PRIMARY KEY (program_id, mode, kind, event_id),
  CONSTRAINT source_event_reversed CHECK (reversed_amount BETWEEN 0 AND amount),
  CONSTRAINT source_event_referral FOREIGN KEY (program_id, mode, referral_id) REFERENCES referrals (program_id, mode, id)
);

CREATE TABLE payouts (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  user_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('requested', 'approved', 'paid', 'rejected')),
  method jsonb NOT NULL,
  status_reason text,
  external_reference text,
  requested_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by text,
  paid_at timestamptz,
  updated_at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT payout_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT payout_paid_reference CHECK (status <> 'paid' OR (external_reference IS NOT NULL AND paid_at IS NOT NULL)),
  CONSTRAINT payout_participant FOREIGN KEY (program_id, mode, user_id) REFERENCES participants (program_id, mode, user_id)
);
-- At most one open (requested or approved) payout per user.
CREATE UNIQUE INDEX payout_open ON payouts (program_id, mode, user_id) WHERE status IN ('requested', 'approved');
CREATE INDEX payouts_by_user ON payouts (program_id, mode, user_id, seq);

CREATE TABLE commissions (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('referral', 'milestone_bonus', 'welcome_reward')),
  beneficiary_id text NOT NULL,
  referrer_id text NOT NULL,
  referee_id text,
  referral_id text,
  source_kind text NOT NULL CHECK (source_kind IN ('purchase', 'refund', 'chargeback', 'bonus', 'signup')),
  source_event_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  reversed_amount bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'on_hold', 'approved', 'paid', 'rejected', 'reversed')),
  status_reason text,
  calculation jsonb NOT NULL,
  available_at timestamptz NOT NULL,
  payout_id text,
  created_at timestamptz NOT NULL,
  approved_at timestamptz,
  paid_at timestamptz,
  updated_at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT commission_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT commission_reversed CHECK (reversed_amount BETWEEN 0 AND amount),
  CONSTRAINT commission_referrer FOREIGN KEY (program_id, mode, referrer_id) REFERENCES participants (program_id, mode, user_id),
  CONSTRAINT commission_referral FOREIGN KEY (program_id, mode, referral_id) REFERENCES referrals (program_id, mode, id),
  CONSTRAINT commission_payout FOREIGN KEY (program_id, mode, payout_id) REFERENCES payouts (program_id, mode, id)
);
CREATE INDEX commissions_by_source ON commissions (program_id, mode, source_event_id, seq);
CREATE INDEX commissions_by_beneficiary ON commissions (program_id, mode, beneficiary_id, seq);
CREATE INDEX commissions_by_payout ON commissions (program_id, mode, payout_id) WHERE payout_id IS NOT NULL;
-- approveDue: pending commissions whose holding period ended, oldest first.
CREATE INDEX commissions_due ON commissions (program_id, mode, available_at) WHERE status = 'pending';
-- Payout requests: approved commissions not yet in a payout, oldest first.
CREATE INDEX commissions_unallocated ON commissions (program_id, mode, beneficiary_id, created_at, seq)
  WHERE status = 'approved' AND payout_id IS NULL;

CREATE TABLE ledger_entries (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  account_id text NOT NULL,
  bucket text NOT NULL CHECK (bucket IN ('pending', 'on_hold', 'withdrawable', 'requested', 'paid')),
  amount bigint NOT NULL CHECK (amount <> 0),
  kind text NOT NULL CHECK (kind IN ('accrual', 'approval', 'hold', 'release', 'rejection', 'reversal',
                                     'payout_request', 'payout_rejection', 'payout_paid', 'adjustment')),
  commission_id text,
  payout_id text,
  source_type text NOT NULL CHECK (source_type IN ('purchase', 'refund', 'chargeback', 'bonus', 'signup',
                                                   'payout', 'adjustment', 'review', 'schedule')),
  source_id text NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('system', 'admin', 'user')),
  actor_id text,
  reason text,
  at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT ledger_entry_id PRIMARY KEY (program_id, mode, id),
  -- A manual entry names the admin who made it and why.
  CONSTRAINT ledger_adjustment_actor CHECK (kind <> 'adjustment' OR (actor_type = 'admin' AND actor_id IS NOT NULL AND reason IS NOT NULL)),
  CONSTRAINT ledger_commission FOREIGN KEY (program_id, mode, commission_id) REFERENCES commissions (program_id, mode, id),
  CONSTRAINT ledger_payout FOREIGN KEY (program_id, mode, payout_id) REFERENCES payouts (program_id, mode, id)
);
CREATE INDEX ledger_by_account ON ledger_entries (program_id, mode, account_id, seq);
CREATE INDEX ledger_by_commission ON ledger_entries (program_id, mode, commission_id) WHERE commission_id IS NOT NULL;
CREATE INDEX ledger_by_payout ON ledger_entries (program_id, mode, payout_id) WHERE payout_id IS NOT NULL;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION onehop_reject_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION onehop_reject_change();

-- Running totals per account, kept equal to the sum of the account's ledger
-- entries by the engine, in the same transaction as the entries.
CREATE TABLE balances (
  program_id text NOT NULL,
  mode text NOT NULL,
  account_id text NOT NULL,
  pending bigint NOT NULL,
  on_hold bigint NOT NULL,
  withdrawable bigint NOT NULL,
  requested bigint NOT NULL,
  paid bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT balance_account PRIMARY KEY (program_id, mode, account_id)
);

CREATE TABLE counters (
  program_id text NOT NULL,
  mode text NOT NULL,
  owner_id text NOT NULL,
  name text NOT NULL,
  period text NOT NULL,
  value bigint NOT NULL,
  CONSTRAINT counter_key PRIMARY KEY (program_id, mode, owner_id, name, period)
);

CREATE TABLE payout_methods (
  program_id text NOT NULL,
  mode text NOT NULL,
  user_id text NOT NULL,
  method jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT payout_method_user PRIMARY KEY (program_id, mode, user_id),
  CONSTRAINT payout_method_participant FOREIGN KEY (program_id, mode, user_id) REFERENCES participants (program_id, mode, user_id)
);
