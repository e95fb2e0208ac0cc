-- Dashboard data: the referee's country, referrals listed by status, and
-- counters summed over a period across owners (top referrers).
ALTER TABLE referrals ADD COLUMN country text CHECK (country ~ '^[A-Z]{2}$');
CREATE INDEX referrals_by_status ON referrals (program_id, mode, status, seq);
CREATE INDEX counters_by_name ON counters (program_id, mode, name, period) INCLUDE (owner_id, value);
