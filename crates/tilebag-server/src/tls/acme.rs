//! Certificates from an ACME CA (Let's Encrypt by default) through the HTTP-01 challenge,
//! renewed by themselves and served at once.
//!
//! The account key and the certificate are kept in the data directory, so a restart does
//! not ask the CA again; a certificate within `renew_before` of expiry is renewed, with
//! growing pauses between failed attempts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use instant_acme::{
    Account, AccountCredentials, AuthorizationStatus, ChallengeType, Identifier, NewAccount,
    NewOrder, OrderStatus, RetryPolicy,
};

use super::certs::{Certificates, Loaded, load_pem};

/// Let's Encrypt's production directory.
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";

/// Answers to pending HTTP-01 challenges: token → key authorization.
pub type Challenges = Arc<RwLock<HashMap<String, String>>>;

/// What to ask the CA for, and where to keep what it gives.
#[derive(Debug, Clone)]
pub struct AcmeSettings {
    /// The names on the certificate.
    pub domains: Vec<String>,
    /// Contact address for the CA's expiry notices.
    pub email: Option<String>,
    /// The CA's directory URL.
    pub directory: String,
    /// A root certificate to trust for the CA's own API (private or test CAs).
    pub root: Option<PathBuf>,
    /// Where the account and certificate live.
    pub dir: PathBuf,
    /// Renew when less than this is left.
    pub renew_before: Duration,
    /// How often to check.
    pub check_every: Duration,
}

fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, contents)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(temporary, path)
}

async fn account(settings: &AcmeSettings) -> Result<Account, String> {
    let builder = || match &settings.root {
        Some(root) => Account::builder_with_root(root),
        None => Account::builder(),
    };
    let stored = settings.dir.join("account.json");
    if let Ok(json) = std::fs::read_to_string(&stored) {
        let credentials: AccountCredentials =
            serde_json::from_str(&json).map_err(|e| format!("{}: {e}", stored.display()))?;
        return builder()
            .map_err(|e| e.to_string())?
            .from_credentials(credentials)
            .await
            .map_err(|e| e.to_string());
    }
    let contact = settings.email.as_ref().map(|e| format!("mailto:{e}"));
    let contacts: Vec<&str> = contact.iter().map(String::as_str).collect();
    let new = NewAccount {
        contact: &contacts,
        terms_of_service_agreed: true,
        only_return_existing: false,
    };
    let (account, credentials) = builder()
        .map_err(|e| e.to_string())?
        .create(&new, settings.directory.clone(), None)
        .await
        .map_err(|e| format!("cannot create the ACME account: {e}"))?;
    let json = serde_json::to_string(&credentials).map_err(|e| e.to_string())?;
    write_private(&stored, json.as_bytes()).map_err(|e| format!("{}: {e}", stored.display()))?;
    Ok(account)
}

/// Orders a certificate, answering the HTTP-01 challenges through `challenges`, and stores it.
pub async fn obtain(settings: &AcmeSettings, challenges: &Challenges) -> Result<Loaded, String> {
    std::fs::create_dir_all(&settings.dir)
        .map_err(|e| format!("{}: {e}", settings.dir.display()))?;
    let account = account(settings).await?;
    let identifiers: Vec<Identifier> = settings
        .domains
        .iter()
        .map(|d| Identifier::Dns(d.clone()))
        .collect();
    let mut order = account
        .new_order(&NewOrder::new(&identifiers))
        .await
        .map_err(|e| format!("the CA refused the order: {e}"))?;
    let mut authorizations = order.authorizations();
    while let Some(authorization) = authorizations.next().await {
        let mut authorization = authorization.map_err(|e| e.to_string())?;
        match authorization.status {
            AuthorizationStatus::Pending => {}
            AuthorizationStatus::Valid => continue,
            other => return Err(format!("authorization is {other:?}")),
        }
        let mut challenge = authorization
            .challenge(ChallengeType::Http01)
            .ok_or("the CA offers no HTTP-01 challenge")?;
        let answer = challenge.key_authorization().as_str().to_owned();
        challenges
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(challenge.token.clone(), answer);
        challenge.set_ready().await.map_err(|e| e.to_string())?;
    }
    let patience = RetryPolicy::new().timeout(Duration::from_secs(90));
    let status = order
        .poll_ready(&patience)
        .await
        .map_err(|e| e.to_string())?;
    if status != OrderStatus::Ready {
        return Err(format!(
            "the order is {status:?}, not ready: a challenge failed (is port 80 reachable?)"
        ));
    }
    let key_pem = order.finalize().await.map_err(|e| e.to_string())?;
    let chain_pem = order
        .poll_certificate(&patience)
        .await
        .map_err(|e| e.to_string())?;
    let loaded = load_pem(chain_pem.as_bytes(), key_pem.as_bytes())?;
    write_private(&settings.dir.join("key.pem"), key_pem.as_bytes()).map_err(|e| e.to_string())?;
    write_private(&settings.dir.join("cert.pem"), chain_pem.as_bytes())
        .map_err(|e| e.to_string())?;
    challenges
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
    Ok(loaded)
}

/// The stored certificate, if there is a usable one.
pub fn stored(settings: &AcmeSettings) -> Option<Loaded> {
    let cert = std::fs::read(settings.dir.join("cert.pem")).ok()?;
    let key = std::fs::read(settings.dir.join("key.pem")).ok()?;
    load_pem(&cert, &key).ok()
}

fn due(current: Option<&Loaded>, renew_before: Duration, now: i64) -> bool {
    current.is_none_or(|c| {
        c.not_after - now < i64::try_from(renew_before.as_secs()).unwrap_or(i64::MAX)
    })
}

/// Keeps a certificate served: loads the stored one, obtains or renews when due, retries
/// failures with growing pauses (10 s doubling to an hour).
pub async fn keep_certified(
    settings: AcmeSettings,
    certificates: Arc<Certificates>,
    challenges: Challenges,
    clock: crate::app::Clock,
) {
    if let Some(loaded) = stored(&settings) {
        certificates.set(loaded);
    }
    let mut pause = Duration::from_secs(10);
    loop {
        if due(
            certificates.current().as_ref(),
            settings.renew_before,
            clock.now_s(),
        ) {
            match obtain(&settings, &challenges).await {
                Ok(loaded) => {
                    certificates.set(loaded);
                    pause = Duration::from_secs(10);
                }
                Err(error) => {
                    tracing::error!(%error, retry_in = pause.as_secs(), "could not obtain a certificate");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_hours(1));
                    continue;
                }
            }
        }
        tokio::time::sleep(settings.check_every).await;
    }
}
