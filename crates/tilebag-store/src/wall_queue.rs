//! One queue per wall in this process: changes to the same wall wait their turn here, holding
//! no database connection, instead of in the database's row lock, holding one each.
//!
//! The queue only orders this process's changes; the database still keeps replicas apart (on
//! PostgreSQL a change that finds its wall changed since it read it falls back to the row
//! lock, see `Store::modify_wall`). An entry lives only while a change to its wall is under
//! way or waiting, so the map holds at most one entry per change in flight.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OwnedMutexGuard;

/// The walls being changed in this process, each with its queue.
#[derive(Clone, Debug, Default)]
pub(crate) struct WallQueues(Arc<Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>>);

/// A change's turn on its wall: the next waits until this is dropped.
#[derive(Debug)]
pub(crate) struct Turn {
    queues: WallQueues,
    wall: i64,
    guard: Option<OwnedMutexGuard<()>>,
}

impl WallQueues {
    /// Waits for the turn to change `wall`.
    pub(crate) async fn turn(&self, wall: i64) -> Turn {
        let queue = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(wall)
            .or_default()
            .clone();
        let guard = queue.lock_owned().await;
        Turn {
            queues: self.clone(),
            wall,
            guard: Some(guard),
        }
    }

    /// Walls with a change under way or waiting.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut queues = self.queues.0.lock().unwrap_or_else(PoisonError::into_inner);
        // The map's own reference is the last one: nobody waits on this wall.
        if queues
            .get(&self.wall)
            .is_some_and(|queue| Arc::strong_count(queue) == 1)
        {
            queues.remove(&self.wall);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WallQueues;

    #[tokio::test]
    async fn changes_to_one_wall_take_turns_and_the_map_empties_after() {
        let queues = WallQueues::default();
        let first = queues.turn(1).await;
        let other_wall = queues.turn(2).await;
        let waiting = tokio::spawn({
            let queues = queues.clone();
            async move { drop(queues.turn(1).await) }
        });
        // The second change to wall 1 cannot have its turn while the first holds it.
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(first);
        waiting.await.unwrap();
        drop(other_wall);
        assert_eq!(queues.len(), 0, "no entry outlives its changes");
    }
}
