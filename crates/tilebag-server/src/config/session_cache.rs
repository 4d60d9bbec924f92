//! How long and how many looked-up sessions `tilebag serve` keeps in the process
//! ([`crate::session_cache`]), each a flag with an environment twin.

use std::time::Duration;

use clap::Args;

use crate::session_cache::SessionCacheSettings;

/// The session cache.
#[derive(Debug, Clone, Args)]
pub struct SessionCacheArgs {
    /// Seconds a looked-up session is kept in the process before the database is asked again
    /// (0: never kept); ended sessions are forgotten at once on every server.
    #[arg(
        long,
        env = "TILEBAG_SESSION_CACHE_SECONDS",
        default_value = "30",
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(0..=3600)
    )]
    pub session_cache_seconds: u64,
    /// Most sessions kept in the process (0: none); past that the oldest goes first.
    #[arg(
        long,
        env = "TILEBAG_SESSION_CACHE_ENTRIES",
        default_value = "10000",
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(0..=10_000_000)
    )]
    pub session_cache_entries: u32,
}

impl SessionCacheArgs {
    /// The cache's settings from these flags.
    #[must_use]
    pub fn settings(&self) -> SessionCacheSettings {
        SessionCacheSettings {
            ttl: Duration::from_secs(self.session_cache_seconds),
            entries: usize::try_from(self.session_cache_entries).unwrap_or(usize::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::SessionCacheArgs;
    use crate::session_cache::SessionCacheSettings;

    #[derive(Debug, Parser)]
    struct Command {
        #[command(flatten)]
        cache: SessionCacheArgs,
    }

    fn parse(args: &[&str]) -> Result<SessionCacheSettings, clap::Error> {
        let args = std::iter::once("serve").chain(args.iter().copied());
        Command::try_parse_from(args).map(|c| c.cache.settings())
    }

    #[test]
    fn session_cache_flags_default_to_30_seconds_and_10000_sessions_and_refuse_too_long() {
        assert_eq!(parse(&[]).unwrap(), SessionCacheSettings::default());
        assert_eq!(
            parse(&[
                "--session-cache-seconds",
                "0",
                "--session-cache-entries",
                "5"
            ])
            .unwrap(),
            SessionCacheSettings {
                ttl: Duration::ZERO,
                entries: 5
            }
        );
        let error = parse(&["--session-cache-seconds", "3601"]).unwrap_err();
        assert!(
            error.to_string().contains("--session-cache-seconds"),
            "{error}"
        );
    }
}
