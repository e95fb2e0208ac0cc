-- Fraud rules, the review queue and the program-wide audit feed.

-- Keyed hashes (HMAC-SHA-256 with the program's privacy.hashKey) of IP
-- addresses, device ids and payment fingerprints seen for a user. Never the
-- raw value. Rows are deleted when a user's personal data is erased.
CREATE TABLE fingerprints (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  user_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ip', 'device', 'payment')),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  role text NOT NULL CHECK (role IN ('signin', 'signup', 'purchase')),
  referrer_id text,
  at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT fingerprint_id PRIMARY KEY (program_id, mode, id)
);
CREATE INDEX fingerprints_by_value ON fingerprints (program_id, mode, kind, hash, at);
CREATE INDEX fingerprints_by_user ON fingerprints (program_id, mode, user_id);

CREATE TABLE reviews (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  entity_type text NOT NULL CHECK (entity_type IN ('referral', 'commission')),
  entity_id text NOT NULL,
  referral_id text NOT NULL,
  referrer_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'approved', 'rejected')),
  findings jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by text,
  decision_reason text,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT review_id PRIMARY KEY (program_id, mode, id),
  -- A decision names the admin and the reason.
  CONSTRAINT review_decision CHECK ((status = 'open') = (decided_at IS NULL) AND (status = 'open' OR (decided_by IS NOT NULL AND decision_reason IS NOT NULL))),
  CONSTRAINT review_referral FOREIGN KEY (program_id, mode, referral_id) REFERENCES referrals (program_id, mode, id)
);
-- At most one open review per entity.
CREATE UNIQUE INDEX review_open ON reviews (program_id, mode, entity_type, entity_id) WHERE status = 'open';
-- The queue: reviews by status, oldest first.
CREATE INDEX reviews_by_status ON reviews (program_id, mode, status, seq);

-- The program-wide recent-activity feed, newest first.
CREATE INDEX audit_by_program ON audit_trail (program_id, mode, seq);
-- Velocity: a referrer's attributions in a window.
CREATE INDEX referrals_by_referrer_time ON referrals (program_id, mode, referrer_id, attributed_at);
-- A referral's commissions (rejecting a referral rejects or claws back all of them).
CREATE INDEX commissions_by_referral ON commissions (program_id, mode, referral_id) WHERE referral_id IS NOT NULL;
