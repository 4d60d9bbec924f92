//! Accepting connections, for plain HTTP and TLS alike.
//!
//! Each connection holds a slot of a fixed number shared by all listeners, so that open
//! sockets stay within the open-file limit: when every slot is taken the loop stops accepting
//! (new clients wait in the kernel's backlog) until a connection closes. Slow clients cannot
//! keep slots for ever: the TLS handshake and each request's headers have a deadline, and a
//! connection that idles between requests, or stalls while its response is sent, is closed
//! (see [`watch`]).

mod watch;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

use watch::{Activity, Tracked};

/// Open files kept back from connections: the database pool, lexicon files, listeners, logs,
/// certificates and backups.
pub const FILE_RESERVE: u64 = 64;

/// How long slow and idle connections are kept, and how many at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time to send a request's headers: from the first byte of the request, or on a new
    /// connection from when it opens.
    pub header_timeout: Duration,
    /// Time a keep-alive connection may wait for its next request, or stall while a response
    /// is sent.
    pub idle_timeout: Duration,
    /// Time to complete the TLS handshake.
    pub tls_handshake_timeout: Duration,
    /// Most connections open at once, over all listeners.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_mins(1),
            tls_handshake_timeout: Duration::from_secs(10),
            max_connections: 768,
        }
    }
}

impl ConnectionLimits {
    /// These limits with at most as many connections as fit in `open_files` (the soft limit
    /// on open files) after [`FILE_RESERVE`]; at least one.
    #[must_use]
    pub fn fit_file_limit(self, open_files: u64) -> ConnectionLimits {
        let room =
            usize::try_from(open_files.saturating_sub(FILE_RESERVE).max(1)).unwrap_or(usize::MAX);
        ConnectionLimits {
            max_connections: self.max_connections.min(room),
            ..self
        }
    }

    /// The slots that connections take, to share between listeners.
    #[must_use]
    pub(crate) fn slots(&self) -> Arc<Semaphore> {
        Arc::new(Semaphore::new(
            self.max_connections.clamp(1, Semaphore::MAX_PERMITS),
        ))
    }
}

/// What a listener speaks.
#[derive(Clone)]
pub(crate) enum Transport {
    /// Plain HTTP.
    Plain,
    /// HTTPS: a TLS handshake first.
    Tls(TlsAcceptor),
}

/// How often at most a warning about the same trouble is logged.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// The pause after an accept error such as too many open files, instead of retrying at once.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `shutdown`; then stops accepting and waits for the open
/// connections to finish their requests. Each connection takes one of `slots`.
pub(crate) async fn serve(
    listener: TcpListener,
    transport: Transport,
    app: Router,
    limits: ConnectionLimits,
    slots: Arc<Semaphore>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let builder = builder(&limits);
    let graceful = GracefulShutdown::new();
    let mut full = Throttle::default();
    let mut failing = Throttle::default();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = take_slot(&slots, limits.max_connections, &mut full) => slot,
            () = &mut shutdown => break,
        };
        let Some(slot) = slot else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((tcp, peer)) => {
                let connection = Connection {
                    peer,
                    slot,
                    app: app.clone(),
                    builder: builder.clone(),
                    watcher: graceful.watcher(),
                    limits,
                };
                tokio::spawn(connection.run(tcp, transport.clone()));
            }
            // The client gave up before we took its connection: nothing to wait for.
            Err(error) if is_connection_error(&error) => {}
            Err(error) => {
                if let Some(suppressed) = failing.due(Instant::now()) {
                    tracing::warn!(%error, suppressed, "cannot accept connections; retrying");
                }
                tokio::select! {
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => {}
                    () = &mut shutdown => break,
                }
            }
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Waits for a free slot, warning (at most every [`WARN_EVERY`]) when there is none.
/// `None` if the slots are closed.
async fn take_slot(
    slots: &Arc<Semaphore>,
    max_connections: usize,
    full: &mut Throttle,
) -> Option<OwnedSemaphorePermit> {
    match slots.clone().try_acquire_owned() {
        Ok(slot) => Some(slot),
        Err(TryAcquireError::Closed) => None,
        Err(TryAcquireError::NoPermits) => {
            if let Some(suppressed) = full.due(Instant::now()) {
                tracing::warn!(
                    max_connections,
                    suppressed,
                    "connection limit reached: not accepting until a connection closes \
                     (see --max-connections)"
                );
            }
            slots.clone().acquire_owned().await.ok()
        }
    }
}

/// Errors that concern one connection only, after which accepting goes on at once.
fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

/// The HTTP/1 and HTTP/2 settings of every connection.
fn builder(limits: &ConnectionLimits) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    // hyper's own header-read timer also runs while a keep-alive connection waits for its next
    // request, which would close idle connections after the header timeout; the watch on each
    // connection times headers and idleness apart.
    builder.http1().header_read_timeout(None);
    // Pings find HTTP/2 peers that have gone away while a request is being answered.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.idle_timeout / 2)
        .keep_alive_timeout(limits.header_timeout);
    builder
}

/// One accepted connection and what it is served with.
struct Connection {
    peer: SocketAddr,
    slot: OwnedSemaphorePermit,
    app: Router,
    builder: Builder<TokioExecutor>,
    watcher: Watcher,
    limits: ConnectionLimits,
}

impl Connection {
    /// Completes the handshake `transport` needs in time, then serves the connection.
    async fn run(self, tcp: TcpStream, transport: Transport) {
        // Small responses go out at once: without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add 40 ms to replies written in two parts.
        let _ = tcp.set_nodelay(true);
        match transport {
            Transport::Plain => self.serve(tcp).await,
            Transport::Tls(acceptor) => {
                let handshake = acceptor.accept(tcp);
                match tokio::time::timeout(self.limits.tls_handshake_timeout, handshake).await {
                    Ok(Ok(stream)) => self.serve(stream).await,
                    Ok(Err(error)) => {
                        tracing::debug!(peer = %self.peer, %error, "TLS handshake failed");
                    }
                    Err(_) => tracing::debug!(peer = %self.peer, "TLS handshake timed out"),
                }
            }
        }
    }

    /// Serves HTTP/1 or HTTP/2 (with upgrades) on `io` until the client or the watch ends it.
    async fn serve<I>(self, io: I)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Connection {
            peer,
            slot,
            app,
            builder,
            watcher,
            limits,
        } = self;
        let activity = Arc::new(Activity::new(&limits));
        let io = TokioIo::new(Tracked::new(io, activity.clone(), slot));
        let tracked = activity.clone();
        let service =
            tower::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                let in_flight = tracked.begin(request.version());
                let response = app.clone().oneshot(request);
                async move {
                    let response = response.await?;
                    Ok::<_, Infallible>(response.map(|body| in_flight.sending(body)))
                }
            });
        let service = hyper_util::service::TowerToHyperService::new(service);
        let connection = builder.serve_connection_with_upgrades(io, service);
        tokio::select! {
            _ = watcher.watch(connection.into_owned()) => {}
            reason = activity.expired() => tracing::debug!(%peer, reason, "closing the connection"),
        }
    }
}

/// Lets a repeated warning through at most every [`WARN_EVERY`], counting the ones held back.
#[derive(Debug, Default)]
struct Throttle {
    last: Option<Instant>,
    suppressed: u64,
}

impl Throttle {
    /// Whether to log at `now`; if so, how many were held back since the last one.
    fn due(&mut self, now: Instant) -> Option<u64> {
        if self.last.is_some_and(|last| now < last + WARN_EVERY) {
            self.suppressed += 1;
            return None;
        }
        self.last = Some(now);
        Some(std::mem::take(&mut self.suppressed))
    }
}

#[cfg(test)]
mod tests {
    use super::{ConnectionLimits, FILE_RESERVE, Throttle};

    #[test]
    fn the_connection_cap_leaves_files_for_the_rest_of_the_server() {
        let limits = ConnectionLimits::default();
        assert_eq!(limits.fit_file_limit(1_024).max_connections, 768);
        assert_eq!(limits.fit_file_limit(256).max_connections, 192);
        assert_eq!(limits.fit_file_limit(FILE_RESERVE).max_connections, 1);
        assert_eq!(limits.fit_file_limit(0).max_connections, 1);
        assert_eq!(limits.fit_file_limit(u64::MAX), limits);
    }

    #[test]
    fn a_repeated_warning_is_logged_once_per_period_with_a_count() {
        let start = tokio::time::Instant::now();
        let mut throttle = Throttle::default();
        assert_eq!(throttle.due(start), Some(0));
        let soon = start + super::WARN_EVERY / 2;
        assert_eq!((throttle.due(soon), throttle.due(soon)), (None, None));
        let later = start + super::WARN_EVERY;
        assert_eq!(throttle.due(later), Some(2));
        assert_eq!(throttle.due(later), None);
    }
}
