//! Crash durability: the real binary is killed with SIGKILL at random moments under a
//! write load; after each restart every write the server acknowledged must be there and
//! `preau check` must pass. A short run here; `PREAU_CRASH_CYCLES=100 cargo test --test it
//! crash -- --ignored --nocapture` for the long one.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;

pub(crate) const PASSWORD: &str = "Cartable-2026";

pub(crate) fn preau(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_preau"));
    c.env_remove("PREAU_DATA_DIR")
        .env("PREAU_BCRYPT_COST", "4")
        .arg("--data-dir")
        .arg(dir);
    c
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn setup(dir: &std::path::Path) {
    let mut child = preau(dir)
        .args([
            "setup",
            "--school-name",
            "École du Moulin",
            "--uai",
            "0350001L",
            "--commune",
            "Moulin",
            "--zone",
            "B",
            "--director-first-name",
            "Anne",
            "--director-last-name",
            "Roux",
            "--login",
            "direction",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

pub(crate) async fn start(dir: &std::path::Path, port: u16) -> Child {
    let mut child = preau(dir)
        .args([
            "serve",
            "--no-mdns",
            "--no-tls",
            "--listen",
            "127.0.0.1",
            "--http-port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .map(|r| r.status() == 200)
            .unwrap_or(false)
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not come back after a crash");
}

pub(crate) fn token(body: &str) -> String {
    crate::common::extract_csrf(body).unwrap_or_default()
}

/// A client signed in as the director, or `None` when the server went away meanwhile
/// (a kill may come at any moment, even during the login).
pub(crate) async fn sign_in(port: u16) -> Option<reqwest::Client> {
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .ok()?;
    let body = http
        .get(format!("{base}/connexion"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let form = [
        ("login", "direction"),
        ("password", PASSWORD),
        ("_csrf", &token(&body)),
    ];
    let r = http
        .post(format!("{base}/connexion"))
        .form(&form)
        .send()
        .await
        .ok()?;
    (r.status() == 303).then_some(http)
}

/// Creates accounts until stopped; returns the logins the server acknowledged.
async fn write_load(port: u16, cycle: usize, stop_after: Duration) -> Vec<String> {
    let base = format!("http://127.0.0.1:{port}");
    let mut acknowledged = Vec::new();
    let Some(http) = sign_in(port).await else {
        return acknowledged;
    };
    let until = Instant::now() + stop_after;
    let mut n = 0;
    while Instant::now() < until {
        let Ok(resp) = http
            .get(format!("{base}/admin/comptes/nouveau"))
            .send()
            .await
        else {
            break;
        };
        let Ok(page) = resp.text().await else { break };
        let login = format!("crash{cycle}x{n}");
        let sent = http
            .post(format!("{base}/admin/comptes/nouveau"))
            .form(&[
                ("first_name", "Test"),
                ("last_name", "Crash"),
                ("profile", "invite"),
                ("login", &login),
                ("_csrf", &token(&page)),
            ])
            .send()
            .await;
        match sent {
            // The page « Compte créé » is the acknowledgement.
            Ok(r) if r.status() == 200 => match r.text().await {
                Ok(t) if t.contains("Compte créé") => acknowledged.push(login),
                _ => break,
            },
            _ => break,
        }
        n += 1;
    }
    acknowledged
}

async fn run(cycles: usize) -> (usize, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let port = free_port();
    let mut all: Vec<String> = Vec::new();
    for cycle in 0..cycles {
        let mut child = start(dir.path(), port).await;
        let kill_after = Duration::from_millis(rand::rng().random_range(200..900));
        let load = tokio::spawn(write_load(port, cycle, Duration::from_secs(5)));
        tokio::time::sleep(kill_after).await;
        child.kill().unwrap(); // SIGKILL: no flush, no goodbye
        child.wait().unwrap();
        all.extend(load.await.unwrap());
    }
    // Restart once more, stop cleanly, then look at the data from the command line.
    let mut child = start(dir.path(), port).await;
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    child.wait().unwrap();
    let out = preau(dir.path())
        .args(["user", "list", "--profile", "invite"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    let found = all
        .iter()
        .filter(|l| {
            listed
                .lines()
                .any(|line| line.starts_with(&format!("{l}\t")))
        })
        .count();
    let check = preau(dir.path()).arg("check").output().unwrap();
    assert!(
        check.status.success(),
        "preau check after crashes: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    (all.len(), found, all.len() - found)
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let (acknowledged, found, lost) = run(3).await;
    println!("crash: {acknowledged} écritures acquittées, {found} retrouvées, {lost} perdues");
    assert!(acknowledged > 0, "the load wrote nothing");
    assert_eq!(lost, 0);
}

#[tokio::test]
#[ignore]
async fn acknowledged_writes_survive_many_sigkills() {
    let cycles = std::env::var("PREAU_CRASH_CYCLES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let (acknowledged, found, lost) = run(cycles).await;
    println!("crash ({cycles} cycles): {acknowledged} écritures acquittées, {found} retrouvées, {lost} perdues");
    assert_eq!(lost, 0);
}
