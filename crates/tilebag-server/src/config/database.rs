//! How `tilebag serve` keeps its database connections: the pool's size and timeouts, and
//! whether a commit waits for its flush to disk.
//!
//! Each is a flag with an environment twin, checked by clap at start-up.

use std::time::Duration;

use clap::{Args, ValueEnum};
use tilebag_store::{Durability, PoolSettings};

/// What a commit promises if the database server or its machine crashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DurabilityArg {
    /// Each commit is flushed to disk before it is acknowledged: a crash loses nothing.
    Strict,
    /// Commits are acknowledged before their flush: a crash can lose the last fraction of a
    /// second of them, never corrupting anything (SQLite's long-standing setting here).
    Relaxed,
}

/// The database connection pool.
#[derive(Debug, Clone, Args)]
pub struct PoolArgs {
    /// Most database connections open at once [default: 16 on PostgreSQL; on SQLite 8 for
    /// reading, beside the one that writes]
    #[arg(
        long,
        env = "TILEBAG_DATABASE_POOL_SIZE",
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=1000)
    )]
    pub database_pool_size: Option<u32>,
    /// Seconds a request waits for a free database connection before it fails.
    #[arg(
        long,
        env = "TILEBAG_DATABASE_ACQUIRE_TIMEOUT",
        default_value = "10",
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub database_acquire_timeout: u64,
    /// Seconds an unused database connection stays open before it is closed (0: no limit;
    /// every connection is replaced once it is 30 minutes old).
    #[arg(
        long,
        env = "TILEBAG_DATABASE_IDLE_TIMEOUT",
        default_value = "600",
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(0..=86_400)
    )]
    pub database_idle_timeout: u64,
    /// Whether a commit waits for its flush to disk (strict) or not (relaxed: a crash of the
    /// database or its machine can lose the last fraction of a second of commits, never
    /// corrupting anything).
    #[arg(
        long,
        env = "TILEBAG_DATABASE_DURABILITY",
        value_enum,
        default_value = "relaxed"
    )]
    pub database_durability: DurabilityArg,
}

impl PoolArgs {
    /// The store's settings from these flags.
    #[must_use]
    pub fn settings(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.database_pool_size,
            acquire_timeout: Duration::from_secs(self.database_acquire_timeout),
            idle_timeout: (self.database_idle_timeout > 0)
                .then(|| Duration::from_secs(self.database_idle_timeout)),
            durability: match self.database_durability {
                DurabilityArg::Strict => Durability::Strict,
                DurabilityArg::Relaxed => Durability::Relaxed,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;
    use tilebag_store::{Durability, PoolSettings};

    use super::PoolArgs;

    #[derive(Debug, Parser)]
    struct Command {
        #[command(flatten)]
        pool: PoolArgs,
    }

    fn parse(args: &[&str]) -> Result<PoolSettings, clap::Error> {
        let args = std::iter::once("serve").chain(args.iter().copied());
        Command::try_parse_from(args).map(|c| c.pool.settings())
    }

    #[test]
    fn pool_flags_default_to_the_stores_defaults() {
        assert_eq!(parse(&[]).unwrap(), PoolSettings::default());
        assert_eq!(
            PoolSettings::default(),
            PoolSettings {
                max_connections: None,
                acquire_timeout: Duration::from_secs(10),
                idle_timeout: Some(Duration::from_mins(10)),
                durability: Durability::Relaxed,
            }
        );
    }

    #[test]
    fn pool_flags_set_size_timeouts_and_durability_and_zero_idle_means_no_limit() {
        let settings = parse(&[
            "--database-pool-size",
            "32",
            "--database-acquire-timeout",
            "3",
            "--database-idle-timeout",
            "0",
            "--database-durability",
            "strict",
        ])
        .unwrap();
        assert_eq!(
            settings,
            PoolSettings {
                max_connections: Some(32),
                acquire_timeout: Duration::from_secs(3),
                idle_timeout: None,
                durability: Durability::Strict,
            }
        );
    }

    #[test]
    fn pool_flags_refuse_sizes_and_timeouts_out_of_range() {
        for args in [
            ["--database-pool-size", "0"],
            ["--database-pool-size", "1001"],
            ["--database-acquire-timeout", "0"],
            ["--database-idle-timeout", "86401"],
            ["--database-durability", "sometimes"],
        ] {
            let error = parse(&args).unwrap_err();
            assert!(error.to_string().contains(args[0]), "{args:?}: {error}");
        }
    }
}
