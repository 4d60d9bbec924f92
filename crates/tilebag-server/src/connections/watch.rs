//! The watch on one connection: when it must be closed for being slow or idle.
//!
//! hyper 1.x has one timer for HTTP/1, its header-read timeout, and it also runs while a
//! keep-alive connection waits for its next request, so it cannot tell a slow client from an
//! idle one; and hyper-util's protocol detection has no timer at all, so a client that connects
//! and sends nothing is never timed. The watch sees the bytes (through [`Tracked`], which
//! wraps the connection's IO) and the requests (through [`InFlight`], which the service holds
//! from a request's headers to the end of its response body), and decides:
//!
//! - a new connection must deliver its first request's headers within the header timeout;
//! - between requests, an HTTP/1 connection may wait for the idle timeout, and once the next
//!   request's first byte arrives its headers must follow within the header timeout (an
//!   HTTP/2 connection's pings and window updates are bytes too: it just gets the idle timeout);
//! - while a response is sent, the connection may stall (no byte either way) for the idle
//!   timeout;
//! - while a handler runs, only the request timeout applies.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use hyper::body::{Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{Notify, OwnedSemaphorePermit};
use tokio::time::Instant;

use super::ConnectionLimits;

/// What one connection has been doing.
pub(super) struct Activity {
    state: Mutex<State>,
    /// Woken when the deadline may have come closer.
    changed: Notify,
    header_timeout: Duration,
    idle_timeout: Duration,
}

#[derive(Debug)]
struct State {
    opened: Instant,
    /// Requests whose handler is running.
    handling: usize,
    /// Responses whose body is being sent.
    sending: usize,
    /// Requests seen so far.
    served: u64,
    http2: bool,
    /// When the last response was sent.
    quiet_since: Instant,
    /// The first byte read since then.
    first_byte: Option<Instant>,
    /// The last byte read or written.
    last_io: Instant,
}

impl Activity {
    pub(super) fn new(limits: &ConnectionLimits) -> Activity {
        let now = Instant::now();
        Activity {
            state: Mutex::new(State {
                opened: now,
                handling: 0,
                sending: 0,
                served: 0,
                http2: false,
                quiet_since: now,
                first_byte: None,
                last_io: now,
            }),
            changed: Notify::new(),
            header_timeout: limits.header_timeout,
            idle_timeout: limits.idle_timeout,
        }
    }

    fn update<T>(&self, change: impl FnOnce(&mut State) -> T) -> T {
        change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// When the connection is to be closed unless something happens first, and why.
    fn deadline(&self) -> Option<(Instant, &'static str)> {
        self.update(|state| {
            if state.handling > 0 {
                None
            } else if state.sending > 0 {
                Some((state.last_io + self.idle_timeout, "stalled response"))
            } else if state.served == 0 {
                Some((state.opened + self.header_timeout, "header timeout"))
            } else {
                match state.first_byte {
                    Some(first) if !state.http2 => {
                        Some((first + self.header_timeout, "header timeout"))
                    }
                    _ => Some((state.quiet_since + self.idle_timeout, "idle timeout")),
                }
            }
        })
    }

    /// Resolves when the connection is to be closed, with the reason.
    pub(super) async fn expired(&self) -> &'static str {
        loop {
            let changed = self.changed.notified();
            match self.deadline() {
                Some((at, reason)) if Instant::now() >= at => return reason,
                Some((at, _)) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = changed => {}
                    }
                }
                None => changed.await,
            }
        }
    }

    fn read(&self) {
        let now = Instant::now();
        let started = self.update(|state| {
            state.last_io = now;
            let waiting = state.handling == 0 && state.sending == 0 && state.served > 0;
            let started = waiting && state.first_byte.is_none();
            if started {
                state.first_byte = Some(now);
            }
            started
        });
        if started {
            self.changed.notify_one();
        }
    }

    fn wrote(&self) {
        let now = Instant::now();
        self.update(|state| state.last_io = now);
    }

    /// A request's headers have arrived: the handler runs until the returned guard has sent
    /// the response (or is dropped).
    pub(super) fn begin(self: &Arc<Self>, version: hyper::Version) -> InFlight {
        self.update(|state| {
            state.handling += 1;
            state.served += 1;
            state.http2 |= version == hyper::Version::HTTP_2;
            state.first_byte = None;
        });
        InFlight {
            activity: self.clone(),
            sending: false,
        }
    }

    fn end(&self, sending: bool) {
        let now = Instant::now();
        self.update(|state| {
            if sending {
                state.sending -= 1;
            } else {
                state.handling -= 1;
            }
            if state.handling == 0 && state.sending == 0 {
                state.quiet_since = now;
                state.first_byte = None;
            }
        });
        self.changed.notify_one();
    }
}

/// One request, from its headers until its response body is sent.
pub(super) struct InFlight {
    activity: Arc<Activity>,
    sending: bool,
}

impl InFlight {
    /// The handler has answered: the response body goes out holding this guard.
    pub(super) fn sending(mut self, body: Body) -> Sending {
        self.activity.update(|state| {
            state.handling -= 1;
            state.sending += 1;
        });
        self.activity.changed.notify_one();
        self.sending = true;
        Sending {
            body,
            _in_flight: self,
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.activity.end(self.sending);
    }
}

/// A response body that marks its request finished when it is done or dropped.
pub(super) struct Sending {
    body: Body,
    _in_flight: InFlight,
}

impl hyper::body::Body for Sending {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A connection's IO, noting each byte read or written, and holding the connection's slot
/// for as long as the socket is open (an upgraded connection outlives its HTTP task).
pub(super) struct Tracked<I> {
    io: I,
    activity: Arc<Activity>,
    _slot: OwnedSemaphorePermit,
}

impl<I> Tracked<I> {
    pub(super) fn new(io: I, activity: Arc<Activity>, slot: OwnedSemaphorePermit) -> Tracked<I> {
        Tracked {
            io,
            activity,
            _slot: slot,
        }
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for Tracked<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Tracked<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
