-- approveDue claims due commissions in (available_at, seq) order with
-- FOR UPDATE SKIP LOCKED. With seq in the index, the claim walks the index in
-- that order and stops after its batch; without it, every claim sorted all
-- due commissions sharing an available_at before locking any.
CREATE INDEX commissions_due_in_order ON commissions (program_id, mode, available_at, seq) WHERE status = 'pending';
DROP INDEX commissions_due;
