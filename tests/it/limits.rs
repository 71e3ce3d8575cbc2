//! Security issue 14: what one visitor may hold of the server. Oversized forms are
//! refused with a French 413 page before they fill the memory; half-open and idle
//! connections are closed by their deadlines and capped per address, so that `/healthz`
//! and the pages keep answering under a 1 024-file limit; personal pages are not kept in
//! caches; a forged `Host` chooses no link. (Figures before/after: see
//! `tests/bench/limits-measure.py`.)

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD, FOLKS_PASSWORD};

const KB200: usize = 200_000;

#[tokio::test]
async fn oversized_text_forms_get_a_french_413_and_the_server_still_answers() {
    let (server, f) = TestServer::school().await;
    let mut ines = server.client();
    ines.login("ines.leroy", FOLKS_PASSWORD).await;
    ines.get("/carnet/ecrire").await;
    let zoe = f.zoe.to_string();
    let big = "a".repeat(KB200);

    // 40 fields of 200 kB (8 MB of text): over the form's 1 MB of text.
    let mut many: Vec<(&str, &str)> = vec![("eleve", &zoe), ("title", "Absence")];
    many.extend(std::iter::repeat_n(("body", big.as_str()), 40));
    let page = ines.post_multipart("/carnet/ecrire", &many, &[]).await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("trop volumineux"), "{}", page.body);

    // One field of 3 MB: over the field's limit.
    let huge = "b".repeat(3 * 1024 * 1024);
    let page = ines
        .post_multipart(
            "/carnet/ecrire",
            &[("eleve", &zoe), ("title", "Absence"), ("body", &huge)],
            &[],
        )
        .await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("Envoi trop volumineux"));

    // Many tiny fields: over the field count.
    let mut tiny: Vec<(&str, &str)> = vec![("eleve", &zoe), ("title", "Absence")];
    tiny.extend(std::iter::repeat_n(("x", "1"), 1_200));
    let page = ines.post_multipart("/carnet/ecrire", &tiny, &[]).await;
    assert_eq!(page.status, 413);

    // An urlencoded form of 3 MB, token in the body: refused before the token is read.
    ines.get("/compte").await;
    let page = ines.post("/compte", &[("nom", &huge)]).await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("trop volumineux"));

    // Nothing of it was kept, and the server answers and takes a normal mot.
    assert!(!ines.get("/carnet").await.body.contains("aaaaaaaaaa"));
    let health = reqwest::get(format!("http://{}/healthz", server.http))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    ines.get("/carnet/ecrire").await;
    let sent = ines
        .post_multipart(
            "/carnet/ecrire",
            &[
                ("eleve", &zoe),
                ("title", "Absence"),
                ("body", "Zoé sera absente jeudi."),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
}

/// A refused message used to be kept as a draft (« nothing typed is lost »), so a form
/// over the limits left an empty draft behind the 413 page: now a form over the limits
/// reaches no handler's fields, and nothing is stored.
#[tokio::test]
async fn a_message_over_the_limits_leaves_no_draft() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/messagerie/ecrire").await;
    let to = format!("u{}", f.director);
    let long = "x".repeat(300_000);
    let page = marc
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &to),
                ("subject", "Longue"),
                ("body", &long),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("trop volumineux"));
    assert!(preau::messaging::mailbox(&store, f.marc)
        .unwrap()
        .is_empty());
    assert!(preau::messaging::mailbox(&store, f.director)
        .unwrap()
        .is_empty());
}

/// The ONDE import reads its own upload form: its text fields are bounded like every
/// other form's, and files under other names are skipped unread.
#[tokio::test]
async fn the_import_upload_holds_no_unbounded_text() {
    let (server, _) = TestServer::school().await;
    let mut director = server.client();
    director.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    director.get("/admin/import").await;
    let big = "a".repeat(KB200);
    let mut many: Vec<(&str, &str)> = vec![("complet", "non")];
    many.extend(std::iter::repeat_n(("note", big.as_str()), 40));
    let page = director.post_multipart("/admin/import", &many, &[]).await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("trop volumineux"), "{}", page.body);
    // Nothing pending, and the console still answers.
    assert_eq!(director.get("/admin/import").await.status, 200);
}

#[tokio::test]
async fn personal_pages_are_not_stored_and_static_files_keep_their_caching() {
    let (server, _) = TestServer::school().await;
    let mut me = server.client();
    me.login("ines.leroy", FOLKS_PASSWORD).await;
    let resp = me
        .http
        .get(format!("{}/accueil", me.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let body = resp.text().await.unwrap();
    let start = body.find("/static/").expect("a static asset");
    let end = start + body[start..].find('"').unwrap();
    let resp = me
        .http
        .get(format!("{}{}", me.base, &body[start..end]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cache = resp
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(!cache.contains("no-store"), "{cache}");
}

async fn raw(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = String::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_string(&mut out))
        .await
        .unwrap()
        .unwrap();
    out
}

fn location(response: &str) -> &str {
    response
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or("")
}

#[tokio::test]
async fn links_to_the_server_ignore_a_forged_host() {
    let (server, _) = TestServer::school().await;
    let port = server.https.port();
    let forged = raw(
        server.http,
        "GET /accueil HTTP/1.1\r\nHost: ecole.evil.example\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(forged.starts_with("HTTP/1.1 308"), "{forged}");
    assert_eq!(
        location(&forged),
        format!("https://ecole.local:{port}/accueil")
    );
    // The server's own names and addresses are kept (the certificate carries them).
    let own = raw(
        server.http,
        "GET /accueil HTTP/1.1\r\nHost: 127.0.0.1:80\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(location(&own), format!("https://127.0.0.1:{port}/accueil"));

    // The agenda's subscription address.
    let mut me = server.client();
    me.login("ines.leroy", FOLKS_PASSWORD).await;
    me.get("/agenda/abonnement").await;
    let resp = me
        .http
        .post(format!("{}/agenda/abonnement", me.base))
        .header("host", "ecole.evil.example")
        .form(&[("_csrf", me.csrf.as_str())])
        .send()
        .await
        .unwrap();
    let body = resp.text().await.unwrap();
    assert!(body.contains(&format!("https://ecole.local:{port}/agenda/ical/")));
    assert!(!body.contains("evil"));
}

/// A connection from `source` (another loopback address: another device).
async fn connect_from(source: [u8; 4], to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((source, 0)))?;
    socket.connect(to).await
}

/// Whether the server closed `s` within `within` (end of stream or reset).
async fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

async fn healthz_from(source: [u8; 4], to: SocketAddr) -> String {
    let mut s = connect_from(source, to).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: ecole.local\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 1024];
    let n = s.read(&mut buf).await.unwrap();
    String::from_utf8_lossy(&buf[..n]).to_string()
}

/// The real binary under systemd's default limit of 1 024 files, with short deadlines.
struct Child {
    process: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn server_with_1024_files() -> (Child, SocketAddr) {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("preau.toml"),
        "header_timeout_secs = 2\nidle_timeout_secs = 2\nbody_timeout_secs = 5\n",
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_preau"));
    cmd.env_remove("PREAU_DATA_DIR")
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--no-mdns", "--no-tls", "--listen", "127.0.0.1"])
        .args(["--http-port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 1024,
                rlim_max: 1024,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = Child {
        process: cmd.spawn().unwrap(),
        _dir: dir,
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    for _ in 0..400 {
        if let Ok(r) = reqwest::get(format!("http://{addr}/healthz")).await {
            if r.status() == 200 {
                return (child, addr);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

#[tokio::test]
async fn half_open_connections_neither_starve_healthz_nor_stay_open() {
    let (_server, addr) = server_with_1024_files().await;
    // 1 100 connections from one address, and 400 from 20 others, each sending half a
    // request head and waiting: more than the server's files.
    let mut held = Vec::new();
    for i in 0..1_500usize {
        let source = if i < 1_100 {
            [127, 0, 0, 1]
        } else {
            [127, 0, 1, (i % 20) as u8 + 1]
        };
        if let Ok(mut s) = connect_from(source, addr).await {
            let _ = s
                .write_all(b"GET /accueil HTTP/1.1\r\nHost: ecole.local\r\nX-Lent: ")
                .await;
            held.push(s);
        }
    }
    assert!(held.len() >= 1_400, "{} connections", held.len());

    // Another device is answered at once (generous bound: 5 s).
    let answer = tokio::time::timeout(Duration::from_secs(5), healthz_from([127, 0, 0, 2], addr))
        .await
        .expect("/healthz answers within 5 s under the slowloris");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Every half-open connection is closed: beyond the caps at once, the others after
    // the 2 s header deadline (generous bound: 15 s).
    let closed = futures_util::future::join_all(
        held.iter_mut()
            .map(|s| closed_within(s, Duration::from_secs(15))),
    )
    .await;
    let still_open = closed.iter().filter(|c| !**c).count();
    assert_eq!(still_open, 0, "half-open connections left open");

    // A kept-alive connection that says nothing more is closed after its idle deadline.
    let mut idle = connect_from([127, 0, 0, 3], addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: ecole.local\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let since = std::time::Instant::now();
    assert!(closed_within(&mut idle, Duration::from_secs(15)).await);
    assert!(
        since.elapsed() >= Duration::from_secs(1),
        "closed by the idle deadline, not at once"
    );

    // And the server still answers.
    let answer = healthz_from([127, 0, 0, 4], addr).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_tls_handshake_that_never_comes_is_cut_and_https_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir, |s| s.header_timeout_secs = 1).await;
    let mut silent = TcpStream::connect(server.https).await.unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(10)).await);
    let mut half = TcpStream::connect(server.https).await.unwrap();
    // The start of a ClientHello, then nothing.
    half.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00])
        .await
        .unwrap();
    assert!(closed_within(&mut half, Duration::from_secs(10)).await);
    let mut c = server.client();
    assert_eq!(c.get("/healthz").await.status, 200);
}
