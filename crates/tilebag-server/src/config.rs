//! Settings of `tilebag serve`, each a flag with an environment variable twin.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use clap::{Args, ValueEnum};

pub use crate::connections::ConnectionLimits;

pub mod database;
pub use database::{DurabilityArg, PoolArgs};
pub mod session_cache;
pub use session_cache::SessionCacheArgs;

/// Where the database is.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DATABASE` [default: `sqlite://DATA_DIR/tilebag.db`]
    #[arg(
        long,
        env = "TILEBAG_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    /// The URL to use: the one given, or a SQLite file in the data directory.
    #[must_use]
    pub fn url(&self, data_dir: &Path) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tilebag.db").display()))
    }
}

/// What the server does about pending migrations at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateMode {
    /// Apply pending migrations before serving (the default on SQLite).
    Auto,
    /// Never migrate; report not-ready while the schema is behind (the default on PostgreSQL,
    /// where a migration job runs `tilebag migrate` before a deploy).
    Check,
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// For people.
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// The `serve` command's settings.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "TILEBAG_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR:PORT"
    )]
    pub listen: SocketAddr,
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The database connection pool.
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Sessions kept in the process.
    #[command(flatten)]
    pub session_cache: SessionCacheArgs,
    /// Apply pending migrations at start-up (auto) or only report them (check)
    /// [default: auto on SQLite, check on PostgreSQL]
    #[arg(long, env = "TILEBAG_MIGRATE", value_enum)]
    pub migrate: Option<MigrateMode>,
    /// Log format.
    #[arg(long, env = "TILEBAG_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Seconds that in-flight requests get to finish after SIGTERM or Ctrl-C.
    #[arg(
        long,
        env = "TILEBAG_SHUTDOWN_TIMEOUT",
        default_value = "20",
        value_name = "SECONDS"
    )]
    pub shutdown_timeout: u64,
    /// Seconds a request may take before it is answered 408.
    #[arg(
        long,
        env = "TILEBAG_REQUEST_TIMEOUT",
        default_value = "30",
        value_name = "SECONDS"
    )]
    pub request_timeout: u64,
    /// Limits on connections.
    #[command(flatten)]
    pub connections: ConnectionArgs,
    /// Mark session cookies Secure (set this when a proxy in front serves HTTPS).
    #[arg(long, env = "TILEBAG_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Threads that hash passwords; each holds 19 MiB of Argon2 memory once it has hashed
    /// (one keeps a small server under 64 MB; raise it where logins queue and memory allows).
    #[arg(
        long,
        env = "TILEBAG_HASHING_WORKERS",
        default_value = "1",
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..=256)
    )]
    pub hashing_workers: u16,
    /// Logins, registrations and password changes that may wait for a hashing thread; more
    /// are answered 503 with Retry-After.
    #[arg(
        long,
        env = "TILEBAG_HASHING_QUEUE",
        default_value = "64",
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=100_000)
    )]
    pub hashing_queue: u32,
    /// Most alphagrams one player may keep in saved lists.
    #[arg(
        long,
        env = "TILEBAG_MAX_SAVED_ALPHAGRAMS",
        default_value = "100000",
        value_name = "N"
    )]
    pub max_saved_alphagrams: i64,
    /// Most spaced-repetition cards one player may keep in all their decks.
    #[arg(
        long,
        env = "TILEBAG_MAX_CARDS",
        default_value = "200000",
        value_name = "N",
        value_parser = clap::value_parser!(i64).range(1..=10_000_000)
    )]
    pub max_cards: i64,
    /// Most multiplayer tables open at once; each player or guest may have 3 of them open.
    #[arg(
        long,
        env = "TILEBAG_MAX_TABLES",
        default_value = "200",
        value_name = "N",
        value_parser = clap::value_parser!(i64).range(1..=100_000)
    )]
    pub max_tables: i64,
    /// Minutes a table with no one seated stays open; one where nothing at all happens for
    /// ten times as long closes too.
    #[arg(
        long,
        env = "TILEBAG_TABLE_IDLE_MINUTES",
        default_value = "30",
        value_name = "MINUTES",
        value_parser = clap::value_parser!(i64).range(1..=10_080)
    )]
    pub table_idle_minutes: i64,
    /// Challenge settings.
    #[command(flatten)]
    pub challenges: ChallengeArgs,
    /// Rate limits.
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Answer `/metrics` only to requests with `Authorization: Bearer TOKEN` [default: open to
    /// all]. `TILEBAG_METRICS_TOKEN_FILE` names a file holding the token instead.
    #[arg(
        long,
        env = "TILEBAG_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// Do not run the daily job inside the server (when `tilebag daily` runs as a cron job).
    #[arg(long, env = "TILEBAG_NO_DAILY_JOB")]
    pub no_daily_job: bool,
    /// HTTPS settings.
    #[command(flatten)]
    pub https: HttpsArgs,
}

/// How long slow and idle connections are kept, and how many at once.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Seconds a client gets to send a request's headers (from the first byte; on a new
    /// connection, from when it opens).
    #[arg(long, env = "TILEBAG_HEADER_TIMEOUT", default_value = "10", value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT))]
    pub header_timeout: u64,
    /// Seconds a keep-alive connection may wait for its next request, or stall while a
    /// response is sent, before it is closed.
    #[arg(long, env = "TILEBAG_IDLE_TIMEOUT", default_value = "60", value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT))]
    pub idle_timeout: u64,
    /// Seconds a client gets to complete the TLS handshake.
    #[arg(long, env = "TILEBAG_TLS_HANDSHAKE_TIMEOUT", default_value = "10", value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT))]
    pub tls_handshake_timeout: u64,
    /// Most connections open at once (lowered to fit the open-file limit); more wait to be
    /// accepted until one closes.
    #[arg(long, env = "TILEBAG_MAX_CONNECTIONS", default_value = "768", value_name = "N",
        value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
}

/// The longest timeout a flag accepts: a day.
const MAX_TIMEOUT: u64 = 86_400;

impl ConnectionArgs {
    /// The limits these flags ask for.
    #[must_use]
    pub fn limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: Duration::from_secs(self.header_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            tls_handshake_timeout: Duration::from_secs(self.tls_handshake_timeout),
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
        }
    }
}

/// Built-in HTTPS, or trust in a proxy that terminates it.
#[derive(Debug, Clone, Args)]
#[allow(clippy::struct_excessive_bools, reason = "each is a switch of its own")]
pub struct HttpsArgs {
    /// Serve HTTPS for this domain with a certificate from an ACME CA (repeat for more names).
    #[arg(
        long = "domain",
        env = "TILEBAG_DOMAINS",
        value_delimiter = ',',
        value_name = "DOMAIN"
    )]
    pub domains: Vec<String>,
    /// Contact address the ACME CA sends expiry notices to.
    #[arg(long, env = "TILEBAG_ACME_EMAIL", value_name = "EMAIL")]
    pub acme_email: Option<String>,
    /// ACME directory URL (Let's Encrypt by default; e.g. its staging URL or a private CA).
    #[arg(long, env = "TILEBAG_ACME_DIRECTORY", default_value = crate::tls::acme::LETS_ENCRYPT, value_name = "URL")]
    pub acme_directory: String,
    /// A PEM root certificate to trust for the ACME CA's API (private or test CAs).
    #[arg(long, env = "TILEBAG_ACME_ROOT", value_name = "FILE")]
    pub acme_root: Option<std::path::PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM), reloaded when it changes.
    #[arg(
        long,
        env = "TILEBAG_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key",
        conflicts_with = "domains"
    )]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The private key (PEM) for --tls-cert.
    #[arg(
        long,
        env = "TILEBAG_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_key: Option<std::path::PathBuf>,
    /// A name the port-80 redirect may send browsers to (repeat for more) [default: the
    /// --domain names, or the names in the --tls-cert certificate]. A request for any other
    /// Host is sent to the first.
    #[arg(
        long = "public-host",
        env = "TILEBAG_PUBLIC_HOSTS",
        value_delimiter = ',',
        value_name = "NAME"
    )]
    pub public_hosts: Vec<String>,
    /// Where HTTPS listens.
    #[arg(
        long,
        env = "TILEBAG_HTTPS_LISTEN",
        default_value = "0.0.0.0:443",
        value_name = "ADDR:PORT"
    )]
    pub https_listen: SocketAddr,
    /// Where the redirect to HTTPS (and the ACME HTTP-01 challenge) listens.
    #[arg(
        long,
        env = "TILEBAG_HTTP_LISTEN",
        default_value = "0.0.0.0:80",
        value_name = "ADDR:PORT"
    )]
    pub http_listen: SocketAddr,
    /// Renew a certificate when fewer than this many days are left.
    #[arg(
        long,
        env = "TILEBAG_RENEW_BEFORE_DAYS",
        default_value = "30",
        value_name = "DAYS"
    )]
    pub renew_before_days: u64,
    /// Seconds between certificate checks (renewal due? files changed?).
    #[arg(
        long,
        env = "TILEBAG_CERTIFICATE_CHECK_SECONDS",
        default_value = "3600",
        value_name = "SECONDS"
    )]
    pub certificate_check_seconds: u64,
    /// HSTS max-age in seconds.
    #[arg(
        long,
        env = "TILEBAG_HSTS_MAX_AGE",
        default_value = "31536000",
        value_name = "SECONDS"
    )]
    pub hsts_max_age: u64,
    /// Add `includeSubDomains` to HSTS.
    #[arg(long, env = "TILEBAG_HSTS_INCLUDE_SUBDOMAINS")]
    pub hsts_include_subdomains: bool,
    /// Trust X-Forwarded-Proto and X-Forwarded-For from the proxies in --trusted-proxy.
    #[arg(long, env = "TILEBAG_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// Addresses or networks (`10.0.0.0/8`) of proxies to trust [default with --behind-proxy:
    /// `127.0.0.1` and `::1`].
    #[arg(
        long = "trusted-proxy",
        env = "TILEBAG_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP[/BITS]"
    )]
    pub trusted_proxies: Vec<Network>,
}

impl HttpsArgs {
    /// The HTTPS settings these flags ask for, if any.
    #[must_use]
    pub fn tls(&self, data_dir: &std::path::Path) -> Option<crate::tls::TlsSettings> {
        let source = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => crate::tls::Source::Files(
                crate::tls::files::CertFiles {
                    cert: cert.clone(),
                    key: key.clone(),
                },
                Duration::from_secs(self.certificate_check_seconds.clamp(1, 60)),
            ),
            _ if !self.domains.is_empty() => {
                crate::tls::Source::Acme(crate::tls::acme::AcmeSettings {
                    domains: self.domains.clone(),
                    email: self.acme_email.clone(),
                    directory: self.acme_directory.clone(),
                    root: self.acme_root.clone(),
                    dir: data_dir.join("tls"),
                    renew_before: Duration::from_secs(
                        self.renew_before_days.saturating_mul(86_400),
                    ),
                    check_every: Duration::from_secs(self.certificate_check_seconds.max(1)),
                })
            }
            _ => return None,
        };
        let public_hosts = if self.public_hosts.is_empty() {
            self.domains.clone()
        } else {
            self.public_hosts.clone()
        };
        Some(crate::tls::TlsSettings {
            public_hosts: public_hosts
                .iter()
                .map(|name| name.to_ascii_lowercase())
                .collect(),
            source,
            hsts_max_age: self.hsts_max_age,
            hsts_include_subdomains: self.hsts_include_subdomains,
        })
    }

    /// The proxies whose forwarded headers are believed (none unless --behind-proxy).
    #[must_use]
    pub fn proxies(&self) -> Vec<Network> {
        match (self.behind_proxy, self.trusted_proxies.is_empty()) {
            (false, _) => Vec::new(),
            (true, true) => vec![
                Network::host(std::net::Ipv4Addr::LOCALHOST.into()),
                Network::host(std::net::Ipv6Addr::LOCALHOST.into()),
            ],
            (true, false) => self.trusted_proxies.clone(),
        }
    }
}

/// Rate limits on logins, registrations and guests (counted per server process).
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Failed logins one address may make on one account in 15 minutes.
    #[arg(
        long,
        env = "TILEBAG_LOGIN_FAILURES_PER_ACCOUNT",
        default_value = "5",
        value_name = "N"
    )]
    pub login_failures_per_account: u32,
    /// Failed logins one address may make on all accounts in 15 minutes.
    #[arg(
        long,
        env = "TILEBAG_LOGIN_FAILURES_PER_ADDRESS",
        default_value = "20",
        value_name = "N"
    )]
    pub login_failures_per_address: u32,
    /// Accounts one address may register in an hour.
    #[arg(
        long,
        env = "TILEBAG_REGISTRATIONS_PER_HOUR",
        default_value = "10",
        value_name = "N"
    )]
    pub registrations_per_hour: u32,
    /// Accounts the whole site may register in an hour.
    #[arg(
        long,
        env = "TILEBAG_REGISTRATIONS_PER_HOUR_TOTAL",
        default_value = "200",
        value_name = "N"
    )]
    pub registrations_per_hour_total: u32,
    /// Walls one guest (a browser without an account) may start in an hour.
    #[arg(
        long,
        env = "TILEBAG_GUEST_WALLS_PER_HOUR",
        default_value = "30",
        value_name = "N"
    )]
    pub guest_walls_per_hour: u32,
    /// Walls all guests at one address may start in an hour.
    #[arg(
        long,
        env = "TILEBAG_GUEST_WALLS_PER_ADDRESS_PER_HOUR",
        default_value = "120",
        value_name = "N"
    )]
    pub guest_walls_per_address_per_hour: u32,
    /// Walls all guests together may start in an hour.
    #[arg(
        long,
        env = "TILEBAG_GUEST_WALLS_PER_HOUR_TOTAL",
        default_value = "2000",
        value_name = "N"
    )]
    pub guest_walls_per_hour_total: u32,
    /// Most questions in a guest's wall (players with accounts may study longer lists).
    #[arg(
        long,
        env = "TILEBAG_GUEST_MAX_QUESTIONS",
        default_value = "1000",
        value_name = "N"
    )]
    pub guest_max_questions: usize,
}

impl LimitArgs {
    /// The limits these flags set.
    #[must_use]
    pub fn limits(&self) -> (LoginLimit, RegistrationLimit, GuestLimit) {
        (
            LoginLimit {
                per_account: self.login_failures_per_account,
                per_address: self.login_failures_per_address,
                window: Duration::from_mins(15),
            },
            RegistrationLimit {
                per_address: self.registrations_per_hour,
                total: self.registrations_per_hour_total,
            },
            GuestLimit {
                walls_per_guest: self.guest_walls_per_hour,
                walls_per_address: self.guest_walls_per_address_per_hour,
                walls_total: self.guest_walls_per_hour_total,
                max_questions: self.guest_max_questions,
            },
        )
    }
}

/// Daily challenge settings, shared by `serve` and `daily`.
#[derive(Debug, Clone, Args)]
pub struct ChallengeArgs {
    /// Time zone whose midnight starts a challenge day, e.g. Europe/London.
    #[arg(
        long,
        env = "TILEBAG_CHALLENGE_TIME_ZONE",
        default_value = "UTC",
        value_name = "ZONE"
    )]
    pub challenge_time_zone: chrono_tz::Tz,
    /// Fewest players a challenge needs before medals are awarded.
    #[arg(
        long,
        env = "TILEBAG_MEDAL_MIN_ENTRIES",
        default_value = "3",
        value_name = "N"
    )]
    pub medal_min_entries: usize,
}

/// Settings the running server consults.
#[derive(Debug, Clone)]
pub struct Config {
    /// Set `Secure` on cookies.
    pub secure_cookies: bool,
    /// Whether pending migrations were applied at start-up or only checked.
    pub migrate: MigrateMode,
    /// Time in-flight requests get after a shutdown signal.
    pub shutdown_timeout: Duration,
    /// Time a request may take.
    pub request_timeout: Duration,
    /// Limits on connections.
    pub connections: ConnectionLimits,
    /// Failed logins allowed per account and address, and per address, in one window.
    pub login_limit: LoginLimit,
    /// Registrations allowed per address, and in all, in an hour.
    pub registration_limit: RegistrationLimit,
    /// What guests may create.
    pub guest_limit: GuestLimit,
    /// Threads that hash passwords (each holds one Argon2 memory block, 19 MiB).
    pub hashing_workers: usize,
    /// Password jobs that may wait for a hashing thread before calls are refused as busy.
    pub hashing_queue: usize,
    /// Most alphagrams one player may keep in saved lists.
    pub max_saved_alphagrams: i64,
    /// Most spaced-repetition cards one player may keep.
    pub max_cards: i64,
    /// Most tables open at once.
    pub max_tables: i64,
    /// Minutes an empty table stays open.
    pub table_idle_minutes: i64,
    /// Time zone of the challenge day.
    pub challenge_zone: chrono_tz::Tz,
    /// Fewest players before medals are awarded.
    pub medal_min_entries: usize,
    /// Run the daily job on a schedule inside the server (off when a cron job runs it, or
    /// in tests that drive it with their own clock).
    pub run_daily_job: bool,
    /// Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed.
    pub trusted_proxies: Vec<Network>,
    /// The bearer token `/metrics` asks for, if any.
    pub metrics_token: Option<Secret>,
    /// How long and how many looked-up sessions are kept in the process.
    pub session_cache: crate::session_cache::SessionCacheSettings,
}

/// A secret setting: its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// Whether `sent` is the secret, compared in time that does not depend on where they differ.
    #[must_use]
    pub fn matches(&self, sent: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), sent.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
    }
}

/// How many failed logins are allowed before a pause.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimit {
    /// Failures on one account from one address per window.
    pub per_account: u32,
    /// Failures per client address per window.
    pub per_address: u32,
    /// The window.
    pub window: Duration,
}

/// How many accounts may be registered in an hour.
#[derive(Debug, Clone, Copy)]
pub struct RegistrationLimit {
    /// From one address.
    pub per_address: u32,
    /// On the whole site.
    pub total: u32,
}

/// What guests (players without an account) may create.
#[derive(Debug, Clone, Copy)]
pub struct GuestLimit {
    /// Walls per guest cookie per hour.
    pub walls_per_guest: u32,
    /// Walls per address per hour, whatever the cookie.
    pub walls_per_address: u32,
    /// Walls of all guests per hour.
    pub walls_total: u32,
    /// Questions in one guest wall.
    pub max_questions: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            migrate: MigrateMode::Auto,
            shutdown_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(30),
            connections: ConnectionLimits::default(),
            login_limit: LoginLimit {
                per_account: 5,
                per_address: 20,
                window: Duration::from_mins(15),
            },
            registration_limit: RegistrationLimit {
                per_address: 10,
                total: 200,
            },
            guest_limit: GuestLimit {
                walls_per_guest: 30,
                walls_per_address: 120,
                walls_total: 2000,
                max_questions: 1000,
            },
            hashing_workers: 1,
            hashing_queue: 64,
            max_saved_alphagrams: 100_000,
            max_cards: 200_000,
            max_tables: 200,
            table_idle_minutes: 30,
            challenge_zone: chrono_tz::UTC,
            medal_min_entries: 3,
            run_daily_job: true,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            session_cache: crate::session_cache::SessionCacheSettings::default(),
        }
    }
}

/// An address or a network of addresses, written `10.1.2.3` or `10.0.0.0/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: std::net::IpAddr,
    bits: u8,
}

impl Network {
    /// Just one address.
    #[must_use]
    pub fn host(address: std::net::IpAddr) -> Network {
        Network {
            address,
            bits: if address.is_ipv4() { 32 } else { 128 },
        }
    }

    /// Whether `ip` is in the network.
    #[must_use]
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let (network, ip, width) = match (self.address, ip) {
            (std::net::IpAddr::V4(n), std::net::IpAddr::V4(i)) => {
                (u128::from(u32::from(n)), u128::from(u32::from(i)), 32)
            }
            (std::net::IpAddr::V6(n), std::net::IpAddr::V6(i)) => {
                (u128::from(n), u128::from(i), 128)
            }
            _ => return false,
        };
        let shift = width - u32::from(self.bits);
        let mask = if shift >= 128 {
            0
        } else {
            (u128::MAX << shift)
                & if width == 32 {
                    u128::from(u32::MAX)
                } else {
                    u128::MAX
                }
        };
        network & mask == ip & mask
    }
}

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Network, String> {
        let (address, bits) = text
            .split_once('/')
            .map_or((text, None), |(a, b)| (a, Some(b)));
        let address: std::net::IpAddr = address
            .trim()
            .parse()
            .map_err(|_| format!("“{text}” is not an IP address or network like 10.0.0.0/8"))?;
        let width = if address.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(bits) => bits
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|b| u32::from(*b) <= width)
                .ok_or_else(|| format!("“{text}”: the prefix length must be 0 to {width}"))?,
            None => width as u8,
        };
        Ok(Network { address, bits })
    }
}

#[cfg(test)]
mod tests {
    use super::Network;

    #[test]
    fn networks_contain_their_addresses() {
        let pods: Network = "10.244.0.0/16".parse().unwrap();
        assert!(pods.contains("10.244.3.7".parse().unwrap()));
        assert!(!pods.contains("10.245.0.1".parse().unwrap()));
        assert!(!pods.contains("::1".parse().unwrap()));
        let one: Network = "127.0.0.1".parse().unwrap();
        assert!(
            one.contains("127.0.0.1".parse().unwrap())
                && !one.contains("127.0.0.2".parse().unwrap())
        );
        let all: Network = "::/0".parse().unwrap();
        assert!(all.contains("2001:db8::1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Network>().is_err() && "ten".parse::<Network>().is_err());
    }
}
