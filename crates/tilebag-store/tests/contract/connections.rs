//! How the store holds its connections: the pool's settings as a real pool reports them.

use std::time::Duration;

use tilebag_store::testing::{TestDatabase, backends};
use tilebag_store::{PoolSettings, Store};

#[tokio::test]
async fn the_pool_takes_its_settings_and_pings_no_connection_it_hands_out() {
    for backend in backends("the_pool_takes_its_settings_and_pings_no_connection_it_hands_out") {
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
        assert!(
            !pings,
            "{backend}: no ping before a connection is handed out"
        );
        store.close().await;

        let asked = PoolSettings {
            max_connections: Some(3),
            acquire_timeout: Duration::from_secs(2),
            idle_timeout: None,
        };
        let store = Store::connect_with(&db.url, &asked).await.expect("connect");
        assert_eq!(store.pool_settings(), (asked, false), "{backend}");
        store.ping().await.expect("the database answers");
        store.close().await;
    }
}
