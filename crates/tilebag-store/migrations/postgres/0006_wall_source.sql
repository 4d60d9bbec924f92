-- What a wall plays, in a few words for its page ("7s, probability 1-500", a saved list's
-- name, "uploaded file", a challenge's title), and which round of how many in the current
-- pass over its list. Empty on walls made before this release: their pages say less.
ALTER TABLE walls ADD COLUMN source TEXT;
ALTER TABLE walls ADD COLUMN round_number BIGINT;
ALTER TABLE walls ADD COLUMN rounds BIGINT;
