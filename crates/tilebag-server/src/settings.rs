//! A player's settings, password change and account deletion, for pages and API alike.

use serde::{Deserialize, Serialize};
use tilebag_store::User;
use utoipa::ToSchema;

use crate::auth::{self, NewLogin};
use crate::error::AppError;
use crate::state::AppState;

/// Display preferences and the review leaderboard's opt-in: only these keys, only these
/// values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Preferences {
    /// How tiles are ordered on a wall.
    pub tile_order: TileOrder,
    /// Show definitions in results [default: true].
    pub show_definitions: bool,
    /// Colour scheme.
    pub theme: Theme,
    /// The deck (its id) the alphagrams missed in each round of a wall go to [default: none].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_deck: Option<i64>,
    /// Be on the daily leaderboard of cards reviewed [default: false].
    pub review_leaderboard: bool,
}

/// Letter order on tiles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TileOrder {
    /// A to Z.
    #[default]
    Alphabetical,
    /// Shuffled.
    Random,
    /// Vowels, then consonants.
    VowelsFirst,
}

/// Colour scheme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the device.
    #[default]
    Auto,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Default for Preferences {
    /// Letters in order, definitions shown, colours as the device has them, off the
    /// review leaderboard.
    fn default() -> Preferences {
        Preferences {
            tile_order: TileOrder::default(),
            show_definitions: true,
            theme: Theme::default(),
            auto_deck: None,
            review_leaderboard: false,
        }
    }
}

impl Theme {
    /// Its name, as stored and as the page's `data-theme`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

impl Preferences {
    /// A player's stored preferences (defaults where unreadable).
    #[must_use]
    pub fn of(user: &User) -> Preferences {
        // Display preferences only: one that cannot be read falls back to the defaults
        // (with a log line) rather than failing every page.
        tilebag_study::document::decode(&user.preferences).unwrap_or_else(|error| {
            tracing::warn!(user = user.id.0, %error, "stored preferences cannot be read");
            Preferences::default()
        })
    }
}

/// Stores the default lexicon (which must exist) and preferences (their deck must be the
/// player's).
pub async fn save_settings(
    state: &AppState,
    user: &User,
    default_lexicon: Option<&str>,
    preferences: &Preferences,
) -> Result<(), AppError> {
    let lexicon = match default_lexicon.filter(|l| !l.is_empty()) {
        Some(name) => Some(
            state
                .app
                .lexicons
                .pick(Some(name))
                .map_err(|e| AppError::bad_request(e.to_string()))?
                .name()
                .to_owned(),
        ),
        None => None,
    };
    if let Some(id) = preferences.auto_deck {
        crate::app::review::deck(&state.app, user, tilebag_store::DeckId(id))
            .await
            .map_err(|e| match e {
                crate::app::ServiceError::NotFound(_) => AppError::bad_request(
                    "auto_deck: that deck is not one of yours; choose another or none",
                ),
                other => other.into(),
            })?;
    }
    let json = tilebag_study::document::encode(preferences);
    Ok(state
        .app
        .store
        .update_settings(
            user.id,
            lexicon.as_deref(),
            &json,
            preferences.review_leaderboard,
        )
        .await?)
}

/// Changes the password after checking the current one; ends every session and starts a
/// new one for the caller.
pub async fn change_password(
    state: &AppState,
    user: User,
    current: &str,
    new: &str,
) -> Result<NewLogin, AppError> {
    let stored = Some(user.password_hash.clone());
    if !auth::verify_password(state, current.to_owned(), stored).await? {
        return Err(AppError::forbidden("the current password is wrong"));
    }
    auth::check_password(new)?;
    let hash = auth::hash_password(state, new.to_owned()).await?;
    state.app.store.set_password(user.id, &hash).await?;
    auth::start_session(state, user).await
}

/// Deletes the account after checking the password.
pub async fn delete_account(state: &AppState, user: &User, password: &str) -> Result<(), AppError> {
    let stored = Some(user.password_hash.clone());
    if !auth::verify_password(state, password.to_owned(), stored).await? {
        return Err(AppError::forbidden("the password is wrong"));
    }
    Ok(state.app.store.delete_user(user.id).await?)
}

impl tilebag_study::document::Document for Preferences {
    const KIND: &'static str = "preferences";
    const VERSION: u32 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use tilebag_study::document::{decode, encode};

    #[test]
    fn preferences_stored_before_versions_read_as_they_were() {
        let old = include_str!("../tests/fixtures/preferences-v0.json");
        let read: Preferences = decode(old).expect("version 0 reads");
        assert_eq!(
            read,
            Preferences {
                tile_order: TileOrder::VowelsFirst,
                show_definitions: true,
                theme: Theme::Dark,
                auto_deck: None,
                review_leaderboard: false,
            }
        );
        let written = encode(&read);
        assert!(written.starts_with(r#"{"v":1,"#), "{written}");
        assert_eq!(decode::<Preferences>(&written).expect("round trip"), read);
        assert!(
            decode::<Preferences>(r#"{"v":7}"#).is_err(),
            "a newer version is refused"
        );
    }
}
