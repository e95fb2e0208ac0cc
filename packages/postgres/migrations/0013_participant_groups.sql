-- Partner groups and a participant's own terms. A participant's group is
-- null while they are in the program's default group; their own terms (a
-- rate or an amount, a holding period) are null when they have none. Both
-- are read with the participant, so an accrual's one read returns them.

ALTER TABLE participants
  ADD COLUMN group_id text CHECK (group_id IS NULL OR group_id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
  ADD COLUMN custom_terms jsonb CHECK (custom_terms IS NULL OR jsonb_typeof(custom_terms) = 'object');
