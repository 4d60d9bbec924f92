-- Review statistics and the daily leaderboard of cards reviewed.
--
-- Whether a player is on the leaderboard: copied from their preferences each time they are
-- saved, so the leaderboard can select its players in SQL. Not on it unless they say so.
ALTER TABLE users ADD COLUMN review_leaderboard INTEGER NOT NULL DEFAULT 0;
-- The leaderboard starts from the few players on it, then reads each one's reviews of the
-- day through reviews_of_player.
CREATE INDEX users_on_review_leaderboard ON users (id) WHERE review_leaderboard = 1;
-- Cards by state for the statistics, counted from the index alone (the due-queue indexes
-- leave out new and suspended cards).
CREATE INDEX cards_by_state_of_player ON cards (user_id, state, suspended);
CREATE INDEX cards_by_state_in_deck ON cards (deck_id, state, suspended);
