-- Billing events: a won dispute reinstates what its chargeback reversed, a
-- subscription's cancellation is recorded once, and a refund or chargeback
-- that arrives before its purchase waits for it.
--
-- New source event kinds (`reinstatement`, `cancellation`), the ledger's
-- `reinstatement` entries and their source types.
ALTER TABLE source_events DROP CONSTRAINT source_events_kind_check;
ALTER TABLE source_events ADD CONSTRAINT source_events_kind_check
  CHECK (kind IN ('purchase', 'refund', 'chargeback', 'bonus', 'reinstatement', 'cancellation'));

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('accrual', 'approval', 'hold', 'release', 'rejection', 'reversal',
                  'payout_request', 'payout_rejection', 'payout_paid', 'adjustment', 'reinstatement'));
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_source_type_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_source_type_check
  CHECK (source_type IN ('purchase', 'refund', 'chargeback', 'bonus', 'signup',
                         'payout', 'adjustment', 'review', 'schedule', 'reinstatement', 'cancellation'));

-- A purchase finds the refunds and chargebacks recorded before it, and a
-- chargeback its reinstatement.
CREATE INDEX source_events_by_related ON source_events (program_id, mode, related_event_id) WHERE related_event_id IS NOT NULL;
