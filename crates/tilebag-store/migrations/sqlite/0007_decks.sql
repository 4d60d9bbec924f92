-- Spaced repetition: a player's decks, their cards and every review of them, and the
-- scheduling parameters fitted to the player. Schedules, settings and log entries are
-- versioned JSON documents; the columns beside them are what queries select and order by,
-- written from the document each time it is.
CREATE TABLE decks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lexicon TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Desired retention, new cards per day, steps, leeches, as JSON.
    settings TEXT NOT NULL,
    -- Unix seconds.
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, lexicon, name)
);

CREATE TABLE cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deck_id INTEGER NOT NULL REFERENCES decks (id) ON DELETE CASCADE,
    -- The deck's player, for the queue of all their decks and the per-player cap.
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('alphagram', 'hooks', 'word_or_phony')),
    -- The alphagram or the word the card asks about.
    front TEXT NOT NULL,
    -- The card's schedule as JSON; `due` (Unix ms), `state` and `suspended` copy it.
    schedule TEXT NOT NULL,
    due INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
    suspended INTEGER NOT NULL DEFAULT 0,
    -- Raised by every change of the schedule: a grade given on an older copy is refused.
    version INTEGER NOT NULL DEFAULT 0,
    -- Unix ms.
    added_at INTEGER NOT NULL,
    UNIQUE (deck_id, kind, front)
);

-- The due queue: cards seen before by due time, new cards by when they were added; of one
-- deck or of all a player's decks.
CREATE INDEX cards_due_in_deck ON cards (deck_id, due, state) WHERE suspended = 0 AND state <> 'new';
CREATE INDEX cards_new_in_deck ON cards (deck_id, due) WHERE suspended = 0 AND state = 'new';
CREATE INDEX cards_due_of_player ON cards (user_id, due, state) WHERE suspended = 0 AND state <> 'new';
CREATE INDEX cards_new_of_player ON cards (user_id, due) WHERE suspended = 0 AND state = 'new';

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    -- The card's player, for the history parameters are fitted to.
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Unix milliseconds.
    at INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    took_ms INTEGER NOT NULL,
    -- The card's state before: new cards introduced today are counted from it.
    state_before TEXT NOT NULL,
    -- The log entry as JSON, with the schedule before (what undo restores) and after.
    log TEXT NOT NULL
);

CREATE INDEX reviews_of_card ON reviews (card_id, id);
CREATE INDEX reviews_of_player ON reviews (user_id, at);

CREATE TABLE review_parameters (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'fsrs-6'; a later model keeps its own row.
    model TEXT NOT NULL,
    -- The weights as JSON.
    parameters TEXT NOT NULL,
    -- Unix seconds.
    fitted_at INTEGER NOT NULL,
    -- What they were fitted to and how well they and the defaults predict it.
    reviews INTEGER NOT NULL,
    log_loss REAL NOT NULL,
    rmse REAL NOT NULL,
    default_log_loss REAL NOT NULL,
    default_rmse REAL NOT NULL,
    PRIMARY KEY (user_id, model)
);
