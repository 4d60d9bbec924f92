//! Certificates managed elsewhere (e.g. a cert-manager Secret mounted as files), reloaded
//! when the files change. A bad or mismatched pair at reload keeps the old certificate and
//! logs an error; at start-up it is a fatal error.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::certs::{Certificates, Loaded, load_pem};

/// A certificate file and its key file.
#[derive(Debug, Clone)]
pub struct CertFiles {
    /// PEM chain.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
}

impl CertFiles {
    /// Loads the pair.
    pub fn load(&self) -> Result<Loaded, String> {
        let cert =
            std::fs::read(&self.cert).map_err(|e| format!("{}: {e}", self.cert.display()))?;
        let key = std::fs::read(&self.key).map_err(|e| format!("{}: {e}", self.key.display()))?;
        load_pem(&cert, &key)
            .map_err(|e| format!("{} and {}: {e}", self.cert.display(), self.key.display()))
    }

    fn stamp(&self) -> Option<(SystemTime, SystemTime)> {
        let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        Some((modified(&self.cert)?, modified(&self.key)?))
    }
}

/// Checks the files every `every` and serves them again when they change.
pub async fn watch(files: CertFiles, certificates: Arc<Certificates>, every: Duration) {
    let mut seen = files.stamp();
    loop {
        tokio::time::sleep(every).await;
        let now = files.stamp();
        if now == seen {
            continue;
        }
        seen = now;
        match files.load() {
            Ok(loaded) => certificates.set(loaded),
            Err(error) => {
                tracing::error!(%error, "the changed certificate files are not usable; still serving the previous certificate");
            }
        }
    }
}
