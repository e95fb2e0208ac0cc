-- Clicks on referral links, recorded by the click endpoint for funnel
-- statistics. The visitor's IP address is kept only as its keyed hash.
CREATE TABLE clicks (
  program_id text NOT NULL,
  mode text NOT NULL,
  id text NOT NULL,
  code text NOT NULL,
  referrer_id text NOT NULL,
  landing_url text CHECK (length(landing_url) <= 2048),
  source text CHECK (length(source) <= 100),
  ip_hash text CHECK (ip_hash ~ '^[0-9a-f]{64}$'),
  at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT click_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT click_code FOREIGN KEY (program_id, mode, code) REFERENCES codes (program_id, mode, code),
  CONSTRAINT click_referrer FOREIGN KEY (program_id, mode, referrer_id) REFERENCES participants (program_id, mode, user_id)
);
-- The click-velocity rule counts one address's recent clicks.
CREATE INDEX clicks_by_ip ON clicks (program_id, mode, ip_hash, at) WHERE ip_hash IS NOT NULL;
CREATE INDEX clicks_by_referrer ON clicks (program_id, mode, referrer_id, seq);
