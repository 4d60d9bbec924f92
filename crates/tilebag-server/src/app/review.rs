//! Spaced repetition: a player's decks, the cards in them, the due queue and reviews.
//!
//! Every review is one unit of work in the store: the card is read, the pure scheduler
//! ([`tilebag_study::review::Scheduler`]) decides its next schedule from the deck's settings
//! and the player's parameters (fitted to their own history once they have enough, else
//! FSRS-6's defaults), and the new schedule and its log entry are written together, only if
//! the card is still at the version the grade was given on. Time is the server's clock, so a
//! test reviews a card over months without waiting.

use chrono::NaiveDate;
use tilebag_store::{
    Added, CardId, CardKind, DeckError, DeckHead, DeckId, DueQueue, ListId, Owner, ReviewTarget,
    Scope, StoreError, StoredCard, StoredDeck, StoredFit, Undone, User, UserId, WallId,
};
use tilebag_study::review::{self, DeckSettings, Fit, ModelVersion, Rating, ReviewLog, Scheduler};

use tilebag_study::cards::{Answer, Judgement, Prompt};

use super::{App, ServiceError};

/// Longest deck name, in characters.
pub const MAX_DECK_NAME: usize = 60;
/// Most decks a player may keep.
pub const MAX_DECKS: usize = 100;
/// Most cards the due queue answers at once.
pub const MAX_QUEUE: i64 = 100;
/// Most cards named in one move, suspend or delete.
pub const MAX_CARDS_AT_ONCE: usize = 10_000;
/// Most days a review may be postponed by.
pub const MAX_POSTPONE_DAYS: u32 = 3650;

impl From<DeckError> for ServiceError {
    fn from(error: DeckError) -> ServiceError {
        match error {
            DeckError::Cap { .. } => ServiceError::conflict("card_limit", error.to_string()),
            DeckError::Stale { .. } => ServiceError::conflict("card_changed", error.to_string()),
            DeckError::Review(e) => ServiceError::conflict("not_last_review", e.to_string()),
            DeckError::Invalid(message) => ServiceError::Invalid(message),
            DeckError::Document(detail) => ServiceError::Document(detail),
            DeckError::Store(StoreError::NotFound) => {
                ServiceError::not_found("no such deck or card")
            }
            DeckError::Store(e) => ServiceError::Store(e),
        }
    }
}

/// Not found, saying what.
pub(crate) fn missing(what: &'static str) -> impl Fn(DeckError) -> ServiceError {
    move |error| match error {
        DeckError::Store(StoreError::NotFound) => {
            ServiceError::not_found(format!("no such {what}"))
        }
        other => other.into(),
    }
}

/// A deck name, trimmed and checked.
pub fn check_deck_name(untrimmed: &str) -> Result<String, ServiceError> {
    let name = untrimmed.trim();
    if name.is_empty() || name.chars().count() > MAX_DECK_NAME {
        return Err(ServiceError::invalid(format!(
            "name: a deck name has 1 to {MAX_DECK_NAME} characters"
        )));
    }
    if let Some(c) = name.chars().find(|c| crate::extract::invisible(*c)) {
        return Err(ServiceError::invalid(format!(
            "name: a deck name may not hold the invisible character U+{:04X}",
            u32::from(c)
        )));
    }
    Ok(name.to_owned())
}

fn check_settings(settings: &DeckSettings) -> Result<(), ServiceError> {
    settings
        .validate()
        .map_err(|e| ServiceError::invalid(format!("settings: {e}")))
}

fn taken(name: &str) -> impl Fn(DeckError) -> ServiceError + '_ {
    move |error| match error {
        DeckError::Store(StoreError::Conflict(_)) => ServiceError::conflict(
            "conflict",
            format!("you already have a deck named “{name}” in this lexicon"),
        ),
        other => missing("deck")(other),
    }
}

/// Makes a deck in a lexicon the server has.
pub async fn create_deck(
    app: &App,
    user: &User,
    lexicon: Option<&str>,
    name: &str,
    settings: &DeckSettings,
) -> Result<StoredDeck, ServiceError> {
    let name = check_deck_name(name)?;
    check_settings(settings)?;
    let lexicon = app.lexicons.pick(lexicon)?.name().to_owned();
    if app.store.decks(user.id).await?.len() >= MAX_DECKS {
        return Err(ServiceError::conflict(
            "deck_limit",
            format!("a player keeps at most {MAX_DECKS} decks; delete one first"),
        ));
    }
    let id = app
        .store
        .create_deck(user.id, &lexicon, &name, settings, app.clock.now_s())
        .await
        .map_err(taken(&name))?;
    Ok(app.store.deck(user.id, id).await?)
}

/// The player's decks.
pub async fn decks(app: &App, user: &User) -> Result<Vec<StoredDeck>, ServiceError> {
    Ok(app.store.decks(user.id).await?)
}

/// The lexicon and settings of one of the player's decks, or of all of them.
async fn deck_heads(
    app: &App,
    user: &User,
    deck: Option<DeckId>,
) -> Result<Vec<DeckHead>, ServiceError> {
    let heads = app.store.deck_heads(user.id, deck).await?;
    if deck.is_some() && heads.is_empty() {
        return Err(ServiceError::not_found("no such deck"));
    }
    Ok(heads)
}

/// One of the player's decks.
pub async fn deck(app: &App, user: &User, id: DeckId) -> Result<StoredDeck, ServiceError> {
    app.store.deck(user.id, id).await.map_err(missing("deck"))
}

/// Renames a deck and, when given, changes its settings.
pub async fn change_deck(
    app: &App,
    user: &User,
    id: DeckId,
    name: Option<&str>,
    settings: Option<&DeckSettings>,
) -> Result<StoredDeck, ServiceError> {
    let current = deck(app, user, id).await?;
    let name = match name {
        Some(name) => check_deck_name(name)?,
        None => current.name,
    };
    if let Some(settings) = settings {
        check_settings(settings)?;
    }
    app.store
        .change_deck(user.id, id, &name, settings)
        .await
        .map_err(taken(&name))?;
    deck(app, user, id).await
}

/// Deletes a deck with its cards and their reviews.
pub async fn delete_deck(app: &App, user: &User, id: DeckId) -> Result<(), ServiceError> {
    app.store
        .delete_deck(user.id, id)
        .await
        .map_err(missing("deck"))
}

/// What adding cards did, with the entries that made no card and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddReport {
    /// Cards new to the deck.
    pub added: u64,
    /// Cards the deck already had.
    pub present: u64,
    /// Entries that made no card: the entry's line or position (from 1) and why.
    pub skipped: Vec<(usize, String)>,
}

/// Where the words or alphagrams of new cards come from.
#[derive(Debug)]
pub enum Entries<'a> {
    /// Given one by one.
    Given(Vec<String>),
    /// What a search finds (in the deck's lexicon).
    Search(&'a crate::search_form::SearchForm),
    /// A saved list's alphagrams.
    List(ListId),
    /// The alphagrams missed in a wall's last round.
    WallMissed(WallId),
    /// An uploaded text file: one word or alphagram at the start of each line; blank and
    /// `#` lines skipped. Bad lines are reported with their numbers.
    Upload(&'a [u8]),
}

/// Most lines of an uploaded file of cards.
pub const MAX_UPLOAD_LINES: usize = 50_000;

/// The entries, with the line (or position) each came from, counting from 1.
async fn entries_of(
    app: &App,
    user: &User,
    deck: &StoredDeck,
    entries: Entries<'_>,
) -> Result<Vec<(usize, String)>, ServiceError> {
    let numbered = |all: Vec<String>| {
        all.into_iter()
            .enumerate()
            .map(|(i, e)| (i + 1, e))
            .collect()
    };
    Ok(match entries {
        Entries::Given(all) => numbered(all),
        Entries::Search(search) => {
            let mut search = search.clone();
            search.lexicon = Some(deck.lexicon.clone());
            numbered(super::walls::alphagrams_of(&app.lexicons, &search)?.1)
        }
        Entries::List(id) => {
            let (summary, body) = app.store.list(id, user.id).await.map_err(|e| match e {
                StoreError::NotFound => ServiceError::not_found("no such list"),
                other => other.into(),
            })?;
            if summary.lexicon != deck.lexicon {
                return Err(ServiceError::invalid(format!(
                    "list: the list is in {}, the deck in {}",
                    summary.lexicon, deck.lexicon
                )));
            }
            let list: tilebag_study::StudyList = super::documents::read(&body)?;
            numbered(list.alphagrams)
        }
        Entries::WallMissed(id) => {
            let loaded = super::walls::load(app, id, &Owner::User(user.id)).await?;
            if loaded.wall.lexicon != deck.lexicon {
                return Err(ServiceError::invalid(format!(
                    "wall: the wall is in {}, the deck in {}",
                    loaded.wall.lexicon, deck.lexicon
                )));
            }
            if loaded.round.ended.is_none() {
                return Err(ServiceError::conflict(
                    "round_running",
                    "the round is still running; add its missed alphagrams when it ends",
                ));
            }
            numbered(
                loaded
                    .round
                    .missed()
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            )
        }
        Entries::Upload(bytes) => upload_lines(bytes)?,
    })
}

/// An uploaded file's entries with their line numbers.
fn upload_lines(bytes: &[u8]) -> Result<Vec<(usize, String)>, ServiceError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ServiceError::invalid(format!(
            "the file is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if n >= MAX_UPLOAD_LINES {
            return Err(ServiceError::invalid(format!(
                "the file has more than {MAX_UPLOAD_LINES} lines; split it"
            )));
        }
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.starts_with('#') {
            continue;
        }
        if let Some(entry) = line.split_whitespace().next() {
            entries.push((n + 1, entry.to_owned()));
        }
    }
    if entries.is_empty() {
        return Err(ServiceError::invalid(
            "the file holds no words or alphagrams: one at the start of each line",
        ));
    }
    Ok(entries)
}

/// Adds cards of `kind` made from `entries` (words or alphagrams) to a deck, within the
/// player's card limit (over it, nothing is added). Entries that make no card are
/// reported with their line and why.
pub async fn add_cards(
    app: &App,
    user: &User,
    id: DeckId,
    kind: CardKind,
    entries: Entries<'_>,
) -> Result<AddReport, ServiceError> {
    let deck = deck(app, user, id).await?;
    let lexicon = app.lexicons.pick(Some(&deck.lexicon))?;
    let numbered = entries_of(app, user, &deck, entries).await?;
    let texts: Vec<String> = numbered.iter().map(|(_, e)| e.clone()).collect();
    let made = tilebag_study::cards::fronts(lexicon, kind, &texts);
    let skipped = made
        .bad
        .into_iter()
        .map(|(index, why)| {
            (
                numbered.get(index).map_or(index + 1, |(line, _)| *line),
                why,
            )
        })
        .collect();
    if made.fronts.is_empty() {
        return Ok(AddReport {
            added: 0,
            present: 0,
            skipped,
        });
    }
    let cards = made.fronts.into_iter().map(|front| (kind, front)).collect();
    let Added { added, present } = app
        .store
        .add_cards(user.id, id, cards, app.clock.now_ms(), app.rules.max_cards)
        .await
        .map_err(missing("deck"))?;
    Ok(AddReport {
        added,
        present,
        skipped,
    })
}

/// The start of the day `now` falls on (in the site's time zone), Unix ms: new cards per
/// day count from here.
fn day_start_ms(app: &App) -> i64 {
    let today: NaiveDate = super::challenges::today(app);
    let yesterday = today.pred_opt().unwrap_or(today);
    super::challenges::end_of(app, yesterday).timestamp_millis()
}

/// The due queue of one deck or all the player's decks, with today's new cards limited by
/// each deck's new cards per day.
pub async fn queue(
    app: &App,
    user: &User,
    deck: Option<DeckId>,
    limit: i64,
) -> Result<DueQueue, ServiceError> {
    let decks = deck_heads(app, user, deck).await?;
    let since = day_start_ms(app);
    let mut new_left = 0;
    for d in &decks {
        let used = app
            .store
            .new_cards_reviewed_since(user.id, Scope::Deck(d.id), since)
            .await?;
        new_left += (i64::from(d.settings.new_per_day) - used).max(0);
    }
    let scope = deck.map_or(Scope::All, Scope::Deck);
    Ok(app
        .store
        .due_queue(
            user.id,
            scope,
            app.clock.now_ms(),
            new_left,
            limit.clamp(0, MAX_QUEUE),
        )
        .await?)
}

/// The player's parameters: fitted to their reviews if they asked, else FSRS-6's defaults.
pub async fn parameters(app: &App, user: &User) -> Result<Option<StoredFit>, ServiceError> {
    Ok(app.store.parameters(user.id, ModelVersion::Fsrs6).await?)
}

/// Whether a fit schedules the player's cards: only when its parameters predict the player's
/// reviews at least as well as the defaults do.
#[must_use]
pub fn fit_schedules(fit: &Fit) -> bool {
    fit.fitted.log_loss <= fit.default.log_loss
}

/// The scheduler of a deck's `settings` with the player's `fit` if it schedules (see
/// [`fit_schedules`]), else the defaults; and whether the fit is in use.
pub fn scheduler_with(
    fit: Option<StoredFit>,
    settings: &DeckSettings,
    deck: DeckId,
) -> Result<(Scheduler, bool), ServiceError> {
    let fitted = fit
        .filter(|p| fit_schedules(&p.fit))
        .map(|p| p.fit.parameters);
    let in_use = fitted.is_some();
    let parameters = fitted.unwrap_or_default();
    let scheduler = Scheduler::new(&parameters, settings)
        .map_err(|e| ServiceError::Document(format!("deck {}: {e}", deck.0)))?;
    Ok((scheduler, in_use))
}

/// Refuses a suspended card: it is left out of reviews until brought back.
fn not_suspended(card: &StoredCard) -> Result<(), ServiceError> {
    if card.schedule.suspended {
        return Err(ServiceError::conflict(
            "card_suspended",
            format!(
                "card {} is suspended: bring it back to review it",
                card.id.0
            ),
        ));
    }
    Ok(())
}

/// One of the player's cards with its deck's lexicon and its scheduler, read at once.
async fn review_target(
    app: &App,
    user: &User,
    id: CardId,
) -> Result<(ReviewTarget, Scheduler), ServiceError> {
    let mut target = app
        .store
        .review_target(user.id, id, ModelVersion::Fsrs6)
        .await
        .map_err(missing("card"))?;
    let (scheduler, _) = scheduler_with(target.fit.take(), &target.settings, target.card.deck)?;
    Ok((target, scheduler))
}

/// One of the player's cards, with its deck.
pub async fn card(
    app: &App,
    user: &User,
    id: CardId,
) -> Result<(StoredCard, StoredDeck), ServiceError> {
    let card = app.store.card(user.id, id).await.map_err(missing("card"))?;
    let deck = deck(app, user, card.deck).await?;
    Ok((card, deck))
}

/// A page of a deck's cards, in the order they were added.
pub async fn deck_cards(
    app: &App,
    user: &User,
    deck: &StoredDeck,
    offset: i64,
    limit: i64,
) -> Result<Vec<StoredCard>, ServiceError> {
    Ok(app
        .store
        .cards_page(user.id, deck.id, offset, limit)
        .await?)
}

/// A card's review log, oldest first.
pub async fn card_reviews(
    app: &App,
    user: &User,
    id: CardId,
) -> Result<Vec<ReviewLog>, ServiceError> {
    Ok(app.store.card_reviews(user.id, id).await?)
}

fn card_number(id: CardId) -> u64 {
    u64::try_from(id.0).unwrap_or(u64::MAX)
}

/// A review recorded: the card as it is now.
#[derive(Debug, Clone)]
pub struct Done {
    /// The card after the review.
    pub card: StoredCard,
    /// This review made it a leech.
    pub became_leech: bool,
}

/// Grades the player's card, shown at `version`, with `rating` after `took_ms`. Refused as
/// `card_changed` if it was graded or undone since (another tab).
pub async fn grade(
    app: &App,
    user: &User,
    id: CardId,
    version: i64,
    rating: Rating,
    took_ms: u32,
) -> Result<Done, ServiceError> {
    let (target, scheduler) = review_target(app, user, id).await?;
    not_suspended(&target.card)?;
    let now = app.clock.now_ms();
    let reviewed = scheduler
        .review(card_number(id), &target.card.schedule, rating, now, took_ms)
        .map_err(|e| ServiceError::conflict("bad_memory", e.to_string()))?;
    record(app, user, target.card, version, reviewed).await
}

/// Marks the player's card forgotten now (a miss outside a review): relearned like an Again.
pub async fn forget(
    app: &App,
    user: &User,
    id: CardId,
    version: i64,
) -> Result<Done, ServiceError> {
    let (target, scheduler) = review_target(app, user, id).await?;
    not_suspended(&target.card)?;
    if target.card.schedule.state == review::CardState::New {
        return Err(ServiceError::conflict(
            "card_new",
            format!(
                "card {} has never been reviewed: there is nothing to forget",
                id.0
            ),
        ));
    }
    let reviewed = scheduler
        .forget(card_number(id), &target.card.schedule, app.clock.now_ms())
        .map_err(|e| ServiceError::conflict("bad_memory", e.to_string()))?;
    record(app, user, target.card, version, reviewed).await
}

async fn record(
    app: &App,
    user: &User,
    mut card: StoredCard,
    version: i64,
    reviewed: review::Reviewed,
) -> Result<Done, ServiceError> {
    let after = reviewed.log.after.clone();
    let recorded = app
        .store
        .record_review(user.id, &card, version, reviewed.log)
        .await?;
    card.schedule = after;
    card.version = recorded.version;
    Ok(Done {
        card,
        became_leech: reviewed.became_leech,
    })
}

/// Undoes the player's last review (of `card` when given), restoring the exact schedule
/// before it.
pub async fn undo(app: &App, user: &User, card: Option<CardId>) -> Result<Undone, ServiceError> {
    app.store
        .undo_review(user.id, card)
        .await
        .map_err(|e| match e {
            DeckError::Store(StoreError::NotFound) => ServiceError::not_found("no review to undo"),
            other => other.into(),
        })
}

/// Postpones up to `count` of the due review cards (all when `None`) of one deck or all
/// decks by `days` days, those most likely still remembered first. Returns how many.
pub async fn postpone(
    app: &App,
    user: &User,
    deck: Option<DeckId>,
    days: u32,
    count: Option<usize>,
) -> Result<u64, ServiceError> {
    if !(1..=MAX_POSTPONE_DAYS).contains(&days) {
        return Err(ServiceError::invalid(format!(
            "days: postpone by 1 to {MAX_POSTPONE_DAYS} days, not {days}"
        )));
    }
    let decks = deck_heads(app, user, deck).await?;
    let fit = parameters(app, user).await?;
    let now = app.clock.now_ms();
    let mut ranked: Vec<(f32, StoredCard)> = Vec::new();
    for d in &decks {
        let (scheduler, _) = scheduler_with(fit.clone(), &d.settings, d.id)?;
        let cards = app.store.due_review_cards(user.id, d.id, now).await?;
        let schedules: Vec<(u64, review::Schedule)> = cards
            .iter()
            .map(|c| (card_number(c.id), c.schedule.clone()))
            .collect();
        let order = review::postpone_order(&scheduler, &schedules, now);
        for c in cards {
            if order.contains(&card_number(c.id)) {
                let r = scheduler.retrievability(&c.schedule, now).unwrap_or(0.0);
                ranked.push((r, c));
            }
        }
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    let chosen: Vec<(CardId, i64, review::Schedule)> = ranked
        .into_iter()
        .take(count.unwrap_or(usize::MAX))
        .map(|(_, c)| (c.id, c.version, review::postpone(&c.schedule, days, now)))
        .collect();
    Ok(app.store.reschedule(user.id, chosen).await?)
}

/// Moves cards to another of the player's decks; returns how many moved.
pub async fn move_cards(
    app: &App,
    user: &User,
    ids: Vec<CardId>,
    to: DeckId,
) -> Result<u64, ServiceError> {
    at_once(&ids)?;
    app.store
        .move_cards(user.id, ids, to)
        .await
        .map_err(missing("deck"))
}

/// Suspends cards or brings them back; returns how many changed.
pub async fn suspend_cards(
    app: &App,
    user: &User,
    ids: Vec<CardId>,
    suspended: bool,
) -> Result<u64, ServiceError> {
    at_once(&ids)?;
    Ok(app.store.suspend_cards(user.id, ids, suspended).await?)
}

/// Deletes cards with their reviews; returns how many.
pub async fn delete_cards(app: &App, user: &User, ids: Vec<CardId>) -> Result<u64, ServiceError> {
    at_once(&ids)?;
    Ok(app.store.delete_cards(user.id, ids).await?)
}

fn at_once(ids: &[CardId]) -> Result<(), ServiceError> {
    if ids.len() > MAX_CARDS_AT_ONCE {
        return Err(ServiceError::invalid(format!(
            "cards: at most {MAX_CARDS_AT_ONCE} cards at once, not {}",
            ids.len()
        )));
    }
    Ok(())
}

/// Fits the player's parameters to their review history and schedules with them from now
/// on. The optimizer runs on a blocking thread, one fit at a time on the server.
pub async fn optimize(app: &App, user: UserId) -> Result<Fit, ServiceError> {
    // The turn comes first: a fit waiting for it holds no database connection and no
    // history in memory, and one that waits too long is told to come back.
    let busy = || ServiceError::Busy {
        retry_after: 30,
        message: "the server is fitting another player's parameters, try again in 30 s".into(),
    };
    let _turn = tokio::time::timeout(FIT_WAIT, app.fitting.acquire())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let history = app.store.review_history(user).await?;
    let fit = tokio::task::spawn_blocking(move || review::fit(&history))
        .await
        .map_err(|e| ServiceError::Document(format!("the fit failed: {e}")))?
        .map_err(|e| match e {
            review::FitError::TooFew { .. } => {
                ServiceError::conflict("too_few_reviews", e.to_string())
            }
            review::FitError::Optimizer(_) => ServiceError::conflict("fit_failed", e.to_string()),
        })?;
    app.store
        .save_parameters(user, &fit, app.clock.now_s())
        .await?;
    Ok(fit)
}

/// How long a request to fit parameters waits for the one fit at a time.
pub const FIT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Most players the daily job refits in one run.
pub const REFITS_PER_RUN: i64 = 20;

/// Refits, in the daily job, the parameters of players with enough reviews whose last fit
/// is over a week old (or who were never fitted): at most [`REFITS_PER_RUN`] a run. A fit
/// that fails is logged and leaves the player's parameters as they were. Returns how many
/// were fitted.
pub async fn refit_due(app: &App) -> Result<usize, ServiceError> {
    let week_ago = app.clock.now_s() - 7 * 24 * 3600;
    let min = i64::try_from(review::MIN_REVIEWS_TO_FIT).unwrap_or(i64::MAX);
    let players = app
        .store
        .players_to_refit(min, week_ago, REFITS_PER_RUN)
        .await?;
    let mut fitted = 0;
    for player in players {
        match optimize(app, player).await {
            Ok(_) => fitted += 1,
            Err(error) => tracing::warn!(player = player.0, %error, "refitting parameters failed"),
        }
    }
    Ok(fitted)
}

/// A card turned over: its answer, the verdict on what the player typed, and when it would
/// be due after each grade.
#[derive(Debug, Clone)]
pub struct Turned {
    /// The card.
    pub card: StoredCard,
    /// Its answer, worked out from its deck's lexicon.
    pub answer: Answer,
    /// The verdict on the typed answer, when there was one.
    pub judgement: Option<Judgement>,
    /// When it would be due after Again, Hard, Good and Easy, Unix ms.
    pub due_after: [i64; 4],
}

/// Turns one of the player's cards over at the clock's time, judging `typed` if given.
/// Reads only.
pub async fn turn(
    app: &App,
    user: &User,
    id: CardId,
    typed: Option<&str>,
) -> Result<Turned, ServiceError> {
    let (ReviewTarget { card, lexicon, .. }, scheduler) = review_target(app, user, id).await?;
    let lexicon = app.lexicons.pick(Some(&lexicon))?;
    let answer = tilebag_study::cards::answer(lexicon, card.kind, &card.front)
        .map_err(|e| ServiceError::conflict("card_unusable", e.to_string()))?;
    let judgement = typed.map(|t| tilebag_study::cards::judge(&answer, t));
    let outcomes = scheduler
        .outcomes(card_number(id), &card.schedule, app.clock.now_ms())
        .map_err(|e| ServiceError::conflict("bad_memory", e.to_string()))?;
    Ok(Turned {
        due_after: outcomes.after.map(|s| s.due),
        card,
        answer,
        judgement,
    })
}

/// What each card asks, from its deck's lexicon; `None` for a card its lexicon no longer
/// fits (or whose lexicon the server no longer has).
pub async fn prompts(
    app: &App,
    user: &User,
    cards: &[StoredCard],
) -> Result<Vec<Option<Prompt>>, ServiceError> {
    let lexicons: std::collections::HashMap<DeckId, String> = deck_heads(app, user, None)
        .await?
        .into_iter()
        .map(|d| (d.id, d.lexicon))
        .collect();
    Ok(cards
        .iter()
        .map(|c| {
            let lexicon = app.lexicons.get(lexicons.get(&c.deck)?)?;
            tilebag_study::cards::prompt(lexicon, c.kind, &c.front).ok()
        })
        .collect())
}
