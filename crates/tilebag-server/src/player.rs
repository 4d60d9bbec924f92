//! Who is playing: a logged-in player, or a guest known by a cookie of their own.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tilebag_store::{Owner, User};

use crate::auth::MaybeUser;
use crate::error::AppError;
use crate::limits::Admission;
use crate::state::AppState;

/// The guest cookie's name.
pub const GUEST_COOKIE: &str = "tilebag_guest";

/// The owner of the walls a request may see and change.
#[derive(Debug, Clone)]
pub struct Player {
    /// Whose walls.
    pub owner: Owner,
    /// The logged-in player, if any.
    pub user: Option<User>,
    /// A guest cookie to set, when this guest had none yet.
    pub new_guest_cookie: Option<String>,
    /// Where the request came from.
    pub client: std::net::IpAddr,
}

impl Player {
    /// The logged-in player, or 401: saving needs an account.
    pub fn account(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or_else(|| {
            AppError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthorized",
                "log in to keep lists and decks",
            )
        })
    }

    /// Admits a new wall: a guest may start only so many an hour, and so may all guests at
    /// one address (429 past that); players with accounts are not counted. Keep the
    /// admission once the wall exists.
    pub fn admit_wall<'a>(&self, state: &'a AppState) -> Result<Admission<'a>, AppError> {
        let Owner::Guest(guest) = &self.owner else {
            return Ok(Admission::free());
        };
        state
            .limits
            .admit_guest_wall(guest, self.client, state.app.clock.now_ms())
            .map_err(|wait| {
                AppError::too_many(
                    "guests get only so many new walls an hour; log in to start more",
                    wait,
                )
            })
    }

    /// Makes a wall for this player and starts its first round, within a guest's limits
    /// (see [`Player::admit_wall`]).
    pub async fn start_wall(
        &self,
        state: &AppState,
        lexicon: &tilebag_lexicon::Lexicon,
        source: crate::app::walls::Source<'_>,
        settings: &crate::app::walls::WallSettings,
    ) -> Result<tilebag_store::WallId, AppError> {
        let admission = self.admit_wall(state)?;
        let (id, _) =
            crate::app::walls::create(&state.app, &self.owner, lexicon, source, settings).await?;
        admission.keep();
        Ok(id)
    }

    /// Sets the guest cookie on a response, when this guest had none yet.
    pub fn set_cookie(&self, response: &mut axum::response::Response) {
        let Some(token) = &self.new_guest_cookie else {
            return;
        };
        let cookie =
            format!("{GUEST_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000");
        if let Ok(value) = cookie.parse() {
            response
                .headers_mut()
                .insert(axum::http::header::SET_COOKIE, value);
        }
    }
}

impl Player {
    /// The player behind a request, given its session (if any); makes a guest cookie when
    /// there is neither a session nor one.
    pub fn resolve(
        found: Option<(tilebag_store::Session, User)>,
        headers: &axum::http::HeaderMap,
        client: std::net::IpAddr,
    ) -> Player {
        if let Some((_, user)) = found {
            return Player {
                owner: Owner::User(user.id),
                user: Some(user),
                new_guest_cookie: None,
                client,
            };
        }
        if let Some(token) = crate::auth::cookie_value(headers, GUEST_COOKIE) {
            return Player {
                owner: Owner::Guest(crate::auth::token_hash(&token)),
                user: None,
                new_guest_cookie: None,
                client,
            };
        }
        let token = crate::auth::random_token(32);
        Player {
            owner: Owner::Guest(crate::auth::token_hash(&token)),
            user: None,
            new_guest_cookie: Some(token),
            client,
        }
    }
}

impl FromRequestParts<AppState> for Player {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Player, AppError> {
        let MaybeUser(found) = MaybeUser::from_request_parts(parts, state).await?;
        let Ok(crate::client::ClientIp(client)) =
            crate::client::ClientIp::from_request_parts(parts, state).await;
        Ok(Player::resolve(found, &parts.headers, client))
    }
}
