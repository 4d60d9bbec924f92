-- A counted attempt is found from its wall on every change to that wall.
CREATE UNIQUE INDEX challenge_entries_by_wall ON challenge_entries (wall_id);
