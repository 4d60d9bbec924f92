-- Saved study lists and walls (rounds being played), plus the heartbeat that tells a
-- restarted server how long it was down.
CREATE TABLE lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lexicon TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Alphagrams in the list, for quotas, and progress counts for the lists page.
    size INTEGER NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0,
    missed INTEGER NOT NULL DEFAULT 0,
    first_missed INTEGER NOT NULL DEFAULT 0,
    -- The study list as JSON.
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    played_at INTEGER NOT NULL,
    UNIQUE (user_id, lexicon, name)
);

CREATE TABLE walls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- A player's wall, or a guest's (then the SHA-256 of the guest cookie).
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    guest_key TEXT,
    lexicon TEXT NOT NULL,
    list_id INTEGER REFERENCES lists (id) ON DELETE SET NULL,
    -- Round settings as JSON (questions per round, seconds, mode).
    settings TEXT NOT NULL,
    -- The wall's own copy of its study list, as JSON (read at round boundaries only).
    list TEXT NOT NULL,
    -- The current round as JSON; its deadline lives in `deadline`.
    round TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    running INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX walls_by_user ON walls (user_id);
CREATE INDEX walls_running ON walls (running);

CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL
);
