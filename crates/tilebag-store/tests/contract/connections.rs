//! How the store holds its connections: the pool's settings as a real pool reports them.

use std::time::Duration;

use tilebag_store::testing::{TestDatabase, backends};
use tilebag_store::{Durability, PoolSettings, Store};

#[tokio::test]
async fn the_pool_takes_its_settings_and_tests_only_postgresql_connections_it_hands_out() {
    for backend in
        backends("the_pool_takes_its_settings_and_tests_only_postgresql_connections_it_hands_out")
    {
        let db = TestDatabase::new(backend).await;
        let store = Store::connect(&db.url).await.expect("connect");
        let (settings, pings) = store.pool_settings();
        let size = if backend == "postgres" { 16 } else { 8 };
        assert_eq!(
            settings,
            PoolSettings {
                max_connections: Some(size),
                ..PoolSettings::default()
            },
            "{backend}: the defaults"
        );
        assert_eq!(
            pings,
            backend == "postgres",
            "{backend}: a connection is tested as it is handed out only on PostgreSQL"
        );
        store.close().await;

        let asked = PoolSettings {
            max_connections: Some(3),
            acquire_timeout: Duration::from_secs(2),
            idle_timeout: None,
            durability: Durability::Strict,
        };
        let store = Store::connect_with(&db.url, &asked).await.expect("connect");
        assert_eq!(
            store.pool_settings(),
            (asked, backend == "postgres"),
            "{backend}"
        );
        store.ping().await.expect("the database answers");
        store.close().await;
    }
}

#[tokio::test]
async fn each_connection_flushes_commits_as_the_durability_says() {
    for backend in backends("each_connection_flushes_commits_as_the_durability_says") {
        let db = TestDatabase::new(backend).await;
        for (durability, postgres, sqlite) in [
            (Durability::Relaxed, "off", "NORMAL"),
            (Durability::Strict, "on", "FULL"),
        ] {
            let settings = PoolSettings {
                durability,
                ..PoolSettings::default()
            };
            let store = Store::connect_with(&db.url, &settings)
                .await
                .expect("connect");
            let (expected, connections) = if backend == "postgres" {
                (postgres, 4)
            } else {
                (sqlite, 5) // Four readers and the writer.
            };
            assert_eq!(
                store.flush_settings_for_tests(4).await.unwrap(),
                vec![expected.to_owned(); connections],
                "{backend}, {durability:?}"
            );
            assert_eq!(store.pool_settings().0.durability, durability);
            store.close().await;
        }
        let store = Store::connect(&db.url).await.expect("connect");
        let relaxed = if backend == "postgres" {
            "off"
        } else {
            "NORMAL"
        };
        assert_eq!(
            store.commit_flush_setting().await.unwrap(),
            relaxed,
            "{backend}: relaxed by default"
        );
        store.close().await;
    }
}
