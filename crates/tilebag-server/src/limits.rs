//! Rate limits in sliding windows, kept in memory per server process: failed logins,
//! registrations and guests' walls.
//!
//! Failed logins count per account *and address* and per address, so five wrong passwords
//! from one place pause that place only: the owner, elsewhere, still logs in. Every table is
//! bounded; past [`MAX_KEYS`] keys the oldest windows are dropped first (and a warning
//! logged), so a flood from many addresses costs memory only up to that bound.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use crate::config::{GuestLimit, LoginLimit, RegistrationLimit};

/// Most keys (account-address pairs, addresses, guests) remembered at once.
pub const MAX_KEYS: usize = 100_000;

/// Event times (Unix milliseconds, from the clock) per key, each key with its window.
#[derive(Debug, Default)]
struct Windows {
    keys: HashMap<String, (i64, Vec<i64>)>,
}

impl Windows {
    /// `Err(wait)` if `key` already has `limit` events in its window at `now`.
    fn check(&mut self, key: &str, limit: u32, window: i64, now: i64) -> Result<(), Duration> {
        let Some((_, times)) = self.keys.get_mut(key) else {
            return if limit == 0 {
                Err(Duration::from_millis(window.unsigned_abs()))
            } else {
                Ok(())
            };
        };
        times.retain(|t| now - *t < window);
        let limit = limit as usize;
        if times.len() < limit {
            return Ok(());
        }
        let oldest = times[times.len().saturating_sub(limit.max(1))];
        Err(Duration::from_millis(
            (window - (now - oldest)).max(0).unsigned_abs(),
        ))
    }

    /// Records an event for `key` at `now`.
    fn record(&mut self, key: String, window: i64, now: i64) {
        if self.keys.len() >= MAX_KEYS && !self.keys.contains_key(&key) {
            self.keys
                .retain(|_, (w, times)| times.last().is_some_and(|t| now - *t < *w));
            if self.keys.len() >= MAX_KEYS {
                tracing::warn!(
                    keys = self.keys.len(),
                    "rate-limit table full: forgetting the oldest half"
                );
                let mut last: Vec<i64> = self
                    .keys
                    .values()
                    .filter_map(|(_, times)| times.last().copied())
                    .collect();
                last.sort_unstable();
                let median = last.get(last.len() / 2).copied().unwrap_or(now);
                self.keys
                    .retain(|_, (_, times)| times.last().is_some_and(|t| *t > median));
            }
        }
        let entry = self.keys.entry(key).or_insert_with(|| (window, Vec::new()));
        entry.1.retain(|t| now - *t < window);
        entry.1.push(now);
    }

    /// Takes back an event recorded for `key` at `at`.
    fn take_back(&mut self, key: &str, at: i64) {
        if let Some((_, times)) = self.keys.get_mut(key)
            && let Some(i) = times.iter().rposition(|t| *t == at)
        {
            times.remove(i);
        }
    }
}

/// An address as the limits count it: an IPv4 address alone, an IPv6 address by its /64
/// (one host is usually given a whole /64, so counting single addresses would let it past
/// every limit).
struct ClientKey(IpAddr);

impl std::fmt::Display for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => {
                if let Some(v4) = v6.to_ipv4_mapped() {
                    write!(f, "{v4}")
                } else {
                    let s = v6.segments();
                    write!(f, "{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            }
        }
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The server's rate limits.
#[derive(Debug)]
pub struct Limits {
    login: LoginLimit,
    registration: RegistrationLimit,
    guest: GuestLimit,
    windows: Mutex<Windows>,
}

impl Limits {
    /// Limits with these settings.
    #[must_use]
    pub fn new(login: LoginLimit, registration: RegistrationLimit, guest: GuestLimit) -> Limits {
        Limits {
            login,
            registration,
            guest,
            windows: Mutex::new(Windows::default()),
        }
    }

    fn windows(&self) -> std::sync::MutexGuard<'_, Windows> {
        self.windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Admits a login attempt from `client`, or `Err(wait)` while this address has used up
    /// its failed logins, for this account or for all accounts. The attempt counts as a
    /// failure from now on, so parallel guesses cannot all pass the check before any is
    /// counted; [`Limits::login_succeeded`] (or dropping the admission, when the attempt was
    /// never checked) takes it back.
    pub fn admit_login(
        &self,
        account: &str,
        client: IpAddr,
        now: i64,
    ) -> Result<Admission<'_>, Duration> {
        let window = millis(self.login.window);
        let client = ClientKey(client);
        let keys = [
            format!("login:{account}@{client}"),
            format!("login-from:{client}"),
        ];
        let mut windows = self.windows();
        windows.check(&keys[0], self.login.per_account, window, now)?;
        windows.check(&keys[1], self.login.per_address, window, now)?;
        Ok(self.admit(&mut windows, keys, window, now))
    }

    /// A login admitted by [`Limits::admit_login`] was right: this address's failures on the
    /// account are forgotten, and the attempt does not count against the address.
    pub fn login_succeeded(&self, admission: Admission<'_>, account: &str, client: IpAddr) {
        drop(admission);
        self.windows()
            .keys
            .remove(&format!("login:{account}@{}", ClientKey(client)));
    }

    /// Admits a registration from `client` at `now`, or `Err(wait)` when the address, or the
    /// whole site, has had its registrations for the hour. Keep the admission once the
    /// account exists.
    pub fn admit_registration(&self, client: IpAddr, now: i64) -> Result<Admission<'_>, Duration> {
        let window = millis(Duration::from_hours(1));
        let keys = [
            format!("register-from:{}", ClientKey(client)),
            "register".to_owned(),
        ];
        let mut windows = self.windows();
        windows.check(&keys[0], self.registration.per_address, window, now)?;
        windows.check(&keys[1], self.registration.total, window, now)?;
        Ok(self.admit(&mut windows, keys, window, now))
    }

    fn admit(
        &self,
        windows: &mut Windows,
        keys: [String; 2],
        window: i64,
        now: i64,
    ) -> Admission<'_> {
        for key in &keys {
            windows.record(key.clone(), window, now);
        }
        Admission {
            limits: Some(self),
            keys: Vec::from(keys),
            at: now,
        }
    }

    /// Admits a new guest wall from this guest (the hash of its cookie) at `client`, or
    /// `Err(wait)` when either has made its walls for the hour. The admission is taken back
    /// unless [`Admission::keep`] is called once the wall exists.
    pub fn admit_guest_wall(
        &self,
        guest: &str,
        client: IpAddr,
        now: i64,
    ) -> Result<Admission<'_>, Duration> {
        let window = millis(Duration::from_hours(1));
        let keys = [
            format!("guest:{guest}"),
            format!("guest-from:{}", ClientKey(client)),
        ];
        let mut windows = self.windows();
        windows.check(&keys[0], self.guest.walls_per_guest, window, now)?;
        windows.check(&keys[1], self.guest.walls_per_address, window, now)?;
        windows.check("guest-walls", self.guest.walls_total, window, now)?;
        windows.record("guest-walls".to_owned(), window, now);
        Ok(self.admit(&mut windows, keys, window, now))
    }

    /// Keys remembered now (for tests and metrics).
    pub fn len(&self) -> usize {
        self.windows().keys.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A counted event that is taken back when dropped, unless kept: a wall that could not be
/// made does not use up a guest's hour.
#[derive(Debug)]
#[must_use = "an admission is taken back when dropped; keep it once the thing exists"]
pub struct Admission<'a> {
    limits: Option<&'a Limits>,
    keys: Vec<String>,
    at: i64,
}

impl Admission<'_> {
    /// An admission that counts nothing (players with accounts).
    pub fn free() -> Admission<'static> {
        Admission {
            limits: None,
            keys: Vec::new(),
            at: 0,
        }
    }

    /// The thing was made: the event stays counted.
    pub fn keep(mut self) {
        self.limits = None;
    }
}

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        if let Some(limits) = self.limits {
            let mut windows = limits.windows();
            for key in &self.keys {
                windows.take_back(key, self.at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Windows;

    #[test]
    fn a_window_admits_its_limit_then_says_how_long_to_wait() {
        let mut windows = Windows::default();
        for at in [0, 10, 20] {
            assert!(windows.check("k", 3, 1000, at).is_ok());
            windows.record("k".into(), 1000, at);
        }
        let wait = windows.check("k", 3, 1000, 500).unwrap_err();
        assert_eq!(
            wait.as_millis(),
            500,
            "the oldest event leaves the window at 1000"
        );
        assert!(windows.check("k", 3, 1000, 1000).is_ok());
        assert!(windows.check("other", 3, 1000, 500).is_ok());
    }

    #[test]
    fn a_full_table_forgets_the_oldest_keys() {
        let mut windows = Windows::default();
        for n in 0..super::MAX_KEYS {
            windows.record(format!("k{n}"), i64::MAX, i64::try_from(n).unwrap());
        }
        windows.record("new".into(), i64::MAX, 1_000_000);
        assert!(windows.keys.len() <= super::MAX_KEYS / 2 + 1);
        assert!(windows.keys.contains_key("new") && windows.keys.contains_key("k99999"));
        assert!(!windows.keys.contains_key("k0"));
    }
}
