-- Multiplayer tables: a shared wall, its players and its chat as one JSON document, the
-- study list it deals from beside it, and the columns the lobby and the sweep query.
CREATE TABLE tables (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lexicon TEXT NOT NULL,
    -- What it plays, in a few words.
    name TEXT NOT NULL,
    -- Listed in the lobby (1), or found by its link only (0).
    public INTEGER NOT NULL,
    -- Who made it: a player, or a guest (the SHA-256 of the guest cookie).
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    guest_key TEXT,
    settings TEXT NOT NULL,
    list TEXT NOT NULL,
    document TEXT NOT NULL,
    -- Players seated and where the table is (waiting, countdown, playing, over).
    players INTEGER NOT NULL,
    phase TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    -- When anything last happened (Unix milliseconds); idle tables are closed.
    active_at INTEGER NOT NULL,
    closed_at INTEGER
);

CREATE INDEX tables_open ON tables (closed_at, lexicon);
CREATE INDEX tables_by_user ON tables (user_id);
