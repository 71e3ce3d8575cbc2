//! What keeps the listeners answering when someone holds connections open: a cap on the
//! connections of one address (so that one device, or one script, leaves room for the
//! school), a global cap below the process's file limit, and deadlines on every
//! connection (the TLS handshake and the first request head, the next heads, idle
//! keep-alive, stalled bodies and stalled readers).
//!
//! Why: under systemd's default limit of 1 024 files, 1 500 half-open connections made
//! `/healthz` and every page time out; idle and partial-header connections were still open
//! after 180 s. poem's `Server` exposes no header-read timeout, so both pieces sit in the
//! acceptors: [`Capped`] counts TCP connections before any TLS work, [`Timed`] wraps the
//! (decrypted) stream of each connection with its deadlines.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use poem::http::uri::Scheme;
use poem::listener::{Acceptor, TcpAcceptor};
use poem::web::{LocalAddr, RemoteAddr};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

use crate::config::Settings;

/// File descriptors kept for the store, the blobs being written, logs and backups.
const FD_RESERVE: u64 = 256;

/// The caps and deadlines of the listeners (from the settings).
#[derive(Debug, Clone, Copy)]
pub struct Guarding {
    /// From the connection to the end of its first request head (TLS handshake included),
    /// and from the first byte of each later head to its end.
    pub header: Duration,
    /// A kept-alive connection with nothing to say after a response.
    pub idle: Duration,
    /// Neither a byte read nor a byte written while a request is under way.
    pub body: Duration,
    pub max_connections: usize,
    pub max_per_address: usize,
    /// Behind a reverse proxy every connection comes from this machine: only the global
    /// cap applies to them (the proxy enforces its own per-client limits).
    pub loopback_unlimited: bool,
    /// The proxy's own addresses when it is not this machine (`trusted_proxies`),
    /// unlimited as loopback is; a fixed array keeps `Guarding` a copied value.
    pub proxies: [Option<ipnet::IpNet>; crate::config::MAX_TRUSTED_PROXIES],
}

impl Guarding {
    pub fn from_settings(s: &Settings) -> Guarding {
        Guarding {
            header: Duration::from_secs(s.header_timeout_secs),
            idle: Duration::from_secs(s.idle_timeout_secs),
            body: Duration::from_secs(s.body_timeout_secs),
            max_connections: global_cap(s.max_connections, soft_file_limit()),
            max_per_address: s.max_connections_per_address,
            loopback_unlimited: s.behind_https_proxy,
            proxies: std::array::from_fn(|i| s.trusted_proxies.get(i).copied()),
        }
    }
}

/// The process's soft limit of open files, `None` if unknown.
fn soft_file_limit() -> Option<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
    (ok && lim.rlim_cur != libc::RLIM_INFINITY).then_some(lim.rlim_cur)
}

/// The configured cap, lowered so that the connections of both listeners together never
/// take the files the store needs: under 1 024 files, 768 connections in all.
fn global_cap(configured: usize, soft: Option<u64>) -> usize {
    match soft {
        Some(soft) => {
            let room = soft.saturating_sub(FD_RESERVE).max(16);
            configured.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
        None => configured,
    }
    .max(1)
}

/// The connections held, shared by both listeners (the file limit is the process's).
pub struct Counts {
    guarding: Guarding,
    held: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

impl Counts {
    pub fn new(guarding: Guarding) -> Arc<Counts> {
        Arc::new(Counts {
            guarding,
            held: Mutex::new((0, HashMap::new())),
        })
    }

    pub fn guarding(&self) -> Guarding {
        self.guarding
    }

    /// A place for a new connection from `ip`, or `None`: the global cap is reached, or
    /// this address holds its share. Past half the global cap, an address may only hold
    /// an eighth of its share, so that new devices still find room.
    fn admit(self: &Arc<Counts>, ip: IpAddr) -> Option<Ticket> {
        let g = self.guarding;
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per) = &mut *held;
        if *total >= g.max_connections {
            return None;
        }
        let mine = per.get(&ip).copied().unwrap_or(0);
        let unlimited = g.loopback_unlimited
            && (ip.is_loopback() || g.proxies.iter().flatten().any(|n| n.contains(&ip)));
        let share = if *total >= g.max_connections / 2 {
            (g.max_per_address / 8).max(2)
        } else {
            g.max_per_address
        };
        if !unlimited && mine >= share {
            return None;
        }
        *total += 1;
        per.insert(ip, mine + 1);
        Some(Ticket {
            counts: self.clone(),
            ip,
        })
    }

    /// Connections held now (for the tests and the logs).
    pub fn held(&self) -> usize {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).0
    }
}

/// A connection's place, given back when the connection is dropped.
struct Ticket {
    counts: Arc<Counts>,
    ip: IpAddr,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut held = self.counts.held.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per) = &mut *held;
        *total = total.saturating_sub(1);
        if let Some(n) = per.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                per.remove(&self.ip);
            }
        }
    }
}

/// TCP acceptor that closes at once a connection beyond the caps (before any TLS work)
/// and waits instead of spinning when the process is out of files.
pub struct Capped {
    inner: TcpAcceptor,
    counts: Arc<Counts>,
    failing: bool,
}

impl Capped {
    pub fn new(inner: TcpAcceptor, counts: Arc<Counts>) -> Capped {
        Capped {
            inner,
            counts,
            failing: false,
        }
    }
}

/// A TCP stream holding its place among the counted connections.
pub struct Held {
    stream: Option<TcpStream>,
    ticket: Option<Ticket>,
}

/// How long, and how much, a connection closed with unread bytes is read and discarded.
const LINGER: Duration = Duration::from_secs(5);
const LINGER_BYTES: usize = 32 * 1024 * 1024;

impl Drop for Held {
    /// A form refused before its end (413) leaves unread bytes: closing at once would send
    /// a reset that can destroy the refusal page on its way to the browser. As nginx's
    /// lingering close: the write side is closed, then what still comes is read and
    /// discarded for a few seconds (never kept), the connection keeping its place.
    fn drop(&mut self) {
        let (Some(mut stream), Some(ticket)) = (self.stream.take(), self.ticket.take()) else {
            return;
        };
        let mut probe = [0u8; 1];
        if !matches!(stream.try_read(&mut probe), Ok(n) if n > 0) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let _ticket = ticket;
            let _ = stream.shutdown().await;
            let deadline = Instant::now() + LINGER;
            let mut buf = vec![0u8; 16 * 1024];
            let mut left = LINGER_BYTES;
            while left > 0 {
                match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => left = left.saturating_sub(n),
                    _ => break,
                }
            }
        });
    }
}

impl Held {
    fn stream(&mut self) -> io::Result<&mut TcpStream> {
        self.stream
            .as_mut()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotConnected))
    }
}

impl Acceptor for Capped {
    type Io = Held;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Held, LocalAddr, RemoteAddr, Scheme)> {
        let mut refused = 0u64;
        loop {
            let (stream, local, remote, scheme) = match self.inner.accept().await {
                Ok(c) => c,
                Err(e) => {
                    // EMFILE and the like: poem would retry at once, in a hot loop. Wait
                    // for connections to end instead (said once per episode in the log).
                    if !std::mem::replace(&mut self.failing, true) {
                        tracing::warn!("connexion refusée par le système : {e}");
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            self.failing = false;
            let Some(ip) = remote.as_socket_addr().map(|a| a.ip()) else {
                continue;
            };
            match self.counts.admit(ip) {
                Some(ticket) => {
                    // Nagle's algorithm would hold a response written after another
                    // small write (TLS session tickets, HTTP/2 frames) until the
                    // client's delayed ACK: 40 ms more for the first page of each
                    // HTTPS connection and for every HTTP/2 response.
                    let _ = stream.set_nodelay(true);
                    if refused > 0 {
                        tracing::warn!(
                            "{refused} connexion(s) fermée(s) : trop de connexions ouvertes"
                        );
                    }
                    return Ok((
                        Held {
                            stream: Some(stream),
                            ticket: Some(ticket),
                        },
                        local,
                        remote,
                        scheme,
                    ));
                }
                // Dropped: closed before a byte is read.
                None => refused += 1,
            }
        }
    }
}

impl AsyncRead for Held {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.stream() {
            Ok(s) => Pin::new(s).poll_read(cx, buf),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

impl AsyncWrite for Held {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.stream() {
            Ok(s) => Pin::new(s).poll_write(cx, buf),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
    // Forwarded so that the TLS stream above writes the records it holds in one `writev`:
    // without it, one system call per record (a page over 16 kB is several records).
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.stream() {
            Ok(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.is_write_vectored())
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.stream() {
            Ok(s) => Pin::new(s).poll_flush(cx),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.stream() {
            Ok(s) => Pin::new(s).poll_shutdown(cx),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

/// Acceptor that gives every connection of `inner` its deadlines ([`Deadlines`]).
pub struct Timed<A> {
    inner: A,
    guarding: Guarding,
}

impl<A: Acceptor> Timed<A> {
    pub fn new(inner: A, guarding: Guarding) -> Timed<A> {
        Timed { inner, guarding }
    }
}

impl<A: Acceptor> Acceptor for Timed<A> {
    type Io = Deadlines<A::Io>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, Scheme)> {
        let (io, local, remote, scheme) = self.inner.accept().await?;
        Ok((Deadlines::new(io, self.guarding), local, remote, scheme))
    }
}

/// Where a connection stands, as seen from its bytes (HTTP/1 heads end with an empty
/// line; HTTP/2 starts with its preface and is then only watched for silence).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Reading a request head that began at `since` (`matched`: bytes of `\r\n\r\n` seen).
    Head { since: Instant, matched: u8 },
    /// A request under way (body, handler): bounded by silence.
    Busy,
    /// A response went out: the connection waits for the next request.
    Idle,
    /// HTTP/2: frames, not heads.
    H2,
}

const END_OF_HEAD: &[u8; 4] = b"\r\n\r\n";
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0";

/// A connection's stream with its deadlines: a read or a write that waits past its
/// deadline fails (`TimedOut`), and the server drops the connection.
pub struct Deadlines<S> {
    inner: S,
    guarding: Guarding,
    phase: Phase,
    /// Last byte read or written.
    last: Instant,
    first_read: bool,
    read_sleep: Pin<Box<Sleep>>,
    write_sleep: Pin<Box<Sleep>>,
}

impl<S> Deadlines<S> {
    pub fn new(inner: S, guarding: Guarding) -> Deadlines<S> {
        let now = Instant::now();
        Deadlines {
            inner,
            guarding,
            phase: Phase::Head {
                since: now,
                matched: 0,
            },
            last: now,
            first_read: true,
            read_sleep: Box::pin(tokio::time::sleep_until(now + guarding.header)),
            write_sleep: Box::pin(tokio::time::sleep_until(now + guarding.body)),
        }
    }

    fn read_deadline(&self) -> Instant {
        let g = &self.guarding;
        match self.phase {
            Phase::Head { since, .. } => since + g.header,
            Phase::Busy => self.last + g.body,
            Phase::Idle => self.last + g.idle,
            Phase::H2 => self.last + g.idle.max(g.body),
        }
    }

    /// Follows the phase from the bytes just read.
    fn on_read(&mut self, bytes: &[u8]) {
        let now = Instant::now();
        self.last = now;
        if std::mem::take(&mut self.first_read) && bytes.starts_with(H2_PREFACE) {
            self.phase = Phase::H2;
            return;
        }
        if self.phase == Phase::Idle && looks_like_request_line(bytes) {
            self.phase = Phase::Head {
                since: now,
                matched: 0,
            };
        }
        if let Phase::Head { since, matched } = self.phase {
            let mut m = matched;
            for &b in bytes {
                if END_OF_HEAD.get(usize::from(m)) == Some(&b) {
                    m += 1;
                    if usize::from(m) == END_OF_HEAD.len() {
                        self.phase = Phase::Busy;
                        return;
                    }
                } else {
                    m = u8::from(b == b'\r');
                }
            }
            self.phase = Phase::Head { since, matched: m };
        } else if self.phase == Phase::Idle {
            // Bytes that do not start a request (a body after « 100 Continue »).
            self.phase = Phase::Busy;
        }
    }

    fn on_write(&mut self) {
        self.last = Instant::now();
        if self.phase != Phase::H2 {
            self.phase = Phase::Idle;
        }
    }

    /// Arms the write deadline and tells whether it has passed.
    fn write_expired(&mut self, cx: &mut Context<'_>) -> bool {
        let deadline = self.last + self.guarding.body;
        if self.write_sleep.deadline() != deadline {
            self.write_sleep.as_mut().reset(deadline);
        }
        self.write_sleep.as_mut().poll(cx).is_ready()
    }

    /// A write's outcome as the connection sees it: bytes out restart the clock, a write
    /// still blocked past its deadline fails.
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match written {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.on_write();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending if self.write_expired(cx) => Poll::Ready(Err(timed_out())),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// `GET /…`, `POST /…`: a method's capitals then a space.
fn looks_like_request_line(bytes: &[u8]) -> bool {
    let method_len = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    (3..=7).contains(&method_len) && bytes.get(method_len) == Some(&b' ')
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "délai de la connexion dépassé")
}

impl<S: AsyncRead + Unpin> AsyncRead for Deadlines<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if let Some(new) = buf.filled().get(before..) {
                    if !new.is_empty() {
                        this.on_read(new);
                    }
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                let deadline = this.read_deadline();
                if this.read_sleep.deadline() != deadline {
                    this.read_sleep.as_mut().reset(deadline);
                }
                if this.read_sleep.as_mut().poll(cx).is_ready() {
                    Poll::Ready(Err(timed_out()))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Deadlines<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.after_write(cx, written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.after_write(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending if this.write_expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_shutdown(cx) {
            Poll::Pending if this.write_expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }
}

#[cfg(test)]
#[path = "guard_tests.rs"]
mod tests;
