//! HTTPS built in: certificates from ACME or from files, both swapped in without a restart;
//! a port-80 redirect; HSTS; and the TLS acceptor (connections are accepted and served by
//! [`crate::connections`], as plain HTTP is).

pub mod acme;
pub mod certs;
pub mod files;
pub mod redirect;

use std::sync::Arc;

use tokio_rustls::TlsAcceptor;

pub use certs::Certificates;

/// Where certificates come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// An ACME CA.
    Acme(acme::AcmeSettings),
    /// Files managed elsewhere, reloaded when they change.
    Files(files::CertFiles, std::time::Duration),
}

/// HTTPS settings.
#[derive(Debug, Clone)]
pub struct TlsSettings {
    /// Certificate source.
    pub source: Source,
    /// HSTS `max-age` in seconds.
    pub hsts_max_age: u64,
    /// Add `includeSubDomains` to HSTS.
    pub hsts_include_subdomains: bool,
    /// The names the port-80 redirect may send browsers to (`--public-host`, else the ACME
    /// domains; when empty, the names in the certificate served).
    pub public_hosts: Vec<String>,
}

impl TlsSettings {
    /// The `Strict-Transport-Security` value.
    #[must_use]
    pub fn hsts(&self) -> String {
        let sub = if self.hsts_include_subdomains {
            "; includeSubDomains"
        } else {
            ""
        };
        format!("max-age={}{sub}", self.hsts_max_age)
    }
}

/// What the HTTPS server needs while it runs.
#[derive(Debug, Clone, Default)]
pub struct TlsRuntime {
    /// The certificate served.
    pub certificates: Arc<Certificates>,
    /// Pending HTTP-01 answers.
    pub challenges: acme::Challenges,
}

/// Loads or starts obtaining certificates, and starts the task that renews or reloads them.
/// Files that cannot be loaded at start-up are an error.
pub fn start(
    settings: &TlsSettings,
    certificates: Arc<Certificates>,
    clock: crate::app::Clock,
) -> Result<(TlsRuntime, tokio::task::JoinHandle<()>), String> {
    // The ACME client's HTTPS connections use the process default: make it ours if unset.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = TlsRuntime {
        certificates,
        challenges: acme::Challenges::default(),
    };
    let task = match &settings.source {
        Source::Files(files, every) => {
            runtime.certificates.set(files.load()?);
            tokio::spawn(files::watch(
                files.clone(),
                runtime.certificates.clone(),
                *every,
            ))
        }
        Source::Acme(acme) => tokio::spawn(acme::keep_certified(
            acme.clone(),
            runtime.certificates.clone(),
            runtime.challenges.clone(),
            clock,
        )),
    };
    Ok((runtime, task))
}

/// The TLS acceptor for HTTPS connections, serving whatever `certificates` holds at each
/// handshake.
pub fn acceptor(certificates: Arc<Certificates>) -> std::io::Result<TlsAcceptor> {
    let config = certs::server_config(certificates).map_err(std::io::Error::other)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}
