-- Daily challenges, their entries and medals; the daily job's bookkeeping.
CREATE TABLE challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lexicon TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- YYYY-MM-DD in the challenge time zone; the Monday for weekly challenges.
    day TEXT NOT NULL,
    questions TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (lexicon, kind, day)
);

-- A player's first attempt, the one that counts.
CREATE TABLE challenge_entries (
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    wall_id INTEGER NOT NULL,
    solved INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL,
    wrong INTEGER NOT NULL DEFAULT 0,
    remaining_ms INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    PRIMARY KEY (challenge_id, user_id)
);

-- How often each alphagram was missed in counted attempts (for the weekly toughies).
CREATE TABLE challenge_misses (
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    alphagram TEXT NOT NULL,
    misses INTEGER NOT NULL,
    PRIMARY KEY (challenge_id, alphagram)
);

CREATE TABLE medals (
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    medal TEXT NOT NULL,
    day TEXT NOT NULL,
    awarded_at INTEGER NOT NULL,
    PRIMARY KEY (challenge_id, user_id, medal)
);

CREATE INDEX medals_by_day ON medals (day);

-- Days the daily job has finished, so it can catch up on any it missed.
CREATE TABLE processed_days (
    day TEXT PRIMARY KEY,
    processed_at INTEGER NOT NULL
);

CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    ok INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT ''
);

-- One runner at a time across replicas.
CREATE TABLE job_leases (
    job TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_ms INTEGER NOT NULL
);

CREATE TABLE site_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

ALTER TABLE walls ADD COLUMN challenge_id INTEGER REFERENCES challenges (id) ON DELETE SET NULL;
