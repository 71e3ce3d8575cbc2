//! The technician's view of many schools: `/admin/etat` (off by default, by token, counts
//! only) and `preau fleet status` / `upgrade-plan` over three schools on loopback, one
//! with a stale backup and one whose certificate is about to expire.

use std::path::Path;
use std::time::Duration;

use crate::common::{install, TestServer, DIRECTOR_LOGIN};

const DAY: i64 = 86_400;

/// The token the director makes in the console (shown once on the page).
async fn make_token(server: &TestServer) -> String {
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let page = director.get("/admin/supervision").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("désactivée"));
    let page = director.post("/admin/supervision/jeton", &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let start = page.body.find("id=\"jeton-etat\">").unwrap() + "id=\"jeton-etat\">".len();
    let token: String = page.body[start..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    assert_eq!(token.len(), 64, "{token}");
    // Shown once: the page read again does not hold it.
    let again = director.get("/admin/supervision").await;
    assert!(!again.body.contains(&token));
    token
}

/// `GET /admin/etat` with an optional token: status and body.
async fn etat(server: &TestServer, token: Option<&str>) -> (u16, String) {
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(server.ca_pem.as_bytes()).unwrap()])
        .resolve("ecole.local", server.https)
        .build()
        .unwrap();
    let mut req = client.get(format!(
        "https://ecole.local:{}/admin/etat",
        server.https.port()
    ));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Waits for the backup the server makes when it starts (none was made before), so that
/// what the test records afterwards is not overwritten by it.
async fn first_backup(server: &TestServer) {
    let app = server.running.as_ref().unwrap().app.clone();
    for _ in 0..300 {
        if preau::store_backups::status(&app).is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no backup at start within 30 s");
}

fn activated(server: &TestServer) -> usize {
    preau::directory::users(&server.store(), None)
        .unwrap()
        .iter()
        .filter(|u| u.password_hash.is_some() && !u.disabled)
        .count()
}

#[tokio::test]
async fn the_status_is_off_by_default_then_answers_counts_to_its_token_only() {
    let server = TestServer::installed().await;
    assert_eq!(etat(&server, None).await.0, 404);
    assert_eq!(etat(&server, Some("0123")).await.0, 404);
    let token = make_token(&server).await;
    assert_eq!(etat(&server, None).await.0, 401);
    assert_eq!(etat(&server, Some(&"0".repeat(64))).await.0, 401);
    // The scheme in any case (RFC 9110): `bearer` from a script is the same.
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(server.ca_pem.as_bytes()).unwrap()])
        .resolve("ecole.local", server.https)
        .build()
        .unwrap();
    let lower = client
        .get(format!(
            "https://ecole.local:{}/admin/etat",
            server.https.port()
        ))
        .header("Authorization", format!("bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(lower.status().as_u16(), 200);
    let (status, body) = etat(&server, Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["schema"], preau::schema::current_version());
    assert!(v["disque_octets"].as_u64().unwrap() > 0);
    assert_eq!(v["comptes_actives"], activated(&server));
    // Counts and dates only: nothing names the school or a person.
    for name in [
        DIRECTOR_LOGIN,
        "Martin",
        "Tilleuls",
        "0350001L",
        "lou.petit",
    ] {
        assert!(!body.contains(name), "{name} in {body}");
    }
    // Withdrawn, the status is off again and the old token answers nothing.
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/admin/supervision").await;
    let page = director.post("/admin/supervision/desactiver", &[]).await;
    assert_eq!(page.status, 303);
    assert_eq!(etat(&server, Some(&token)).await.0, 404);
    server.stop().await;
}

/// The console's count of active accounts (« N comptes » over the list filtered on
/// « actif »).
async fn console_active(server: &TestServer) -> u64 {
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let page = director.get("/admin/comptes?etat=actif").await;
    assert_eq!(page.status, 200);
    let caption = page.body.split("<caption>").nth(1).unwrap();
    caption.split(' ').next().unwrap().trim().parse().unwrap()
}

#[tokio::test]
async fn a_pupil_signing_in_with_pictures_counts_as_activated_as_in_the_console() {
    let server = TestServer::installed().await;
    let token = make_token(&server).await;
    let count = |body: String| -> u64 {
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["comptes_actives"].as_u64().unwrap()
    };
    // Lou, a pupil, has never chosen a password and signs in with the pictures of the
    // cards printed for her class.
    let (_, lou, _) = crate::board::print_picture_cards(&server).await;
    server
        .store()
        .commit_checked_blocking(|tx| {
            let mut u = preau::directory::user_in(tx, lou)?.unwrap();
            u.password_hash = None;
            preau::directory::save_user(tx, &u)
        })
        .unwrap();
    let console = console_active(&server).await;
    let with_password = activated(&server) as u64;
    assert_eq!(console, with_password + 1);
    let after = count(etat(&server, Some(&token)).await.1);
    assert_eq!(
        after, console,
        "the status counted {after}, the console {console}"
    );
    server.stop().await;
}

/// A CA and a server certificate for loopback that expires in `days` days.
fn short_lived_certificate(
    dir: &Path,
    days: i64,
) -> (String, std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "CA de test du parc");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec!["ecole.local".into(), "localhost".into()]).unwrap();
    leaf.subject_alt_names
        .push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let now = time::OffsetDateTime::now_utc();
    leaf.not_before = now - time::Duration::days(1);
    // An hour short of `days`, so that « dans 9 j » holds however fast the test runs
    // (in the same second as this, exactly 10 days were left).
    leaf.not_after = now + time::Duration::days(days) - time::Duration::hours(1);
    let cert = leaf.signed_by(&key, &issuer).unwrap();
    let (cert_path, key_path) = (dir.join("server.pem"), dir.join("server.key"));
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    (ca_cert.pem(), cert_path, key_path)
}

fn run_fleet(args: Vec<String>) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_preau"))
        .arg("fleet")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn fleet_status_reports_three_schools_with_a_stale_backup_and_an_expiring_certificate() {
    let now = jiff::Timestamp::now().as_second();
    // Bourg: all well.
    let bourg = TestServer::installed().await;
    // Moulin: its last backup was five days ago.
    let moulin = TestServer::installed().await;
    // Cerisiers: the administrator's own certificate expires in ten days.
    let certs = tempfile::tempdir().unwrap();
    let (ca_pem, cert, key) = short_lived_certificate(certs.path(), 10);
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let mut cerisiers = TestServer::start_with(dir, |s| {
        s.tls_cert = Some(cert.clone());
        s.tls_key = Some(key.clone());
    })
    .await;
    cerisiers.ca_pem = ca_pem.clone();

    for s in [&bourg, &moulin, &cerisiers] {
        first_backup(s).await;
    }
    let app = moulin.running.as_ref().unwrap().app.clone();
    let five_days_ago = (now - 5 * DAY) * 1_000_000;
    let recorded =
        tokio::task::spawn_blocking(move || preau::store_backups::run(&app, five_days_ago))
            .await
            .unwrap();
    assert!(recorded.ok, "{}", recorded.message);

    let list_dir = tempfile::tempdir().unwrap();
    let ca_of = |name: &str, pem: &str| {
        let p = list_dir.path().join(format!("{name}-ca.pem"));
        std::fs::write(&p, pem).unwrap();
        p
    };
    let mut list = String::new();
    for (name, server) in [
        ("bourg", &bourg),
        ("moulin", &moulin),
        ("cerisiers", &cerisiers),
    ] {
        let token = make_token(server).await;
        list.push_str(&format!(
            "[[ecole]]\nnom = \"{name}\"\nurl = \"https://127.0.0.1:{}\"\njeton = \"{token}\"\nca = \"{}\"\n\n",
            server.https.port(),
            ca_of(name, &server.ca_pem).display()
        ));
    }
    let list_path = list_dir.path().join("ecoles.toml");
    std::fs::write(&list_path, list).unwrap();
    let list_arg = list_path.to_str().unwrap().to_string();

    let args: Vec<String> = ["status", "--ecoles", list_arg.as_str(), "--json"]
        .map(String::from)
        .to_vec();
    let (code, json, err) = tokio::task::spawn_blocking(move || run_fleet(args))
        .await
        .unwrap();
    // Two schools need attention: exit status 2.
    assert_eq!(code, Some(2), "{json}\n{err}");
    let seen: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(seen.len(), 3);
    let by_name = |n: &str| seen.iter().find(|s| s["nom"] == n).unwrap();
    for (name, server) in [
        ("bourg", &bourg),
        ("moulin", &moulin),
        ("cerisiers", &cerisiers),
    ] {
        let s = by_name(name);
        assert_eq!(s["erreur"], serde_json::Value::Null, "{name}: {s}");
        assert_eq!(s["etat"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(s["etat"]["schema"], preau::schema::current_version());
        assert_eq!(s["etat"]["comptes_actives"], activated(server), "{name}");
        assert!(s["etat"]["disque_octets"].as_u64().unwrap() > 0);
    }
    assert_eq!(by_name("bourg")["alertes"], serde_json::json!([]));
    let bourg_age = by_name("bourg")["etat"]["sauvegarde_age_secondes"]
        .as_i64()
        .unwrap();
    assert!(bourg_age < 3600, "{bourg_age}");
    // Moulin: its last backup is five days old, and only that is wrong.
    let moulin_seen = by_name("moulin");
    let age = moulin_seen["etat"]["sauvegarde_age_secondes"]
        .as_i64()
        .unwrap();
    assert!((5 * DAY..6 * DAY).contains(&age), "{age}");
    assert_eq!(
        moulin_seen["alertes"],
        serde_json::json!(["dernière sauvegarde réussie il y a 5 j"])
    );
    // Cerisiers: the certificate it presents, and the one it reports, expire in ten days.
    let c = by_name("cerisiers");
    let presented = c["certificat_presente"].as_i64().unwrap();
    assert!(
        (now + 9 * DAY..=now + 10 * DAY + 60).contains(&presented),
        "{presented}"
    );
    assert_eq!(c["etat"]["certificat_expiration"].as_i64(), Some(presented));
    assert_eq!(
        c["alertes"],
        serde_json::json!(["certificat expirant dans 9 j"])
    );
    // Bourg's own certificate (made by Préau) has more than a year left.
    let own = by_name("bourg")["certificat_presente"].as_i64().unwrap();
    assert!(own > now + 300 * DAY, "{own}");

    // The table: one line per school and the header.
    let args: Vec<String> = ["status", "--ecoles", list_arg.as_str()]
        .map(String::from)
        .to_vec();
    let (code, table, _) = tokio::task::spawn_blocking(move || run_fleet(args))
        .await
        .unwrap();
    assert_eq!(code, Some(2));
    println!("{table}");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(lines[0].starts_with("ÉCOLE"));
    assert!(
        lines[1].starts_with("bourg") && lines[1].ends_with("OK"),
        "{table}"
    );
    assert!(lines[2].contains("il y a 5 j"), "{table}");
    assert!(lines[3].contains("certificat expirant dans 9 j"), "{table}");

    // The upgrade plan: every school runs this version; the two with alerts are listed
    // with what to do, none is to be upgraded blindly.
    let args: Vec<String> = ["upgrade-plan", "--ecoles", list_arg.as_str(), "--json"]
        .map(String::from)
        .to_vec();
    let (_, plan, err) = tokio::task::spawn_blocking(move || run_fleet(args))
        .await
        .unwrap();
    let steps: Vec<serde_json::Value> =
        serde_json::from_str(&plan).unwrap_or_else(|e| panic!("{e}: {plan} {err}"));
    assert_eq!(steps.len(), 3);
    assert!(steps.iter().all(|s| s["decision"] == "a-jour"), "{plan}");

    // A wrong token is reported for that school, not the others; the second school's
    // line loses its `ca`, and the message says which option to set.
    let bad = std::fs::read_to_string(&list_path)
        .unwrap()
        .replacen("jeton = \"", "jeton = \"x", 1);
    let mut cas = 0;
    let bad: Vec<&str> = bad
        .lines()
        .filter(|l| {
            let ca = l.starts_with("ca = ");
            cas += ca as usize;
            !(ca && cas == 2)
        })
        .collect();
    std::fs::write(&list_path, bad.join("\n")).unwrap();
    let args: Vec<String> = ["status", "--ecoles", list_arg.as_str(), "--json"]
        .map(String::from)
        .to_vec();
    let (_, json, _) = tokio::task::spawn_blocking(move || run_fleet(args))
        .await
        .unwrap();
    let seen: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    // The school answered: refused, not « injoignable ».
    assert_eq!(seen[0]["erreur"], "jeton refusé");
    assert_eq!(seen[0]["alertes"], serde_json::json!(["jeton refusé"]));
    let untrusted = seen[1]["erreur"].as_str().unwrap();
    assert!(
        untrusted.contains("option `ca`") && !untrusted.contains("UnknownIssuer"),
        "{untrusted}"
    );
    assert_eq!(seen[2]["erreur"], serde_json::Value::Null);

    for s in [bourg, moulin, cerisiers] {
        s.stop().await;
    }
}

/// The Kubernetes CronJob runs `preau backup --out /sauvegardes/`: through the running
/// server, a dated archive in that folder, rotated as the nightly ones.
#[tokio::test]
async fn a_backup_into_a_folder_through_the_server_is_dated_and_rotated() {
    let server = TestServer::installed().await;
    first_backup(&server).await;
    let folder = tempfile::tempdir().unwrap();
    // Twelve nights of archives already there, and a file that is not Préau's.
    let today = jiff::tz::TimeZone::UTC
        .to_datetime(jiff::Timestamp::now())
        .date();
    let mut stamps = Vec::new();
    for i in 1..=12 {
        let day = today.checked_sub(jiff::Span::new().days(i)).unwrap();
        let stamp = format!("{}-013500", day.strftime("%Y%m%d"));
        std::fs::write(folder.path().join(format!("preau-nuit-{stamp}.tar")), b"x").unwrap();
        stamps.push(stamp);
    }
    std::fs::write(folder.path().join("notes.txt"), b"x").unwrap();
    let data = server.dir.path().to_path_buf();
    let out_dir = folder.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_preau"))
            .arg("--data-dir")
            .arg(&data)
            .args(["backup", "--out"])
            .arg(&out_dir)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let new: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with(&format!("preau-nuit-{}", today.strftime("%Y%m%d"))))
        .collect();
    assert_eq!(new.len(), 1, "{names:?}");
    let archive = std::fs::read(folder.path().join(new[0])).unwrap();
    assert!(archive.len() > 1024, "a real archive");
    // 13 archives: the 7 newest stay, then one per ISO week for the older ones.
    stamps.insert(0, new[0]["preau-nuit-".len()..new[0].len() - 4].to_string());
    let kept = preau::store_backups::keep(&stamps);
    let mut want: Vec<String> = kept.iter().map(|s| format!("preau-nuit-{s}.tar")).collect();
    want.push("notes.txt".into());
    want.sort();
    assert_eq!(names, want);
    assert!(names.len() < 13);
    server.stop().await;
}
