-- counters_by_name included the counter's value, so every increment had to
-- update that index as well (no HOT update). The value is summed from the
-- heap instead; the index keeps the owner for top-referrer queries.
DROP INDEX counters_by_name;
CREATE INDEX counters_by_name ON counters (program_id, mode, name, period, owner_id);
