//! The application: shared state, the route tree with its middleware, and the listeners.
//!
//! A request flows: listener → security headers → session & CSRF (`auth::web`) → error
//! pages (`ui::errors`) → setup gate → route → handler. The handler reads the request,
//! asks the policy, calls its module and renders a view.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU16};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use poem::listener::{Acceptor, TcpAcceptor};
use poem::{IntoEndpoint, Server};
use tokio::sync::watch;

use crate::auth::throttle::Throttle;
use crate::auth::Lifetimes;
use crate::config::Settings;
use crate::net::guard::{Capped, Counts, Guarding, Timed};
use crate::net::tls::TlsMaterial;

pub use crate::state::{App, AppState};

/// A running Préau: its addresses, and the way to stop it.
pub struct Running {
    pub http_addr: SocketAddr,
    pub https_addr: Option<SocketAddr>,
    pub app: App,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<std::io::Result<()>>>,
    jobs: tokio::task::JoinHandle<()>,
    mdns: Option<crate::net::mdns::Announcer>,
}

impl Running {
    /// Graceful stop: stop accepting, let requests finish (up to 10 s), flush the store.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(m) = self.mdns.take() {
            m.stop();
        }
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            match t.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!("arrêt d'un serveur : {e}"),
                Err(e) => tracing::warn!("arrêt d'un serveur : {e}"),
            }
        }
        // The periodic jobs hold the store too: wait for them so that the store is
        // closed (and its lock released) when this returns.
        let _ = (&mut self.jobs).await;
        self.app.store.flush().await?;
        tracing::info!("Préau arrêté, données écrites sur le disque");
        Ok(())
    }
}

async fn bind(addr: SocketAddr, what: &str) -> anyhow::Result<TcpAcceptor> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "le port {} ({what}) est déjà utilisé par un autre programme : choisissez-en un autre (--{}-port) ou arrêtez ce programme",
            addr.port(),
            if what == "HTTPS" { "https" } else { "http" }
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "pas le droit d'écouter sur le port {} ({what}) : les ports sous 1024 demandent le service systemd (CAP_NET_BIND_SERVICE) ou un port plus haut, par ex. --{}-port 8443",
            addr.port(),
            if what == "HTTPS" { "https" } else { "http" }
        ),
        _ => anyhow::anyhow!("impossible d'écouter sur {addr} ({what}) : {e}"),
    })?;
    Ok(TcpAcceptor::from_tokio(listener)?)
}

async fn wait_for(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            break;
        }
    }
}

/// Opens the store, prepares TLS, binds the listeners and starts serving.
pub async fn start(settings: Settings) -> anyhow::Result<Running> {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let data_dir = settings.data_dir.clone();
    prepare_data_dir(&data_dir)?;
    let store = tokio::task::spawn_blocking({
        let settings = settings.clone();
        move || crate::schema::open(&settings)
    })
    .await??;
    // The store's recovery read its log through buffers it has dropped by now.
    crate::memory::give_back();
    if crate::memory::eager_commit() {
        tracing::warn!(
            "l'allocateur réserve sa mémoire d'avance (MIMALLOC_ARENA_EAGER_COMMIT) : \
             la mémoire libérée restera comptée au processus"
        );
    }
    let installed = crate::setup::is_installed(&store)?;
    let acme = Arc::new(crate::net::acme::Acme::new(&crate::net::acme::settings(
        &store,
    )?));
    let cost = settings.bcrypt_cost;
    // Made in the background: a bcrypt hash takes a quarter of a second here and more on
    // a Raspberry Pi, and the server should answer /healthz before that.
    let dummy_hash = Arc::new(std::sync::OnceLock::new());
    {
        let slot = dummy_hash.clone();
        tokio::task::spawn_blocking(move || {
            if let Ok(h) = crate::auth::password::hash_blocking(&crate::auth::random_token(), cost)
            {
                let _ = slot.set(h);
            }
        });
    }
    let tls = if settings.tls {
        Some(TlsMaterial::prepare(&settings).context("préparation du certificat HTTPS")?)
    } else {
        None
    };
    // Bind before anything else is announced, so that a busy port is reported at once;
    // the settings then carry the real ports (port 0 picks a free one in tests).
    let mut settings = settings;
    let http_acceptor = bind(SocketAddr::new(settings.listen, settings.http_port), "HTTP").await?;
    let http_addr = first_addr(&http_acceptor)?;
    settings.http_port = http_addr.port();
    let mut https_addr = None;
    let https_acceptor = if tls.is_some() {
        let acceptor = bind(
            SocketAddr::new(settings.listen, settings.https_port),
            "HTTPS",
        )
        .await?;
        let addr = first_addr(&acceptor)?;
        settings.https_port = addr.port();
        https_addr = Some(addr);
        Some(acceptor)
    } else {
        None
    };
    let gate = crate::setup::Gate::new(&data_dir, installed)?;
    let app = App(Arc::new(AppState {
        lifetimes: Lifetimes::from_settings(&settings),
        logins: Default::default(),
        throttle_addresses: Throttle::new(20, Duration::from_secs(30)),
        secure_cookies: settings.tls || settings.behind_https_proxy,
        dummy_hash,
        installed: AtomicBool::new(installed),
        setup: gate,
        ca_pem: tls.as_ref().and_then(|t| t.ca_pem.clone()),
        https_port: AtomicU16::new(settings.https_port),
        creations: Default::default(),
        acme,
        store,
        settings: settings.clone(),
    }));

    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    // Caps counted on the TCP connection (before the TLS handshake), deadlines on the
    // stream the server reads (the handshake included); one count for both listeners.
    let counts = Counts::new(Guarding::from_settings(&settings));
    let guarding = counts.guarding();
    let guarded = |a: TcpAcceptor| Capped::new(a, counts.clone());
    match (tls, https_acceptor) {
        (Some(tls), Some(https_acceptor)) => {
            let addr = https_addr.context("adresse HTTPS inconnue")?;
            // The local CA's certificate, and the ACME one for the public name (SNI).
            crate::net::acme::listener::follow_local(app.acme.clone(), tls.subscribe())?;
            let tls_acceptor = crate::net::acme::listener::AcmeTls::new(
                guarded(https_acceptor),
                app.acme.clone(),
            )?;
            let acceptor = Timed::new(tls_acceptor, guarding);
            let server = Server::new_with_acceptor(acceptor).name("preau-https");
            let ep = crate::routes::endpoint(app.clone());
            let shutdown = wait_for(stop_rx.clone());
            tasks.push(tokio::spawn(async move {
                server
                    .run_with_graceful_shutdown(ep, shutdown, Some(Duration::from_secs(10)))
                    .await
            }));
            let plain = crate::routes::plain_endpoint(app.clone(), addr.port());
            let acceptor = Timed::new(guarded(http_acceptor), guarding);
            let server = Server::new_with_acceptor(acceptor).name("preau-http");
            let shutdown = wait_for(stop_rx.clone());
            tasks.push(tokio::spawn(async move {
                server
                    .run_with_graceful_shutdown(plain, shutdown, Some(Duration::from_secs(10)))
                    .await
            }));
            tls.spawn_renewal(settings.clone(), stop_rx.clone());
            crate::net::acme::renewal::spawn(app.clone(), stop_rx.clone());
        }
        _ => {
            let acceptor = Timed::new(guarded(http_acceptor), guarding);
            let server = Server::new_with_acceptor(acceptor).name("preau-http");
            let ep = crate::routes::endpoint(app.clone()).into_endpoint();
            let shutdown = wait_for(stop_rx.clone());
            tasks.push(tokio::spawn(async move {
                server
                    .run_with_graceful_shutdown(ep, shutdown, Some(Duration::from_secs(10)))
                    .await
            }));
        }
    }
    let jobs = crate::jobs::spawn(app.clone(), stop_rx.clone());
    crate::admin_socket::spawn(app.clone(), stop_rx.clone()).context("socket d'administration")?;
    let mdns = if settings.mdns {
        match crate::net::mdns::Announcer::start(
            &settings,
            http_addr.port(),
            https_addr.map(|a| a.port()),
        ) {
            Ok(a) => Some(a),
            Err(e) => {
                tracing::warn!(
                    "annonce mDNS impossible ({e}) : l'école reste joignable par son adresse IP"
                );
                None
            }
        }
    } else {
        None
    };
    if !installed {
        app.setup.announce(&settings);
    }
    tracing::info!(
        http = %http_addr,
        https = ?https_addr,
        "Préau {} prêt : {}",
        env!("CARGO_PKG_VERSION"),
        settings.public_url()
    );
    Ok(Running {
        http_addr,
        https_addr,
        app,
        stop,
        tasks,
        jobs,
        mdns,
    })
}

/// Creates the data folder owner-only (it holds pupils' data); refuses a path that is
/// not a folder with one clear sentence.
pub fn prepare_data_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "{} n'est pas un dossier : indiquez un dossier de données avec --data-dir",
            dir.display()
        );
    }
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("création du dossier de données {}", dir.display()))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    std::fs::read_dir(dir)
        .with_context(|| format!("le dossier de données {} est illisible", dir.display()))?;
    Ok(())
}

fn first_addr(acceptor: &TcpAcceptor) -> anyhow::Result<SocketAddr> {
    acceptor
        .local_addr()
        .into_iter()
        .find_map(|a| a.as_socket_addr().copied())
        .context("adresse d'écoute inconnue")
}
