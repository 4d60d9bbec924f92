//! The word tool pages: anagram, judge, word info, search, and the home and about pages.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Page, PageError, Path, render};
use crate::auth::MaybeUser;
use crate::error::{AppError, AppQuery};
use crate::search_form::{FieldError, GROUPS, Group, SearchForm, without_empty};
use crate::state::AppState;
use crate::tools;
use crate::views::{InfoOut, JudgeOut, SearchOut};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Page,
}

pub(crate) async fn home(who: MaybeUser) -> Response {
    render(
        StatusCode::OK,
        &Home {
            page: Page::new("Home", &who),
        },
    )
}

#[derive(Template)]
#[template(path = "about.html")]
struct About {
    page: Page,
    notice: &'static str,
    wordnet: &'static str,
}

pub(crate) async fn about(who: MaybeUser) -> Response {
    render(
        StatusCode::OK,
        &About {
            page: Page::new("About", &who),
            notice: tilebag_bundled::NOTICE,
            wordnet: tilebag_bundled::WORDNET_NOTICE,
        },
    )
}

/// The lexicon a page uses: the one asked for, else the player's default, else the bundled one.
fn lexicon_name(state: &AppState, asked: Option<&str>, who: &MaybeUser) -> String {
    let preferred = who
        .0
        .as_ref()
        .and_then(|(_, user)| user.default_lexicon.clone());
    let name = asked
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or(preferred);
    name.and_then(|n| state.app.lexicons.get(&n).map(|l| l.name().to_owned()))
        .or_else(|| state.app.lexicons.names().first().map(|n| (*n).to_owned()))
        .unwrap_or_default()
}

fn lexicon_names(state: &AppState) -> Vec<String> {
    state
        .app
        .lexicons
        .names()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct AnagramParams {
    q: Option<String>,
    mode: Option<String>,
    lexicon: Option<String>,
}

#[derive(Template)]
#[template(path = "anagram.html")]
struct AnagramPage<'a> {
    page: Page,
    query: String,
    mode: String,
    lexicon: String,
    lexicons: Vec<String>,
    words: Option<Vec<&'a str>>,
    error: Option<String>,
}

pub(crate) async fn anagram(
    State(state): State<AppState>,
    who: MaybeUser,
    AppQuery(params): AppQuery<AnagramParams>,
) -> Result<Response, PageError> {
    let lexicon = lexicon_name(&state, params.lexicon.as_deref(), &who);
    let query = params.q.unwrap_or_default();
    let mode = params
        .mode
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "anagram".into());
    let found = (!query.trim().is_empty())
        .then(|| {
            tools::anagram(
                state.app.lexicons.pick(Some(&lexicon))?,
                &query,
                Some(&mode),
            )
        })
        .transpose();
    let (words, error, status) = match found {
        Ok(found) => (found.map(|f| f.words), None, StatusCode::OK),
        Err(e) => {
            let e = AppError::from(e);
            (None, Some(e.message), e.status)
        }
    };
    let page = AnagramPage {
        page: Page::new("Anagram", &who),
        query,
        mode,
        lexicons: lexicon_names(&state),
        lexicon,
        words,
        error,
    };
    Ok(render(status, &page))
}

#[derive(Debug, Deserialize)]
pub(crate) struct JudgeParams {
    words: Option<String>,
    lexicon: Option<String>,
}

#[derive(Template)]
#[template(path = "judge.html")]
struct JudgePage<'a> {
    page: Page,
    words: String,
    lexicon: String,
    lexicons: Vec<String>,
    verdict: Option<JudgeOut<'a>>,
}

pub(crate) async fn judge(
    State(state): State<AppState>,
    who: MaybeUser,
    AppQuery(params): AppQuery<JudgeParams>,
) -> Result<Response, PageError> {
    let lexicon = lexicon_name(&state, params.lexicon.as_deref(), &who);
    let words = params.words.unwrap_or_default();
    let verdict = if words.trim().is_empty() {
        None
    } else {
        Some(tools::judge(
            state.app.lexicons.pick(Some(&lexicon))?,
            &words,
        ))
    };
    Ok(render(
        StatusCode::OK,
        &JudgePage {
            page: Page::new("Word judge", &who),
            words,
            lexicons: lexicon_names(&state),
            lexicon,
            verdict,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct InfoParams {
    lexicon: Option<String>,
}

#[derive(Template)]
#[template(path = "info.html")]
struct InfoPage<'a> {
    page: Page,
    lexicon: String,
    info: InfoOut<'a>,
}

pub(crate) async fn info(
    State(state): State<AppState>,
    who: MaybeUser,
    Path(word): Path<String>,
    AppQuery(params): AppQuery<InfoParams>,
) -> Result<Response, PageError> {
    let lexicon = lexicon_name(&state, params.lexicon.as_deref(), &who);
    let info = tools::info(state.app.lexicons.pick(Some(&lexicon))?, &word, None)?;
    let title = info.word.word.to_owned();
    Ok(render(
        StatusCode::OK,
        &InfoPage {
            page: Page::new(&title, &who),
            lexicon,
            info,
        },
    ))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    page: Page,
    form: SearchForm,
    lexicon: String,
    lexicons: Vec<String>,
    groups: [Group; 3],
    max_page: usize,
    results: Option<SearchOut<'a>>,
    /// The field with an error ("" for none) and the error ("" for none).
    bad: &'static str,
    message: String,
    /// Most alphagrams this player's wall holds, and whether more would be after logging in.
    wall_limit: usize,
    guest: bool,
    previous: Option<String>,
    next: Option<String>,
}

/// The query string without empty fields, when it has any (`None`: keep it as it is).
fn without_empty_fields(raw: Option<&str>) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw?).ok()?;
    pairs
        .iter()
        .any(|(_, value)| value.trim().is_empty())
        .then(|| without_empty(&pairs))
}

/// A link to the page of these results starting at `offset`.
fn page_link(form: &SearchForm, offset: usize) -> String {
    let mut pairs: Vec<(&str, String)> = form
        .criteria()
        .into_iter()
        .map(|(name, value)| (name, value.to_owned()))
        .collect();
    if !form.value("limit").trim().is_empty() {
        pairs.push(("limit", form.value("limit").trim().to_owned()));
    }
    if offset > 0 {
        pairs.push(("offset", offset.to_string()));
    }
    format!(
        "/search?{}#results",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

pub(crate) async fn search(
    State(state): State<AppState>,
    who: MaybeUser,
    uri: Uri,
) -> Result<Response, PageError> {
    // Empty fields go first: with them gone, `?length=&length=7` or `?colour=` may read.
    if let Some(clean) = without_empty_fields(uri.query()) {
        let to = if clean.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{clean}#results")
        };
        return Ok(Redirect::to(&to).into_response());
    }
    let AppQuery(mut form) = AppQuery::<SearchForm>::from_uri(&uri)?;
    let lexicon = lexicon_name(&state, form.lexicon.as_deref(), &who);
    form.lexicon = Some(lexicon.clone());
    let page = Page::new("Search", &who);
    let lexicons = lexicon_names(&state);
    let all = state.app.lexicons.clone();
    let guest = who.0.is_none();
    let wall_limit = if guest {
        state.app.rules.guest_max_questions
    } else {
        crate::app::walls::MAX_QUESTIONS
    };
    // A search may find thousands of alphagrams: it is heavy work, off the async threads.
    let made = state
        .heavy
        .run(move || {
            let (results, error, status) = if form.is_empty() {
                (None, None, StatusCode::OK)
            } else {
                match tools::search(&all, &form, tools::MAX_PAGE) {
                    Ok(found) => (Some(found), None, StatusCode::OK),
                    Err(e) => {
                        let e = AppError::from(e);
                        (None, Some(FieldError::of(e.message)), e.status)
                    }
                }
            };
            let html = SearchPage {
                page,
                wall_limit,
                guest,
                previous: results
                    .as_ref()
                    .and_then(SearchOut::previous)
                    .map(|at| page_link(&form, at)),
                next: results
                    .as_ref()
                    .and_then(SearchOut::next)
                    .map(|at| page_link(&form, at)),
                form,
                lexicon,
                lexicons,
                groups: GROUPS,
                max_page: tools::MAX_PAGE,
                results,
                bad: error.as_ref().and_then(|e| e.field).unwrap_or(""),
                message: error.map(|e| e.message).unwrap_or_default(),
            }
            .render()
            .map_err(AppError::internal)?;
            Ok((status, "text/html; charset=utf-8", html.into_bytes()))
        })
        .await?;
    Ok(made)
}
