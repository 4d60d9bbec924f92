//! A player's settings, password change and account deletion, for pages and API alike.

use serde::{Deserialize, Serialize};
use tilebag_store::User;
use utoipa::ToSchema;

use crate::auth::{self, NewLogin};
use crate::error::AppError;
use crate::state::AppState;

/// Display preferences: only these keys, only these values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Preferences {
    /// How tiles are ordered on a wall.
    pub tile_order: TileOrder,
    /// Show definitions in results.
    pub show_definitions: bool,
    /// Colour scheme.
    pub theme: Theme,
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

impl Preferences {
    /// A player's stored preferences (defaults where unreadable).
    #[must_use]
    pub fn of(user: &User) -> Preferences {
        serde_json::from_str(&user.preferences).unwrap_or_default()
    }
}

/// Stores the default lexicon (which must exist) and preferences.
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
    let json = serde_json::to_string(preferences).map_err(AppError::internal)?;
    Ok(state
        .app
        .store
        .update_settings(user.id, lexicon.as_deref(), &json)
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
    if !auth::verify_password(current.to_owned(), Some(user.password_hash.clone())).await {
        return Err(AppError::forbidden("the current password is wrong"));
    }
    auth::check_password(new)?;
    let hash = auth::hash_password(new.to_owned()).await?;
    state.app.store.set_password(user.id, &hash).await?;
    auth::start_session(state, user).await
}

/// Deletes the account after checking the password.
pub async fn delete_account(state: &AppState, user: &User, password: &str) -> Result<(), AppError> {
    if !auth::verify_password(password.to_owned(), Some(user.password_hash.clone())).await {
        return Err(AppError::forbidden("the password is wrong"));
    }
    Ok(state.app.store.delete_user(user.id).await?)
}
