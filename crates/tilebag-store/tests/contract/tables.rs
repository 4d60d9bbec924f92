//! Tables: limits on how many are open, one change at a time, the lobby, idle tables closed.

use super::*;
use tilebag_store::{NewTable, TableCreateError, TableDecision, TableLimits, TableUpdate};

const LIMITS: TableLimits = TableLimits {
    open: 3,
    per_owner: 2,
};

fn new_table(owner: &Owner, public: bool) -> NewTable {
    NewTable {
        owner: owner.clone(),
        lexicon: "SCOWL80".into(),
        name: "7s".into(),
        public,
        settings: "{}".into(),
        list: "[]".into(),
        document: "0".into(),
    }
}

/// Adds one to the document (a number), as a change that needs no list.
fn bump(table: &tilebag_store::StoredTable, players: i64) -> TableUpdate {
    let n: i64 = table.document.parse().unwrap_or(0);
    TableUpdate {
        document: (n + 1).to_string(),
        list: None,
        players,
        phase: "playing",
        seq: table.seq + 1,
    }
}

#[tokio::test]
async fn open_tables_are_limited_in_all_and_per_owner() {
    for backend in backends("open_tables_are_limited_in_all_and_per_owner") {
        let (_db, store) = migrated(backend).await;
        let ann = Owner::Guest("ann".into());
        let bob = Owner::Guest("bob".into());
        for _ in 0..2 {
            store
                .create_table(new_table(&ann, true), LIMITS, NOW)
                .await
                .unwrap();
        }
        let third = store.create_table(new_table(&ann, true), LIMITS, NOW).await;
        assert!(
            matches!(third, Err(TableCreateError::Limit(m)) if m.contains("2 open tables")),
            "{backend}"
        );
        store
            .create_table(new_table(&bob, false), LIMITS, NOW)
            .await
            .unwrap();
        let over = store.create_table(new_table(&bob, true), LIMITS, NOW).await;
        assert!(
            matches!(over, Err(TableCreateError::Limit(m)) if m.contains("3 open tables")),
            "{backend}"
        );
        assert_eq!(store.open_tables().await.unwrap(), 3);
        // The lobby lists public tables only.
        let lobby = store.lobby(Some("SCOWL80"), 50).await.unwrap();
        assert_eq!(lobby.len(), 2, "{backend}");
        assert!(store.lobby(Some("OTHER"), 50).await.unwrap().is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_changes_to_one_table_each_apply_once_in_turn() {
    for backend in backends("parallel_changes_to_one_table_each_apply_once_in_turn") {
        let (_db, store) = migrated(backend).await;
        let id = store
            .create_table(new_table(&Owner::Guest("ann".into()), true), LIMITS, NOW)
            .await
            .unwrap();
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .modify_table(id, NOW + i, |table, _| {
                            Ok::<_, StoreError>(TableDecision::Done(
                                Some(bump(table, 1)),
                                table.seq,
                            ))
                        })
                        .await
                })
            })
            .collect();
        let mut seen = Vec::new();
        for task in tasks {
            seen.push(task.await.unwrap().unwrap());
        }
        seen.sort_unstable();
        assert_eq!(
            seen,
            (0..40).collect::<Vec<i64>>(),
            "{backend}: each saw the one before"
        );
        let table = store.table(id).await.unwrap();
        assert_eq!(
            (table.document.as_str(), table.seq),
            ("40", 40),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn a_change_that_needs_the_list_is_asked_again_with_it_and_can_replace_it() {
    for backend in
        backends("a_change_that_needs_the_list_is_asked_again_with_it_and_can_replace_it")
    {
        let (_db, store) = migrated(backend).await;
        let id = store
            .create_table(new_table(&Owner::Guest("ann".into()), true), LIMITS, NOW)
            .await
            .unwrap();
        let list = store
            .modify_table(id, NOW, |table, list| {
                Ok::<_, StoreError>(match list {
                    None => TableDecision::NeedList,
                    Some(list) => {
                        let mut update = bump(table, 0);
                        update.list = Some("[\"ACT\"]".into());
                        TableDecision::Done(Some(update), list.to_owned())
                    }
                })
            })
            .await
            .unwrap();
        assert_eq!(list, "[]", "{backend}");
        let again = store
            .modify_table(id, NOW, |_, list| {
                Ok::<_, StoreError>(match list {
                    None => TableDecision::NeedList,
                    Some(list) => TableDecision::Done(None, list.to_owned()),
                })
            })
            .await
            .unwrap();
        assert_eq!(again, "[\"ACT\"]", "{backend}");
    }
}

#[tokio::test]
async fn idle_and_abandoned_tables_close_and_are_no_longer_changed() {
    for backend in backends("idle_and_abandoned_tables_close_and_are_no_longer_changed") {
        let (_db, store) = migrated(backend).await;
        let owner = Owner::Guest("ann".into());
        let empty = store
            .create_table(new_table(&owner, true), LIMITS, NOW)
            .await
            .unwrap();
        let seated = store
            .create_table(new_table(&owner, true), LIMITS, NOW)
            .await
            .unwrap();
        store
            .modify_table(seated, NOW + 10, |t, _| {
                Ok::<_, StoreError>(TableDecision::Done(Some(bump(t, 2)), ()))
            })
            .await
            .unwrap();
        let closed = store
            .close_idle_tables(NOW + 20, NOW, NOW + 20)
            .await
            .unwrap();
        assert_eq!(closed, vec![empty], "{backend}: the seated table stays");
        let changed = store
            .modify_table(empty, NOW + 30, |t, _| {
                Ok::<_, StoreError>(TableDecision::Done(Some(bump(t, 1)), ()))
            })
            .await;
        assert!(matches!(changed, Err(StoreError::NotFound)), "{backend}");
        assert!(store.table(empty).await.unwrap().closed);
        let closed = store
            .close_idle_tables(NOW + 20, NOW + 11, NOW + 40)
            .await
            .unwrap();
        assert_eq!(
            closed,
            vec![seated],
            "{backend}: abandoned with players seated"
        );
        assert_eq!(store.open_tables().await.unwrap(), 0);
    }
}
