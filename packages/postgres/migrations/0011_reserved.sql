-- Version 11 is another change's number; this file keeps the versions without a gap
-- until that change is merged, and is removed then.
SELECT 1;
