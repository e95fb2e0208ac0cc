-- Personal data lives only in rows that erasure rewrites; the audit trail
-- and the outbox carry ids, amounts, keyed hashes and references.
--
-- Invitation lines of the audit trail and invitation events of the outbox
-- used to carry the invitee's address (`email`) and the inviter's note
-- (`message`). Both stay in the invitations table, where handlers now get
-- them when an event is delivered; here they are removed from the rows
-- written before. A dead letter's audit line quoted the handler's error
-- message, which may hold an address: it now says `delivery failed` (the
-- message stays on the event's last_error). The audit trail is append-only
-- for everyone, so its trigger is switched off for these two statements,
-- inside the migration's transaction (which runs as the tables' owner,
-- holding an exclusive lock on the table until it commits), and on again
-- before anything else runs.
ALTER TABLE audit_trail DISABLE TRIGGER audit_trail_append_only;
UPDATE audit_trail SET data = data - 'email' - 'message'
 WHERE entity_type = 'invitation' AND data IS NOT NULL AND (data ? 'email' OR data ? 'message');
UPDATE audit_trail SET reason = 'delivery failed'
 WHERE entity_type = 'event' AND action = 'event.dead' AND reason IS DISTINCT FROM 'delivery failed';
ALTER TABLE audit_trail ENABLE TRIGGER audit_trail_append_only;

UPDATE outbox SET data = data - 'email' - 'message'
 WHERE entity_type = 'invitation' AND (data ? 'email' OR data ? 'message');

-- Erasure finds the invitations that concern a person: sent to their
-- address, or accepted by them (those they sent: invitations_by_inviter).
CREATE INDEX invitations_by_email ON invitations (program_id, mode, email_normalized);
CREATE INDEX invitations_by_acceptor ON invitations (program_id, mode, accepted_by) WHERE accepted_by IS NOT NULL;
-- …and the events whose handler error (last_error) it clears: only failed
-- events have one, so the index stays small.
CREATE INDEX outbox_with_errors ON outbox (program_id, mode) WHERE last_error IS NOT NULL;
