//! The notice bus: delivered after commit and only then, to other processes on PostgreSQL,
//! bounded, and reset when the listening connection is lost.

use std::time::Duration;

use tilebag_store::{
    MAX_PAYLOAD, Notice, NoticeError, QUEUE, SESSIONS_CHANNEL, SessionNotice, Subscription,
};

use super::*;

/// Longest wait for a notice that must come; a notice that never comes fails the test then.
const PATIENCE: Duration = Duration::from_secs(10);

async fn next(subscription: &mut Subscription, what: &str) -> Notice {
    tokio::time::timeout(PATIENCE, subscription.recv())
        .await
        .unwrap_or_else(|_| panic!("no notice within {PATIENCE:?}: waited for {what}"))
        .expect("the store is open")
}

/// The store that hears `store`'s notices as another process would: on PostgreSQL a second
/// store on the database (with its own listener), on SQLite the same store.
async fn listener_of(backend: &str, db: &TestDatabase, store: &Store) -> Store {
    if backend == "postgres" {
        Store::connect(&db.url).await.expect("connect")
    } else {
        store.clone()
    }
}

#[tokio::test]
async fn notices_are_delivered_when_their_transaction_commits_and_never_when_it_rolls_back() {
    for backend in backends(
        "notices_are_delivered_when_their_transaction_commits_and_never_when_it_rolls_back",
    ) {
        let (db, store) = migrated(backend).await;
        let other = listener_of(backend, &db, &store).await;
        let mut heard = other.subscribe("tables").unwrap();
        let mut own = store.subscribe("tables").unwrap();
        let mut elsewhere = other.subscribe("elsewhere").unwrap();
        other.notices_connected().await;

        assert!(
            store
                .publish_rolled_back_for_tests("tables", "lost")
                .await
                .is_err(),
            "{backend}: the transaction failed"
        );
        store.publish("tables", "kept").await.unwrap();
        // Notices come in order, so the rolled-back one would have come first.
        let kept = Notice::Message("kept".into());
        assert_eq!(
            next(&mut heard, "the committed notice").await,
            kept,
            "{backend}"
        );
        assert_eq!(
            own.try_recv(),
            Some(kept),
            "{backend}: the publishing process has it by the time publish returns"
        );
        assert_eq!(own.try_recv(), None, "{backend}: once");
        assert_eq!(elsewhere.try_recv(), None, "{backend}: only on its channel");

        let longest = "x".repeat(MAX_PAYLOAD);
        store.publish("tables", &longest).await.unwrap();
        assert_eq!(
            next(&mut heard, "the longest notice").await,
            Notice::Message(longest)
        );
        assert!(
            matches!(
                store.publish("tables", &"x".repeat(MAX_PAYLOAD + 1)).await,
                Err(NoticeError::TooLarge { .. })
            ),
            "{backend}"
        );
        assert!(matches!(
            store.subscribe("Not A Channel"),
            Err(NoticeError::BadChannel(_))
        ));
        other.close().await;
        store.close().await;
    }
}

#[tokio::test]
async fn ending_sessions_and_changing_accounts_announce_it_on_the_sessions_channel() {
    for backend in
        backends("ending_sessions_and_changing_accounts_announce_it_on_the_sessions_channel")
    {
        let (db, store) = migrated(backend).await;
        let other = listener_of(backend, &db, &store).await;
        let mut heard = other.subscribe(SESSIONS_CHANNEL).unwrap();
        other.notices_connected().await;
        let alice = store.create_user("alice", "h", NOW).await.unwrap();
        let session = NewSession {
            token_hash: "t1",
            user_id: alice.id,
            csrf_token: "c",
            expires_at: NOW + 60,
        };
        store.create_session(&session, NOW).await.unwrap();

        let mut expect = async |notice: SessionNotice, what: &str| {
            let got = next(&mut heard, what).await;
            assert_eq!(got, Notice::Message(notice.payload()), "{backend}: {what}");
            assert_eq!(
                SessionNotice::parse(&notice.payload()),
                Some(notice),
                "{backend}: reads back"
            );
        };
        store.delete_session("t1").await.unwrap();
        expect(SessionNotice::Ended("t1".into()), "logout").await;
        store
            .update_settings(alice.id, None, "{}", false)
            .await
            .unwrap();
        expect(SessionNotice::User(alice.id), "settings").await;
        store.set_admin("ALICE", false).await.unwrap();
        expect(SessionNotice::User(alice.id), "admin rights").await;
        store.set_password(alice.id, "h2").await.unwrap();
        expect(SessionNotice::User(alice.id), "password").await;
        assert!(matches!(
            store.set_password(UserId(alice.id.0 + 100), "h").await,
            Err(StoreError::NotFound)
        ));
        store.delete_user(alice.id).await.unwrap();
        expect(SessionNotice::User(alice.id), "deletion").await;
        assert_eq!(
            heard.try_recv(),
            None,
            "{backend}: the change that found no account sent nothing"
        );
        other.close().await;
        store.close().await;
    }
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_its_queue_is_reset() {
    for backend in backends("a_subscriber_that_falls_behind_its_queue_is_reset") {
        let (_db, store) = migrated(backend).await;
        let mut slow = store.subscribe("tables").unwrap();
        for i in 0..=QUEUE {
            store.publish("tables", &i.to_string()).await.unwrap();
        }
        assert_eq!(slow.try_recv(), Some(Notice::Reset), "{backend}");
        store.close().await;
    }
}

#[tokio::test]
async fn subscribers_are_reset_when_the_listening_connection_is_killed_and_hear_again_after() {
    let test = "subscribers_are_reset_when_the_listening_connection_is_killed_and_hear_again_after";
    if !backends(test).contains(&"postgres") {
        return;
    }
    let (db, store) = migrated("postgres").await;
    let other = Store::connect(&db.url).await.expect("connect");
    let mut heard = other.subscribe("tables").unwrap();
    other.notices_connected().await;
    assert_eq!(store.kill_listeners_for_tests().await.unwrap(), 1);
    assert_eq!(
        next(&mut heard, "the reset on losing the connection").await,
        Notice::Reset
    );
    assert_eq!(
        next(&mut heard, "the reset on connecting again").await,
        Notice::Reset
    );
    assert!(other.notices_live(), "connected again");
    assert_eq!(other.notice_resets(), 2);
    store.publish("tables", "after").await.unwrap();
    assert_eq!(
        next(&mut heard, "a notice sent after the reconnection").await,
        Notice::Message("after".into())
    );
    other.close().await;
    store.close().await;
}
