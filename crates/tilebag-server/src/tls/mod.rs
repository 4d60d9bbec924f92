//! HTTPS built in: certificates from ACME or from files, both swapped in without a restart;
//! a port-80 redirect; HSTS; and a TLS accept loop with graceful shutdown.

pub mod acme;
pub mod certs;
pub mod files;
pub mod redirect;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

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

/// Serves `app` over TLS on `listener` until `shutdown`, then lets open connections finish.
pub async fn serve_tls(
    listener: TcpListener,
    certificates: Arc<Certificates>,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let config = certs::server_config(certificates).map_err(std::io::Error::other)?;
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let graceful = GracefulShutdown::new();
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, peer)) = accepted else { continue };
                let _ = tcp.set_nodelay(true);
                let (acceptor, app, builder, watcher) = (acceptor.clone(), app.clone(), builder.clone(), graceful.watcher());
                tokio::spawn(async move {
                    let Ok(stream) = acceptor.accept(tcp).await else { return };
                    let service = app.map_request(move |mut request: hyper::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(ConnectInfo(peer));
                        request
                    });
                    let service = hyper_util::service::TowerToHyperService::new(service);
                    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                    let _ = watcher.watch(connection.into_owned()).await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Serves a plain-HTTP app with client addresses, until `shutdown`.
pub async fn serve_plain(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
