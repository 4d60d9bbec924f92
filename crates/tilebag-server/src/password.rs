//! Password hashing on a fixed pool of threads, each owning one Argon2 memory block for life.
//!
//! Argon2id with the default parameters fills 19 MiB per hash. Allocating that afresh for
//! every login on whichever blocking thread ran it let glibc grow a heap arena per thread and
//! keep it: a few hundred logins took the server from 20 MB to almost 500 MB, whatever the
//! number of hashes allowed at once. Here `workers` threads start once; each allocates its
//! block on its first job and reuses it for every hash after, so hashing never holds more than
//! `workers` × 19 MiB, by construction. Jobs wait in a bounded queue; when it is full a call
//! fails at once with [`PoolError::Busy`] (answered 503 with `Retry-After`) instead of piling
//! up.
//!
//! Hashes are standard PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so hashes
//! stored before this module existed verify unchanged, and stock `argon2` reads ours. A stored
//! hash that needs more memory than a worker's block is refused (it does not verify) rather
//! than allocated for.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

/// Why a password could not be hashed or checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// Every worker is busy and the queue is full: try again shortly.
    #[error("every password worker is busy and the queue is full")]
    Busy,
    /// The workers have stopped (or one failed on this job); the detail is in the log.
    #[error("the password workers have stopped")]
    Stopped,
}

/// One piece of work for a worker, with where to send its answer.
enum Job {
    /// Hash a new password.
    Hash {
        password: String,
        reply: oneshot::Sender<Result<String, String>>,
    },
    /// Check a password against a stored hash, or (`None`, an unknown user) spend the same
    /// effort on a hash that is thrown away.
    Verify {
        password: String,
        stored: Option<String>,
        reply: oneshot::Sender<bool>,
    },
}

impl Job {
    /// Whether the caller has stopped waiting (its request timed out or was dropped).
    fn abandoned(&self) -> bool {
        match self {
            Job::Hash { reply, .. } => reply.is_closed(),
            Job::Verify { reply, .. } => reply.is_closed(),
        }
    }
}

/// The password workers and their queue. Dropping the pool (with the last clone of the
/// state) lets the workers finish their queue and exit.
#[derive(Debug)]
pub struct PasswordPool {
    jobs: SyncSender<Job>,
    workers: usize,
    queue: usize,
    params: Params,
}

impl PasswordPool {
    /// Starts `workers` threads (at least one) hashing with the default Argon2id parameters,
    /// with room for `queue` waiting jobs.
    #[must_use]
    pub fn start(workers: usize, queue: usize) -> PasswordPool {
        PasswordPool::with_params(workers, queue, Params::DEFAULT)
    }

    /// Starts the pool with other Argon2 parameters (tests use cheap ones).
    #[must_use]
    pub fn with_params(workers: usize, queue: usize, params: Params) -> PasswordPool {
        let workers = workers.max(1);
        let (jobs, receiver) = sync_channel(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        let mut started = 0;
        for index in 0..workers {
            let receiver = Arc::clone(&receiver);
            let params = params.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("tilebag-hash-{index}"))
                .spawn(move || work(&receiver, &params));
            match spawned {
                Ok(_) => started += 1,
                Err(error) => tracing::error!(%error, "cannot start a password worker"),
            }
        }
        PasswordPool {
            jobs,
            workers: started,
            queue,
            params,
        }
    }

    /// Worker threads running.
    #[must_use]
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Jobs that may wait for a worker.
    #[must_use]
    pub fn queue(&self) -> usize {
        self.queue
    }

    /// Bytes of Argon2 memory each worker holds once it has hashed.
    #[must_use]
    pub fn block_bytes(&self) -> usize {
        self.params.block_count() * Block::SIZE
    }

    fn submit(&self, job: Job) -> Result<(), PoolError> {
        self.jobs.try_send(job).map_err(|error| match error {
            TrySendError::Full(_) => PoolError::Busy,
            TrySendError::Disconnected(_) => PoolError::Stopped,
        })
    }

    /// Hashes a new password with a fresh random salt, as a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, PoolError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Hash { password, reply })?;
        match answer.await {
            Ok(Ok(hash)) => Ok(hash),
            Ok(Err(detail)) => {
                tracing::error!(%detail, "hashing a password failed");
                Err(PoolError::Stopped)
            }
            Err(_) => Err(PoolError::Stopped),
        }
    }

    /// Whether `password` matches the stored PHC string. With no stored hash (an unknown
    /// username) the same work is done and the answer is `false`, so both take as long.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, PoolError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Verify {
            password,
            stored,
            reply,
        })?;
        answer.await.map_err(|_| PoolError::Stopped)
    }
}

/// A worker: takes jobs until the pool is dropped, reusing one memory block throughout.
fn work(jobs: &Mutex<Receiver<Job>>, params: &Params) {
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    // Allocated on the first job, so idle servers (and test servers that never hash) do not
    // hold it; never freed or grown after that.
    let mut memory: Vec<Block> = Vec::new();
    loop {
        // The lock is held only while waiting for the next job, not while hashing.
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else { return };
        if job.abandoned() {
            continue;
        }
        if memory.is_empty() {
            memory = vec![Block::default(); params.block_count()];
        }
        // A panic would lose this job only (its caller hears `Stopped`), not the worker.
        let done = std::panic::catch_unwind(AssertUnwindSafe(|| match job {
            Job::Hash { password, reply } => {
                let _ = reply.send(hash_new(&hasher, &password, &mut memory));
            }
            Job::Verify {
                password,
                stored,
                reply,
            } => {
                let matches = if let Some(stored) = stored {
                    verify_stored(&password, &stored, &mut memory)
                } else {
                    // The dummy check for unknown usernames: the cost of a real one.
                    let _ = hash_new(&hasher, &password, &mut memory);
                    false
                };
                let _ = reply.send(matches);
            }
        }));
        if done.is_err() {
            tracing::error!("a password job panicked");
        }
    }
}

/// A new PHC string for `password`, computed in `memory`.
fn hash_new(hasher: &Argon2<'_>, password: &str, memory: &mut [Block]) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let params = hasher.params();
    let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
    hasher
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory)
        .map_err(|e| e.to_string())?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches `stored`, computed in `memory`; `false` for anything that is not
/// an Argon2 PHC string or that needs more memory than `memory` has.
fn verify_stored(password: &str, stored: &str, memory: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        tracing::warn!("a stored password hash is not a PHC string");
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        tracing::warn!("a stored password hash is not an Argon2 hash with salt and output");
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    if params.block_count() > memory.len() {
        tracing::warn!(
            m_cost = params.m_cost(),
            worker_blocks = memory.len(),
            "a stored password hash needs more memory than a password worker has; refused"
        );
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let hasher = Argon2::new(algorithm, version, params);
    if hasher
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory)
        .is_err()
    {
        return false;
    }
    // `Output`'s equality is constant-time.
    Output::new(&out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[tokio::test]
    async fn pool_hashes_verify_with_stock_argon2_and_stock_hashes_verify_in_the_pool() {
        let pool = PasswordPool::start(1, 4);
        let ours = pool.hash("correct horse battery".into()).await.unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"wrong horse battery", &parsed)
                .is_err()
        );

        let salt = SaltString::generate(&mut OsRng);
        let stock = Argon2::default()
            .hash_password(b"tile bag shuffle", &salt)
            .unwrap()
            .to_string();
        assert!(
            pool.verify("tile bag shuffle".into(), Some(stock.clone()))
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify("tile bag shuffled".into(), Some(stock))
                .await
                .unwrap()
        );
        assert!(!pool.verify("anything".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_with_cheaper_or_other_argon2_params_verify_too() {
        let pool = PasswordPool::start(1, 4);
        for (algorithm, m, t) in [
            (Algorithm::Argon2id, 4096, 3),
            (Algorithm::Argon2i, 8192, 1),
        ] {
            let params = Params::new(m, t, 1, None).unwrap();
            let salt = SaltString::generate(&mut OsRng);
            let stored = Argon2::new(algorithm, Version::V0x13, params)
                .hash_password(b"older account", &salt)
                .unwrap()
                .to_string();
            assert!(
                pool.verify("older account".into(), Some(stored))
                    .await
                    .unwrap()
            );
        }
    }

    #[tokio::test]
    async fn a_stored_hash_needing_more_memory_than_a_worker_is_refused() {
        let small = Params::new(64, 1, 1, None).unwrap();
        let pool = PasswordPool::with_params(1, 4, small.clone());
        let salt = SaltString::generate(&mut OsRng);
        let fits = Argon2::new(Algorithm::Argon2id, Version::V0x13, small.clone())
            .hash_password(b"fits the block", &salt)
            .unwrap()
            .to_string();
        assert!(
            pool.verify("fits the block".into(), Some(fits))
                .await
                .unwrap()
        );
        let big = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(256, 1, 1, None).unwrap(),
        )
        .hash_password(b"needs a big block", &salt)
        .unwrap()
        .to_string();
        assert!(
            !pool
                .verify("needs a big block".into(), Some(big))
                .await
                .unwrap()
        );
        for junk in ["", "plain text", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ"] {
            assert!(!pool.verify("x".into(), Some(junk.into())).await.unwrap());
        }
    }

    #[tokio::test]
    async fn a_full_queue_fails_fast_with_busy_and_drains() {
        let pool = PasswordPool::start(1, 1);
        // The three calls submit within one poll, microseconds apart; a hash takes tens of
        // milliseconds, so one worker and one queue slot can take at most two of them.
        let (a, b, c) = tokio::join!(
            pool.hash("first password".into()),
            pool.hash("second password".into()),
            pool.hash("third password".into()),
        );
        let results = [a, b, c];
        let busy = results
            .iter()
            .filter(|r| **r == Err(PoolError::Busy))
            .count();
        assert!(busy >= 1, "{results:?}");
        assert!(
            results
                .iter()
                .all(|r| r.is_ok() || *r == Err(PoolError::Busy)),
            "{results:?}"
        );
        assert!(pool.hash("once the queue drained".into()).await.is_ok());
    }
}
