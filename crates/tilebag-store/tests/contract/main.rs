//! One story of the store, run against each backend: SQLite always, PostgreSQL when configured.
//!
//! No store function reads the clock: every story passes its times in, so the stories move
//! through time by choosing them.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use tilebag_store::testing::{TestDatabase, backends};
use tilebag_store::{
    Attempt, ChallengeId, Decision, EntryUpdate, ListUpdate, MIGRATIONS, Migration, NewSession,
    NewWall, Owner, Progress, RoundUpdate, SaveError, SchemaStatus, Store, StoreError, StoredWall,
    UserId, WallChange, WallId,
};

/// The stories' "now" (Unix seconds, November 2026).
const NOW: i64 = 1_795_000_000;

async fn fresh(backend: &str) -> (TestDatabase, Store) {
    let db = TestDatabase::new(backend).await;
    let store = Store::connect(&db.url).await.expect("connect");
    (db, store)
}

async fn migrated(backend: &str) -> (TestDatabase, Store) {
    let (db, store) = fresh(backend).await;
    store.migrate(NOW).await.expect("migrate");
    (db, store)
}

fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real day")
}

/// A SCOWL80 wall of `owner` with an empty list and no challenge.
fn new_wall(owner: &Owner, round: &str, deadline: i64) -> NewWall {
    NewWall {
        owner: owner.clone(),
        lexicon: "SCOWL80".into(),
        list_id: None,
        settings: "{}".into(),
        list: "[]".into(),
        round: round.into(),
        deadline,
        attempt: None,
        source: None,
        place: None,
    }
}

/// A list document of `n` alphagrams named after `tag`.
fn alphagrams(tag: &str, n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("\"{tag}{i}\"")).collect();
    format!("[{}]", items.join(","))
}

/// Progress read from a list document, as the study logic would: every alphagram is new.
#[allow(clippy::unnecessary_wraps)] // Reason: the shape `save_wall_list` asks for.
fn counted(body: &str) -> Result<Progress, StoreError> {
    let size = i64::try_from(body.matches('"').count() / 2).expect("a small list");
    Ok(Progress {
        size,
        ..Progress::default()
    })
}

fn round_change(round: &str, deadline: i64, running: bool) -> WallChange {
    WallChange {
        round: Some(RoundUpdate {
            round: round.into(),
            deadline,
            running,
        }),
        ..WallChange::default()
    }
}

fn entry_change(
    solved: i64,
    wrong: i64,
    remaining_ms: i64,
    finished: bool,
    missed: &[&str],
) -> WallChange {
    WallChange {
        entry: Some(EntryUpdate {
            solved,
            wrong,
            remaining_ms,
            finished,
            missed: missed.iter().map(|&a| a.to_owned()).collect(),
        }),
        ..WallChange::default()
    }
}

/// Stores `change` on a wall without looking at it.
async fn change(
    store: &Store,
    wall: WallId,
    owner: Option<&Owner>,
    now: i64,
    change: WallChange,
) -> Result<(), StoreError> {
    store
        .modify_wall(wall, owner, now, move |_, _| {
            Ok(Decision::Done(change.clone(), ()))
        })
        .await
}

/// Runs `tasks` futures at once, each in a task of its own, and collects their results.
async fn in_parallel<T, F>(tasks: impl IntoIterator<Item = F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let handles: Vec<_> = tasks.into_iter().map(tokio::spawn).collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.expect("task"));
    }
    results
}

mod accounts;
mod challenges;
mod connections;
mod migrations;
mod notices;
mod tables;
mod walls;
