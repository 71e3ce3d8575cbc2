//! The command line, run as a real process.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{TestServer, DIRECTOR_PASSWORD};

fn preau() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_preau"));
    c.env_remove("PREAU_DATA_DIR").env("PREAU_BCRYPT_COST", "4");
    c
}

fn run_with_stdin(cmd: &mut Command, input: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn preau_setup_then_login() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("preau.toml"), "bcrypt_cost = 4\n").unwrap();
    let out = run_with_stdin(
        preau().args(["--data-dir"]).arg(dir.path()).args([
            "setup",
            "--school-name",
            "École du Bourg",
            "--uai",
            "0350001L",
            "--commune",
            "Bourg",
            "--zone",
            "b",
            "--director-first-name",
            "Anne",
            "--director-last-name",
            "Roux",
            "--login",
            "anne.roux",
            "--class",
            "Classe unique:CP,CE1,CE2,CM1,CM2",
        ]),
        &format!("{DIRECTOR_PASSWORD}\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = run_with_stdin(
        preau().args(["--data-dir"]).arg(dir.path()).args([
            "setup",
            "--school-name",
            "X",
            "--uai",
            "0350001L",
            "--commune",
            "X",
            "--zone",
            "A",
            "--director-first-name",
            "X",
            "--director-last-name",
            "X",
            "--login",
            "xx",
        ]),
        &format!("{DIRECTOR_PASSWORD}\n"),
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("déjà installé"));

    let out = preau()
        .args(["--data-dir"])
        .arg(dir.path())
        .args([
            "user",
            "add",
            "--login",
            "lea.dupont",
            "--profile",
            "eleve",
            "--class",
            "Classe unique",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Mot de passe provisoire"));
    let out = preau()
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["user", "list", "--profile", "eleve"])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.starts_with("lea.dupont\televe"));
    let out = preau()
        .args(["--data-dir"])
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Intégrité : OK"));

    let server = TestServer::start_in(dir).await;
    let mut c = server.client();
    assert_eq!(c.login("anne.roux", DIRECTOR_PASSWORD).await.status, 303);
    let p = c.get("/admin/classes").await;
    assert!(p.body.contains("Classe unique"));

    // While the server runs, a command that needs the store says so in one sentence.
    let out = preau()
        .args(["--data-dir"])
        .arg(server.dir.path())
        .args(["user", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("arrêtez le service"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn unknown_flags_and_config_keys_are_named() {
    let out = preau().args(["serve", "--no-such-flag"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-such-flag"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("preau.toml"), "htps_port = 443\n").unwrap();
    let out = preau()
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["serve", "--no-mdns"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("htps_port"));
}

#[tokio::test]
async fn a_port_in_use_is_named() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = preau()
        .args(["--data-dir"])
        .arg(dir.path())
        .args([
            "serve",
            "--no-mdns",
            "--listen",
            "127.0.0.1",
            "--https-port",
            "0",
            "--http-port",
            &port,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("le port {port}")), "{err}");
}

#[test]
fn version_and_help() {
    let out = preau().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("preau "));
    for sub in [
        &["serve", "--help"][..],
        &["user", "add", "--help"],
        &["setup", "--help"],
        &["check", "--help"],
    ] {
        let out = preau().args(sub).output().unwrap();
        assert!(out.status.success(), "{sub:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}
