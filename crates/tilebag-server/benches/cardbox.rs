//! Importing a Zyzzyva cardbox of 50,000 questions into a deck in a real SQLite file: reading
//! the upload, checking each question against the lexicon, mapping its box to FSRS and
//! inserting the cards in one transaction (the issue asks for under 2 s).
//!
//! Run with `cargo bench -p tilebag-server --bench cardbox`.

use std::sync::LazyLock;

use divan::Bencher;
use sqlx::{ConnectOptions, Connection};
use tilebag_server::{AppState, Config, Lexicons};
use tilebag_store::testing::TestDatabase;
use tilebag_store::{CardKind, Store, User};
use tilebag_study::review::DeckSettings;

fn main() {
    divan::main();
}

const QUESTIONS: u32 = 50_000;
/// 2026-01-05, Unix seconds.
const NOW_S: i64 = 1_767_605_400;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
});

/// A database and a server state on it (the database is dropped with the process).
static STATE: LazyLock<(TestDatabase, AppState)> = LazyLock::new(|| {
    RUNTIME.block_on(async {
        let db = TestDatabase::new("sqlite").await;
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate(NOW_S).await.expect("migrate");
        let lexicons = Lexicons::new(vec![tilebag_bundled::scowl80()], 0.0);
        let state = AppState::new(store, lexicons, Config::default());
        (db, state)
    })
});

/// A modern cardbox of the lexicon's first 50,000 alphagrams, in boxes 0 to 10.
static FILE: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let lexicon = tilebag_bundled::scowl80();
    assert!(
        lexicon.alphagram_count() >= QUESTIONS as usize,
        "too few alphagrams"
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("Anagrams.db");
    RUNTIME.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .expect("create");
        let mut tx = conn.begin().await.expect("begin");
        sqlx::raw_sql(
            "CREATE TABLE questions (question varchar(16), correct integer, incorrect integer, \
             streak integer, last_correct integer, difficulty integer, cardbox integer, \
             next_scheduled integer); CREATE UNIQUE INDEX question_index ON questions (question)",
        )
        .execute(&mut *tx)
        .await
        .expect("schema");
        for id in 0..QUESTIONS {
            let letters = lexicon
                .alphagram(tilebag_lexicon::AlphagramId(id))
                .letters();
            let n = i64::from(id);
            sqlx::query("INSERT INTO questions VALUES ($1, $2, $3, $4, $5, 50, $6, $7)")
                .bind(letters)
                .bind(n % 9)
                .bind(n % 3)
                .bind(n % 5 - 2)
                .bind(NOW_S - n % 90 * 86_400)
                .bind(n % 11)
                .bind(NOW_S + (n % 400 - 100) * 86_400)
                .execute(&mut *tx)
                .await
                .expect("insert");
        }
        tx.commit().await.expect("commit");
        conn.close().await.expect("close");
    });
    std::fs::read(&path).expect("read")
});

#[divan::bench(sample_count = 5, sample_size = 1)]
fn import_50k_cardbox(bencher: Bencher) {
    let (_, state) = &*STATE;
    let file = &*FILE;
    let mut players = 0;
    bencher
        .with_inputs(|| {
            players += 1;
            RUNTIME.block_on(async {
                let user: User = state
                    .app
                    .store
                    .create_user(&format!("player{players}"), "hash", NOW_S)
                    .await
                    .expect("user");
                let deck = state
                    .app
                    .store
                    .create_deck(user.id, "SCOWL80", "All", &DeckSettings::default(), NOW_S)
                    .await
                    .expect("deck");
                (user, deck)
            })
        })
        .bench_local_values(|(user, deck)| {
            let report = RUNTIME
                .block_on(tilebag_server::app::cardbox::import(
                    &state.app,
                    &user,
                    deck,
                    CardKind::Alphagram,
                    file,
                ))
                .expect("imports");
            assert_eq!(report.imported, u64::from(QUESTIONS));
        });
}
