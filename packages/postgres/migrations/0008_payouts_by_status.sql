-- The admin's payout queue: a program's payouts with one status, in request order.
CREATE INDEX payouts_by_status ON payouts (program_id, mode, status, seq);
