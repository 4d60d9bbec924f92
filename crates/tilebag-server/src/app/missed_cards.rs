//! The alphagrams a player misses in a round of a wall, added to the deck they chose for
//! them in their settings ([`crate::settings::Preferences::auto_deck`]).
//!
//! This runs after the round's own unit of work has committed, as a unit of its own: the
//! round has ended whatever happens here. A deck since deleted, the card limit reached or a
//! store failure is logged, and the player sees their round as always.

use tilebag_store::{CardKind, DeckId, UserId};

use super::review::{self, Entries};
use super::walls::Loaded;
use super::{App, ServiceError};
use crate::settings::Preferences;

/// Adds the alphagrams missed in `wall`'s round, which has just ended, to its player's
/// chosen deck, if they chose one in the wall's lexicon. Never fails: trouble is logged.
pub async fn add(app: &App, wall: &Loaded) {
    let Some(user) = wall.wall.user else {
        return;
    };
    let missed: Vec<String> = wall.round.missed().into_iter().map(str::to_owned).collect();
    if missed.is_empty() {
        return;
    }
    if let Err(error) = add_to_chosen(app, user, &wall.wall.lexicon, missed).await {
        tracing::warn!(
            user = user.0,
            wall = wall.wall.id.0,
            %error,
            "the round's missed alphagrams were not added to the player's chosen deck"
        );
    }
}

async fn add_to_chosen(
    app: &App,
    user: UserId,
    lexicon: &str,
    missed: Vec<String>,
) -> Result<(), ServiceError> {
    let user = app.store.user(user).await?;
    let Some(id) = Preferences::of(&user).auto_deck.map(DeckId) else {
        return Ok(());
    };
    let deck = review::deck(app, &user, id).await?;
    if deck.lexicon != lexicon {
        tracing::debug!(
            deck = id.0,
            "the chosen deck is in another lexicon than the wall"
        );
        return Ok(());
    }
    let report =
        review::add_cards(app, &user, id, CardKind::Alphagram, Entries::Given(missed)).await?;
    tracing::debug!(
        deck = id.0,
        added = report.added,
        present = report.present,
        "added a round's missed alphagrams"
    );
    Ok(())
}
