//! Accounts and sessions, the first admin, backups and database URLs.

use super::*;

#[tokio::test]
async fn accounts_and_sessions() {
    for backend in backends("accounts_and_sessions") {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("Alice", "hash-a", NOW).await.unwrap();
        assert!(alice.is_admin, "the first account is an admin");
        assert_eq!(
            alice.created_at, NOW,
            "{backend}: stamped with the given time"
        );
        assert!(
            matches!(
                store.create_user("ALICE", "x", NOW).await,
                Err(StoreError::Conflict(_))
            ),
            "{backend}"
        );
        let bob = store.create_user("bob", "hash-b", NOW).await.unwrap();
        assert!(!bob.is_admin);
        assert_eq!(store.user_by_name("alice").await.unwrap().id, alice.id);
        assert!(matches!(
            store.user_by_name("carol").await,
            Err(StoreError::NotFound)
        ));

        let far = NOW + 3600;
        for (token, user) in [("t1", alice.id), ("t2", alice.id), ("t3", bob.id)] {
            let session = NewSession {
                token_hash: token,
                user_id: user,
                csrf_token: "c",
                expires_at: far,
            };
            store.create_session(&session, NOW).await.unwrap();
        }
        let old = NewSession {
            token_hash: "old",
            user_id: bob.id,
            csrf_token: "c",
            expires_at: NOW - 1,
        };
        store.create_session(&old, NOW - 10).await.unwrap();
        assert_eq!(store.active_sessions(NOW).await.unwrap(), 3);
        assert_eq!(
            store.active_sessions(far).await.unwrap(),
            0,
            "{backend}: at `far` every session has expired"
        );
        assert!(
            matches!(store.session("old", NOW).await, Err(StoreError::NotFound)),
            "expired sessions do not count"
        );
        assert!(
            store.session("old", NOW - 5).await.is_ok(),
            "{backend}: expiry is judged at the time given"
        );
        assert_eq!(store.delete_expired_sessions(NOW).await.unwrap(), 1);
        let (session, user) = store.session("t1", NOW).await.unwrap();
        assert_eq!(
            (session.csrf_token.as_str(), user.username.as_str()),
            ("c", "Alice")
        );
        store.delete_session("t1").await.unwrap();
        assert!(store.session("t1", NOW).await.is_err());
        store.set_password(alice.id, "hash-a2").await.unwrap();
        assert!(
            store.session("t2", NOW).await.is_err(),
            "a new password ends every session"
        );
        assert_eq!(store.user(alice.id).await.unwrap().password_hash, "hash-a2");

        store
            .update_settings(bob.id, Some("SCOWL80"), r#"{"tile_order":"vowels"}"#, false)
            .await
            .unwrap();
        let bob = store.user(bob.id).await.unwrap();
        assert_eq!(bob.default_lexicon.as_deref(), Some("SCOWL80"));
        store.set_admin("BOB", true).await.unwrap();
        assert!(store.user(bob.id).await.unwrap().is_admin);
        store.delete_user(bob.id).await.unwrap();
        assert!(matches!(
            store.user(bob.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store.session("t3", NOW).await.is_err(),
            "deleting an account deletes its sessions"
        );
        assert!(matches!(
            store.delete_user(bob.id).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_the_first_account_is_an_admin_however_many_register_at_once() {
    for backend in backends("only_the_first_account_is_an_admin_however_many_register_at_once") {
        let (_db, store) = migrated(backend).await;
        // Open the connections first, so the registrations race instead of queueing
        // behind new connections; then start them together.
        for _ in 0..3 {
            in_parallel((0..12).map(|_| {
                let store = store.clone();
                async move { store.ping().await.unwrap() }
            }))
            .await;
        }
        let start = Arc::new(tokio::sync::Barrier::new(12));
        let users = in_parallel((0..12).map(|i| {
            let (store, start) = (store.clone(), Arc::clone(&start));
            async move {
                start.wait().await;
                store.create_user(&format!("player{i}"), "h", NOW).await
            }
        }))
        .await;
        let users: Vec<_> = users.into_iter().map(Result::unwrap).collect();
        assert_eq!(users.len(), 12, "{backend}");
        assert_eq!(
            users.iter().filter(|u| u.is_admin).count(),
            1,
            "{backend}: exactly one admin among 12 racing registrations"
        );
        let mut stored = 0;
        for i in 0..12 {
            if store
                .user_by_name(&format!("player{i}"))
                .await
                .unwrap()
                .is_admin
            {
                stored += 1;
            }
        }
        assert_eq!(stored, 1, "{backend}: as stored");
    }
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy() {
    let (db, store) = migrated("sqlite").await;
    store.create_user("Alice", "h", NOW).await.unwrap();
    let copy =
        std::path::Path::new(db.url.trim_start_matches("sqlite://")).with_file_name("copy.db");
    store.backup(&copy).await.unwrap();
    let restored = Store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    assert_eq!(
        restored.user_by_name("alice").await.unwrap().username,
        "Alice"
    );
    assert!(
        store.backup(&copy).await.is_err(),
        "an existing file is never overwritten"
    );
}

#[tokio::test]
async fn bad_urls_say_what_to_write() {
    let error = Store::connect("mysql://x").await.unwrap_err().to_string();
    assert!(
        error.contains("use sqlite://PATH or postgres://"),
        "{error}"
    );
    assert!(Store::connect("sqlite://").await.is_err());
}
