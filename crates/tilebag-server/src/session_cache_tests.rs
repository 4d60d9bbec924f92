use std::time::Duration;

use tilebag_store::testing::TestDatabase;
use tilebag_store::{SESSIONS_CHANNEL, Session, SessionNotice, Store, User, UserId};

use super::{Lookup, SessionCache, SessionCacheSettings};

/// Unix milliseconds the tests start at.
const T0: i64 = 1_795_000_000_000;

fn found(hash: &str, user: i64, expires_at: i64) -> (Session, User) {
    let session = Session {
        token_hash: hash.to_owned(),
        user_id: UserId(user),
        csrf_token: "c".into(),
        expires_at,
    };
    let user = User {
        id: UserId(user),
        username: format!("player{user}"),
        password_hash: "h".into(),
        is_admin: false,
        default_lexicon: None,
        preferences: "{}".into(),
        created_at: 0,
    };
    (session, user)
}

/// A cache listening to a real (SQLite) store's sessions channel.
async fn cache(ttl: Duration, entries: usize) -> (TestDatabase, Store, SessionCache) {
    let db = TestDatabase::new("sqlite").await;
    let store = Store::connect(&db.url).await.expect("connect");
    let notices = store.subscribe(SESSIONS_CHANNEL).expect("subscribe");
    let cache = SessionCache::new(SessionCacheSettings { ttl, entries }, Some(notices));
    (db, store, cache)
}

/// Looks `hash` up at `now`, keeping `answer` on a miss; whether it was a hit.
fn look(cache: &SessionCache, answer: &(Session, User), now: i64) -> bool {
    match cache.get(&answer.0.token_hash, now) {
        Lookup::Hit(session, user) => {
            assert_eq!((session, user), answer.clone());
            true
        }
        Lookup::Miss(miss) => {
            cache.keep(miss, &answer.0.token_hash, answer, now, true);
            false
        }
    }
}

#[tokio::test]
async fn an_entry_is_honoured_until_its_time_to_live_or_its_sessions_expiry_whichever_comes_first()
{
    let (_db, _store, cache) = cache(Duration::from_secs(30), 10).await;
    let long = found("long", 1, T0 / 1000 + 3600);
    assert!(!look(&cache, &long, T0), "first a miss");
    assert!(look(&cache, &long, T0 + 29_999), "kept");
    assert!(!look(&cache, &long, T0 + 30_000), "the time to live is up");
    let short = found("short", 1, T0 / 1000 + 5);
    assert!(!look(&cache, &short, T0));
    assert!(look(&cache, &short, T0 + 4_999));
    assert!(
        !look(&cache, &short, T0 + 5_000),
        "not honoured once the session has expired"
    );
    assert_eq!(cache.counts().0, 2, "two hits");
}

#[tokio::test]
async fn notices_forget_one_session_or_all_of_a_players_and_one_of_unknown_form_everything() {
    let (_db, store, cache) = cache(Duration::from_secs(30), 10).await;
    let (a1, a2, b) = (
        found("a1", 1, i64::MAX / 2000),
        found("a2", 1, i64::MAX / 2000),
        found("b", 2, i64::MAX / 2000),
    );
    for answer in [&a1, &a2, &b] {
        assert!(!look(&cache, answer, T0));
    }
    let publish = async |notice: SessionNotice| {
        store
            .publish(SESSIONS_CHANNEL, &notice.payload())
            .await
            .expect("publish");
    };
    publish(SessionNotice::Ended("a1".into())).await;
    assert!(!look(&cache, &a1, T0), "ended");
    assert!(
        look(&cache, &a2, T0) && look(&cache, &b, T0),
        "the others stay"
    );
    publish(SessionNotice::User(UserId(1))).await;
    assert!(
        !look(&cache, &a2, T0) && !look(&cache, &a1, T0),
        "the player's sessions are gone"
    );
    assert!(look(&cache, &b, T0), "another player's stays");
    store
        .publish(SESSIONS_CHANNEL, "garbled")
        .await
        .expect("publish");
    assert!(
        !look(&cache, &b, T0),
        "a notice of unknown form empties the cache"
    );
}

#[tokio::test]
async fn an_answer_read_while_a_notice_arrived_is_not_kept() {
    let (_db, store, cache) = cache(Duration::from_secs(30), 10).await;
    let answer = found("a", 1, i64::MAX / 2000);
    let Lookup::Miss(miss) = cache.get("a", T0) else {
        panic!("an empty cache misses");
    };
    // The session ends while the lookup reads the database.
    store
        .publish(
            SESSIONS_CHANNEL,
            &SessionNotice::Ended("a".into()).payload(),
        )
        .await
        .expect("publish");
    cache.keep(miss, "a", &answer, T0, true);
    assert!(!look(&cache, &answer, T0), "the stale answer was dropped");
    assert!(look(&cache, &answer, T0), "a later answer is kept");
}

#[tokio::test]
async fn the_cache_holds_at_most_its_entries_dropping_the_oldest() {
    let (_db, _store, cache) = cache(Duration::from_secs(30), 3).await;
    let answers: Vec<_> = (0..100)
        .map(|i| found(&format!("s{i}"), i, i64::MAX / 2000))
        .collect();
    for answer in &answers {
        assert!(!look(&cache, answer, T0));
        assert!(cache.counts().2 <= 3);
    }
    assert!(look(&cache, &answers[99], T0) && look(&cache, &answers[97], T0));
    assert!(!look(&cache, &answers[96], T0), "the oldest went first");
    let kept = cache.kept.lock().expect("lock");
    assert_eq!(kept.entries.len(), 3);
    assert!(kept.order.len() <= 7, "the order records stay bounded too");
}

#[tokio::test]
async fn nothing_is_kept_when_disabled_without_notices_or_while_other_servers_are_not_heard() {
    let answer = found("a", 1, i64::MAX / 2000);
    for ttl in [Duration::ZERO, Duration::from_secs(30)] {
        let entries = if ttl.is_zero() { 10 } else { 0 };
        let (_db, _store, cache) = cache(ttl, entries).await;
        assert!(
            !look(&cache, &answer, T0) && !look(&cache, &answer, T0),
            "{ttl:?}"
        );
    }
    let deaf = SessionCache::new(SessionCacheSettings::default(), None);
    assert!(
        !look(&deaf, &answer, T0) && !look(&deaf, &answer, T0),
        "no notices"
    );
    let (_db, _store, cache) = cache(Duration::from_secs(30), 10).await;
    let Lookup::Miss(miss) = cache.get("a", T0) else {
        panic!("an empty cache misses");
    };
    cache.keep(miss, "a", &answer, T0, false);
    assert!(!look(&cache, &answer, T0), "not kept while the bus is down");
}
