-- Counter keys (`d:2026-03-01`, `m:2026-03`, `s:<source>`, …) are read by
-- ranges in byte order, the order the engine builds them for. Pin that order
-- whatever the database's default collation is.
ALTER TABLE counters ALTER COLUMN period TYPE text COLLATE "C";
