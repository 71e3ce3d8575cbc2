//! The public name's certificate, for real: Debian's `pebble` (the ACME test server) on
//! loopback validates Préau's TLS-ALPN-01 and HTTP-01 answers on Préau's own ports, with
//! `pebble-challtestsrv` as the DNS server that resolves every name to 127.0.0.1. Préau
//! obtains, serves by SNI (verified against pebble's root from its management API),
//! renews a short-lived certificate at two thirds of its life and rotates it. Nothing
//! here contacts a public ACME server. Skipped, saying so, only when pebble is absent
//! (`.ci/run` installs it).

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{install, TestServer, DIRECTOR_LOGIN};

const PUBLIC_NAME: &str = "ent.ecole-des-tilleuls.test";
/// Pebble's certificates live this long: renewal comes at two thirds (20 s).
const LIFETIME_SECS: u64 = 30;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("-h")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// A child process killed with the test.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Pebble {
    _dns: Process,
    _pebble: Process,
    directory: String,
    management: SocketAddr,
    /// The root (PEM) of pebble's own HTTPS API.
    api_root: std::path::PathBuf,
}

/// pebble's API certificate (it ships none), made by a throwaway CA.
fn api_certificates(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    leaf.subject_alt_names
        .push(rcgen::SanType::IpAddress([127, 0, 0, 1].into()));
    let cert = leaf.signed_by(&key, &Issuer::new(ca, &ca_key)).unwrap();
    let (root, cert_path, key_path) = (
        dir.join("api-root.pem"),
        dir.join("api.pem"),
        dir.join("api.key"),
    );
    std::fs::write(&root, ca_cert.pem()).unwrap();
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    (root, cert_path, key_path)
}

/// Waits until `addr` accepts connections (the processes start in the background).
async fn listening(addr: SocketAddr, what: &str) {
    let start = Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what} never listened on {addr}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Starts the DNS server and pebble, validating on Préau's HTTP and HTTPS ports.
async fn pebble(dir: &Path, http_port: u16, tls_port: u16) -> Pebble {
    let (api_root, cert, key) = api_certificates(dir);
    let (dns_port, dns_management) = (free_port(), free_port());
    let dns = Command::new("pebble-challtestsrv")
        .args(["-dns01", &format!("127.0.0.1:{dns_port}")])
        .args(["-management", &format!("127.0.0.1:{dns_management}")])
        .args(["-http01", "", "-https01", "", "-tlsalpn01", ""])
        .args(["-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pebble-challtestsrv starts");
    let dns = Process(dns);
    listening(
        format!("127.0.0.1:{dns_management}").parse().unwrap(),
        "pebble-challtestsrv",
    )
    .await;
    let (listen, management) = (free_port(), free_port());
    let config = serde_json::json!({
        "pebble": {
            "listenAddress": format!("127.0.0.1:{listen}"),
            "managementListenAddress": format!("127.0.0.1:{management}"),
            "certificate": cert,
            "privateKey": key,
            "httpPort": http_port,
            "tlsPort": tls_port,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": false,
            "certificateValidityPeriod": LIFETIME_SECS,
        }
    });
    let config_path = dir.join("pebble.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let log = std::fs::File::create(dir.join("pebble.log")).unwrap();
    let child = Command::new("pebble")
        .arg("-config")
        .arg(&config_path)
        .args(["-dnsserver", &format!("127.0.0.1:{dns_port}")])
        // Really validates (no PEBBLE_VA_ALWAYS_VALID), at once, every order afresh,
        // without the random nonce rejections meant for client authors.
        .env_remove("PEBBLE_VA_ALWAYS_VALID")
        .env("PEBBLE_VA_NOSLEEP", "1")
        .env("PEBBLE_AUTHZREUSE", "0")
        .env("PEBBLE_WFE_NONCEREJECT", "0")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("pebble starts");
    let pebble = Process(child);
    listening(format!("127.0.0.1:{listen}").parse().unwrap(), "pebble").await;
    Pebble {
        _dns: dns,
        _pebble: pebble,
        directory: format!("https://127.0.0.1:{listen}/dir"),
        management: format!("127.0.0.1:{management}").parse().unwrap(),
        api_root,
    }
}

/// The root (PEM) that signs the certificates pebble issues (it changes at each start).
async fn issuing_root(p: &Pebble) -> String {
    let api = std::fs::read(&p.api_root).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&api).unwrap()])
        .build()
        .unwrap();
    client
        .get(format!("https://{}/roots/0", p.management))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A client that trusts only `root` and reaches the public name on Préau's HTTPS port.
fn public_client(root: &str, https: SocketAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(root.as_bytes()).unwrap()])
        .resolve(PUBLIC_NAME, https)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The leaf certificate (DER) a TLS client asking for the public name (SNI) gets, once
/// its chain verifies against `root` (PEM). A fresh handshake each time, no resumption:
/// a resumed session would show the certificate of the first one.
async fn served_leaf(root: &str, https: SocketAddr) -> Option<Vec<u8>> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from_pem_slice(root.as_bytes()).unwrap())
        .unwrap();
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.resumption = rustls::client::Resumption::disabled();
    let tcp = tokio::net::TcpStream::connect(https).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from(PUBLIC_NAME).unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .ok()?;
    let (_, session) = tls.get_ref();
    session.peer_certificates()?.first().map(|c| c.to_vec())
}

async fn until<T, F: std::future::Future<Output = Option<T>>>(
    limit: Duration,
    what: &str,
    mut probe: impl FnMut() -> F,
) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn a_public_name_gets_a_certificate_validated_served_renewed_and_rotated() {
    if !installed("pebble") || !installed("pebble-challtestsrv") {
        eprintln!(
            "SKIPPED acme: pebble is not installed here (apt-get install pebble); CI installs it"
        );
        return;
    }
    let work = tempfile::tempdir().unwrap();
    // Préau first: pebble validates on its ports.
    let data = tempfile::tempdir().unwrap();
    install(data.path());
    let api_root = work.path().join("api-root.pem");
    let server = TestServer::start_with(data, |s| s.acme_ca_file = Some(api_root.clone())).await;
    let pebble = pebble(work.path(), server.http.port(), server.https.port()).await;
    let root = issuing_root(&pebble).await;
    let public = public_client(&root, server.https);

    // Before any choice, the public name gets the local certificate: pebble's root
    // does not verify it.
    assert!(served_leaf(&root, server.https).await.is_none());

    // The director chooses a public name, validated by TLS-ALPN-01 on the HTTPS port.
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let page = director.get("/admin/acces-maison").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Les familles se connectent-elles depuis la maison ?"));
    let typed = |challenge: &'static str| {
        [
            ("acces", "nom-public"),
            ("nom_public", PUBLIC_NAME),
            ("validation", challenge),
            ("annuaire", pebble.directory.as_str()),
            ("contact", "direction@ecole-des-tilleuls.test"),
        ]
    };
    let saved = director
        .post("/admin/acces-maison", &typed("tls-alpn-01"))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let first = until(Duration::from_secs(60), "first certificate", || {
        served_leaf(&root, server.https)
    })
    .await;
    // An HTTP client that trusts only pebble's root reaches Préau by the public name.
    let health = public
        .get(format!(
            "https://{PUBLIC_NAME}:{}/healthz",
            server.https.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    // The console says it was reached from outside, by which port, and until when.
    let page = director.get("/admin/acces-maison").await;
    assert!(page.body.contains("valable jusqu'au"), "{}", page.body);
    let reach = page.body.split("id=\"joignable\"").nth(1).unwrap();
    assert!(
        reach.contains("<strong>oui</strong>") && reach.contains("TLS-ALPN-01"),
        "{reach}"
    );
    // The local certificate stays for ecole.local.
    assert_eq!(director.get("/healthz").await.status, 200);
    // Account key and certificate: the owner's only.
    let folder = server.dir.path().join("acme");
    for f in std::fs::read_dir(&folder).unwrap() {
        let f = f.unwrap().path();
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    assert!(folder.join("account.json").exists());

    // The certificate page and the letters give the public address.
    let page = director.get("/certificat").await;
    assert!(
        page.body.contains(&format!("https://{PUBLIC_NAME}")),
        "{}",
        page.body
    );
    // By the public name, the class board is outside the school, even from loopback.
    let board = public
        .get(format!(
            "https://{PUBLIC_NAME}:{}/tableau",
            server.https.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(board.status(), 403);
    assert_eq!(director.get("/tableau").await.status, 200);

    // The renewal by HTTP-01 this time (the director changes the port): at two thirds
    // of the 30 s lifetime, a new certificate replaces the first without a restart.
    let saved = director
        .post("/admin/acces-maison", &typed("http-01"))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let second = until(Duration::from_secs(60), "renewed certificate", || async {
        served_leaf(&root, server.https)
            .await
            .filter(|leaf| *leaf != first)
    })
    .await;
    assert_ne!(first, second);
    let page = director.get("/admin/acces-maison").await;
    let reach = page.body.split("id=\"joignable\"").nth(1).unwrap();
    assert!(reach.contains("HTTP-01"), "{reach}");
}

#[tokio::test]
async fn an_unreachable_authority_is_reported_in_french_and_retried_later() {
    let data = tempfile::tempdir().unwrap();
    install(data.path());
    let server = TestServer::start_in(data).await;
    let closed = free_port();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/admin/acces-maison").await;
    let directory = format!("https://127.0.0.1:{closed}/dir");
    let saved = director
        .post(
            "/admin/acces-maison",
            &[
                ("acces", "nom-public"),
                ("nom_public", PUBLIC_NAME),
                ("validation", "tls-alpn-01"),
                ("annuaire", &directory),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let start = Instant::now();
    let body = loop {
        let p = director.get("/admin/acces-maison").await;
        if p.body.contains("Échec le") {
            break p.body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no failure shown: {}",
            p.body
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(
        body.contains("impossible de contacter l'autorité"),
        "{body}"
    );
    assert!(body.contains("Nouvel essai automatique le"), "{body}");
    let reach = body.split("id=\"joignable\"").nth(1).unwrap();
    assert!(reach.contains("<strong>inconnu</strong>"), "{reach}");

    // Port 80: a visit by the public name goes to https:// on that name (443, whatever
    // port the box forwards to); the ACME path answers only while an order waits.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.http.port());
    let r = plain
        .get(format!("{base}/accueil"))
        .header("host", PUBLIC_NAME)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("https://{PUBLIC_NAME}/accueil")
    );
    let r = plain
        .get(format!("{base}/.well-known/acme-challenge/abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // A name in .local is refused with its reason beside the field.
    let refused = director
        .post(
            "/admin/acces-maison",
            &[("acces", "nom-public"), ("nom_public", "ecole.local")],
        )
        .await;
    assert_eq!(refused.status, 400);
    assert!(refused
        .body
        .contains("n'existe que sur le réseau de l'école"));
}
