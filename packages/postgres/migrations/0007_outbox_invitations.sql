-- The transactional outbox: domain events written in the transaction of the
-- change they report, delivered later by dispatchers. Events of one subject
-- are delivered in seq order; a dispatcher holds an event under a lease.
CREATE TABLE outbox (
  program_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live', 'mock')),
  id text NOT NULL,
  type text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
  subject_id text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  lease_token text,
  lease_until timestamptz,
  last_error text CHECK (length(last_error) <= 2000),
  delivered_at timestamptz,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT outbox_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT outbox_lease CHECK ((lease_token IS NULL) = (lease_until IS NULL)),
  CONSTRAINT outbox_delivered CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
-- A claim walks pending events in order and asks, per event, whether its
-- subject has an earlier pending one: both answered by partial indexes that
-- delivered events leave.
CREATE INDEX outbox_pending ON outbox (program_id, mode, seq) WHERE status = 'pending';
CREATE INDEX outbox_pending_by_subject ON outbox (program_id, mode, subject_id, seq) WHERE status = 'pending';
CREATE INDEX outbox_by_status ON outbox (program_id, mode, status, seq);

-- Invitations by e-mail. The token is the secret of the invitation link.
CREATE TABLE invitations (
  program_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live', 'mock')),
  id text NOT NULL,
  inviter_id text NOT NULL,
  email text NOT NULL CHECK (length(email) <= 320),
  email_normalized text NOT NULL CHECK (length(email_normalized) <= 320),
  message text CHECK (length(message) <= 2000),
  token text NOT NULL CHECK (length(token) >= 16),
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'expired', 'cancelled')),
  send_count integer NOT NULL CHECK (send_count >= 1),
  last_sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_by text,
  decided_at timestamptz,
  created_at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT invitation_id PRIMARY KEY (program_id, mode, id),
  CONSTRAINT invitation_inviter FOREIGN KEY (program_id, mode, inviter_id) REFERENCES participants (program_id, mode, user_id),
  CONSTRAINT invitation_accepted CHECK ((status = 'accepted') = (accepted_by IS NOT NULL)),
  CONSTRAINT invitation_decided CHECK ((status = 'pending') = (decided_at IS NULL)),
  CONSTRAINT invitation_not_self CHECK (accepted_by IS NULL OR accepted_by <> inviter_id)
);
CREATE UNIQUE INDEX invitation_token ON invitations (program_id, mode, token);
CREATE UNIQUE INDEX invitation_pending ON invitations (program_id, mode, inviter_id, email_normalized) WHERE status = 'pending';
CREATE INDEX invitations_by_inviter ON invitations (program_id, mode, inviter_id, seq);
CREATE INDEX invitations_expiring ON invitations (program_id, mode, expires_at) WHERE status = 'pending';
