//! The HTTPS acceptor: one rustls configuration whose certificate is chosen per
//! connection — the ACME certificate for a client asking for the public name (SNI), the
//! local CA's for everything else — and the TLS-ALPN-01 answer: a handshake offering
//! `acme-tls/1` for a name with a challenge waiting gets the challenge certificate and is
//! then closed (RFC 8737). poem's `RustlsConfig` cannot do either (its configuration
//! offers only `h2` and `http/1.1` and its certificates are fixed per configuration).
//!
//! The handshake runs in the connection's task, like poem's own acceptor does: `accept`
//! returns at once, a slow client never holds the others back.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use anyhow::Context as _;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use poem::http::uri::Scheme;
use poem::listener::Acceptor;
use poem::web::{LocalAddr, RemoteAddr};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::watch;
use tokio_rustls::server::TlsStream;
use tokio_rustls::LazyConfigAcceptor;

use super::Acme;
use crate::net::tls::Pair;

/// RFC 8737's protocol name.
const ACME_TLS: &[u8] = b"acme-tls/1";

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// A certificate chain and its key (PEM) as rustls serves them.
pub fn certified_key(cert_pem: &str, key_pem: &str) -> anyhow::Result<Arc<CertifiedKey>> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .collect::<Result<_, _>>()
        .context("certificat PEM illisible")?;
    if chain.is_empty() {
        anyhow::bail!("aucun certificat PEM");
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).context("clé PEM illisible")?;
    let signing = provider()
        .key_provider
        .load_private_key(key)
        .context("clé privée refusée")?;
    Ok(Arc::new(CertifiedKey::new(chain, signing)))
}

/// Picks the certificate by the name the client asks for.
#[derive(Debug)]
struct BySni(Arc<Acme>);

impl std::fmt::Debug for Acme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acme")
            .field("public_name", &self.public_name())
            .finish()
    }
}

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        if let (Some(asked), Ok(public)) = (hello.server_name(), self.0.public.read()) {
            if let Some((name, key)) = public.as_ref() {
                if name.eq_ignore_ascii_case(asked) {
                    return Some(key.clone());
                }
            }
        }
        self.0.local.read().ok()?.clone()
    }
}

/// The one certificate of a TLS-ALPN-01 answer.
#[derive(Debug)]
struct Only(Arc<CertifiedKey>);

impl ResolvesServerCert for Only {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

fn server_config(acme: Arc<Acme>) -> anyhow::Result<Arc<ServerConfig>> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(BySni(acme)));
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Keeps the local certificate served up to date with the local CA's renewals.
pub fn follow_local(acme: Arc<Acme>, mut pairs: watch::Receiver<Pair>) -> anyhow::Result<()> {
    let first = pairs.borrow_and_update().clone();
    let key = certified_key(&first.cert, &first.key)?;
    if let Ok(mut local) = acme.local.write() {
        *local = Some(key);
    }
    tokio::spawn(async move {
        while pairs.changed().await.is_ok() {
            let pair = pairs.borrow_and_update().clone();
            match certified_key(&pair.cert, &pair.key) {
                Ok(key) => {
                    if let Ok(mut local) = acme.local.write() {
                        *local = Some(key);
                    }
                }
                Err(e) => tracing::error!("certificat local renouvelé illisible : {e:#}"),
            }
        }
    });
    Ok(())
}

/// TLS over `inner`'s connections with the certificates of [`Acme`].
pub struct AcmeTls<A> {
    inner: A,
    acme: Arc<Acme>,
    config: Arc<ServerConfig>,
}

impl<A: Acceptor> AcmeTls<A> {
    pub fn new(inner: A, acme: Arc<Acme>) -> anyhow::Result<AcmeTls<A>> {
        let config = server_config(acme.clone())?;
        Ok(AcmeTls {
            inner,
            acme,
            config,
        })
    }
}

impl<A: Acceptor> Acceptor for AcmeTls<A> {
    type Io = Handshaking<TlsStream<A::Io>>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, Scheme)> {
        let (io, local, remote, _) = self.inner.accept().await?;
        let handshake = handshake(io, self.config.clone(), self.acme.clone());
        Ok((Handshaking::new(handshake), local, remote, Scheme::HTTPS))
    }
}

async fn handshake<S>(io: S, config: Arc<ServerConfig>, acme: Arc<Acme>) -> io::Result<TlsStream<S>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let start = LazyConfigAcceptor::new(rustls::server::Acceptor::default(), io).await?;
    let hello = start.client_hello();
    let wants_acme = hello
        .alpn()
        .is_some_and(|mut offered| offered.any(|p| p == ACME_TLS));
    if !wants_acme {
        return start.into_stream(config).await;
    }
    let key = hello
        .server_name()
        .map(str::to_ascii_lowercase)
        .and_then(|name| acme.alpn.lock().ok()?.get(&name).cloned());
    let Some(key) = key else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "acme-tls/1 demandé sans validation en cours",
        ));
    };
    let mut answer = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Only(key)));
    answer.alpn_protocols = vec![ACME_TLS.to_vec()];
    let mut tls = start.into_stream(Arc::new(answer)).await?;
    let _ = tls.shutdown().await;
    tracing::info!("validation TLS-ALPN-01 servie à l'autorité");
    // No HTTP on this connection: the server drops it.
    Err(io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "validation TLS-ALPN-01 servie",
    ))
}

enum State<S> {
    Handshaking(BoxFuture<'static, io::Result<S>>),
    Ready(S),
    Failed,
}

/// A stream whose TLS handshake runs on its first read or write.
pub struct Handshaking<S> {
    state: State<S>,
}

impl<S> Handshaking<S> {
    fn new(handshake: impl Future<Output = io::Result<S>> + Send + 'static) -> Self {
        Handshaking {
            state: State::Handshaking(handshake.boxed()),
        }
    }

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&mut S>> {
        if let State::Handshaking(fut) = &mut self.state {
            match fut.poll_unpin(cx) {
                Poll::Ready(Ok(s)) => self.state = State::Ready(s),
                Poll::Ready(Err(e)) => {
                    self.state = State::Failed;
                    return Poll::Ready(Err(e));
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        match &mut self.state {
            State::Ready(s) => Poll::Ready(Ok(s)),
            _ => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "poignée de main TLS échouée",
            ))),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Handshaking<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.poll_ready(cx) {
            Poll::Ready(Ok(s)) => Pin::new(s).poll_read(cx, buf),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Handshaking<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.poll_ready(cx) {
            Poll::Ready(Ok(s)) => Pin::new(s).poll_write(cx, buf),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.poll_ready(cx) {
            Poll::Ready(Ok(s)) => Pin::new(s).poll_write_vectored(cx, bufs),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }

    // Asked before the handshake is done: the TLS stream this wraps (tokio-rustls) takes
    // vectored writes whatever it wraps.
    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.poll_ready(cx) {
            Poll::Ready(Ok(s)) => Pin::new(s).poll_flush(cx),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.poll_ready(cx) {
            Poll::Ready(Ok(s)) => Pin::new(s).poll_shutdown(cx),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}
