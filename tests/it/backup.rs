//! Backups: through the running server, restored into an empty folder with the same
//! logical content; damaged or newer archives are refused; a copy is taken before any
//! migration.

use std::process::Command;

use crate::common::{install, test_settings, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

fn preau(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_preau"));
    c.env_remove("PREAU_DATA_DIR")
        .env("PREAU_BCRYPT_COST", "4")
        .arg("--data-dir")
        .arg(dir);
    c
}

// Multi-threaded: the command line blocks this test while the server answers it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_through_the_running_server_then_restore_gives_the_same_school() {
    let server = TestServer::installed().await;
    let app = server.running.as_ref().unwrap().app.clone();
    let store = app.store.clone();
    // The first nightly backup runs at start: let it finish so that it writes nothing
    // between this test's backup and its comparison.
    for _ in 0..200 {
        if preau::store_backups::status(&app).is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        preau::store_backups::status(&app).is_some(),
        "the first backup ran at start"
    );
    let blob = store.blobs().put_bytes(b"un dessin de Lou").unwrap();
    store
        .commit(|tx| tx.set_meta("essai_blob", &blob))
        .await
        .unwrap();
    // Some activity to back up, while the server runs.
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    admin.get("/admin/classes").await;
    admin
        .post(
            "/admin/classes",
            &[("label", "Chorale des CM"), ("levels", "CM1")],
        )
        .await;

    let out_dir = tempfile::tempdir().unwrap();
    let archive = out_dir.path().join("ecole.tar");
    let out = preau(server.dir.path())
        .args(["backup", "--out"])
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Sauvegarde écrite"));
    // The backup's own status is recorded once it is written, so it is not in it.
    let without_status = |dump: Vec<(String, String, serde_json::Value)>| {
        let key = hex::encode("backup_status");
        dump.into_iter()
            .filter(|(t, k, _)| !(t == "meta" && *k == key))
            .collect::<Vec<_>>()
    };
    let original = without_status(preau::store::backup::logical_dump(&store).unwrap());
    server.stop().await;

    let target = tempfile::tempdir().unwrap();
    let restored_dir = target.path().join("restaure");
    let out = preau(&restored_dir)
        .arg("restore")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = preau::schema::open(&test_settings(&restored_dir)).unwrap();
    assert_eq!(
        without_status(preau::store::backup::logical_dump(&restored).unwrap()),
        original
    );
    assert_eq!(restored.blobs().read(&blob).unwrap(), b"un dessin de Lou");
    assert!(preau::schema::check(&restored).unwrap().is_empty());
}

#[tokio::test]
async fn damaged_newer_or_misplaced_archives_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let archive = dir.path().join("sauvegarde.tar");
    let out = preau(dir.path())
        .args(["backup", "--out"])
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // One byte changed inside the records.
    let mut bytes = std::fs::read(&archive).unwrap();
    let at = bytes.windows(9).position(|w| w == b"directric").unwrap();
    bytes[at] = b'D';
    let damaged = dir.path().join("abimee.tar");
    std::fs::write(&damaged, &bytes).unwrap();
    let target = tempfile::tempdir().unwrap();
    let out = preau(&target.path().join("a"))
        .arg("restore")
        .arg(&damaged)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("endommagée"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!target.path().join("a").exists(), "nothing was written");

    // A backup into a folder that does not exist: one sentence, nothing left behind.
    let out = preau(dir.path())
        .args(["backup", "--out", "/nulle-part/ecole.tar"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "impossible d'écrire la sauvegarde dans /nulle-part : ce dossier n'existe pas"
        ),
        "{err}"
    );
    // Something that is not an archive.
    let junk = dir.path().join("pas-une-sauvegarde.tar");
    std::fs::write(&junk, b"bonjour").unwrap();
    let out = preau(&target.path().join("c"))
        .arg("restore")
        .arg(&junk)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("endommagée"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A non-empty destination.
    let out = preau(dir.path())
        .arg("restore")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("n'est pas vide"));

    // An archive from a newer Préau.
    let mut archive_tar = tar::Archive::new(std::fs::File::open(&archive).unwrap());
    let mut rebuilt = tar::Builder::new(Vec::new());
    for entry in archive_tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&data).unwrap();
            m["schema_version"] = 99.into();
            data = serde_json::to_vec(&m).unwrap();
        }
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o600);
        h.set_cksum();
        rebuilt.append_data(&mut h, name, &data[..]).unwrap();
    }
    let newer = dir.path().join("future.tar");
    std::fs::write(&newer, rebuilt.into_inner().unwrap()).unwrap();
    let out = preau(&target.path().join("b"))
        .arg("restore")
        .arg(&newer)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("version plus récente"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_backup_is_taken_before_a_migration() {
    use preau::store::migrate::open_at_version;
    let dir = tempfile::tempdir().unwrap();
    {
        let s = test_settings(dir.path());
        let store = open_at_version(
            dir.path(),
            &s.store_options(),
            &preau::schema::tables(),
            preau::schema::MIGRATIONS,
            2,
        )
        .unwrap();
        store
            .commit_blocking(|tx| tx.set_meta("trace", &"avant"))
            .unwrap();
    }
    let store = preau::schema::open(&test_settings(dir.path())).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        preau::schema::current_version()
    );
    drop(store);
    let copies: Vec<_> = std::fs::read_dir(dir.path().join("sauvegardes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(copies.len(), 1);
    assert!(copies[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("avant-migration-schema-2-"));
    let target = tempfile::tempdir().unwrap();
    let out = preau(&target.path().join("r"))
        .arg("restore")
        .arg(&copies[0])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("schéma 2"));
}

#[tokio::test]
async fn nightly_backups_rotate_and_the_console_warns_when_they_fail() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let usb = tempfile::tempdir().unwrap();
    let usb_path = usb.path().join("cle");
    let server = TestServer::start_with(dir, |s| s.backup_dir = Some(usb_path.clone())).await;
    let app = server.running.as_ref().unwrap().app.clone();
    // The drive is not plugged in: the failure is recorded, nothing is created.
    let status = preau::store_backups::run(&app, preau::auth::now_micros());
    assert!(!status.ok);
    assert!(!usb_path.exists());
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let p = admin.get("/admin").await;
    assert!(p.body.contains("La dernière sauvegarde a échoué") && p.body.contains("introuvable"));
    // Plugged in: twelve nights of backups keep seven.
    std::fs::create_dir(&usb_path).unwrap();
    let day = 86_400_000_000i64;
    let start = preau::auth::now_micros() - 12 * day;
    for n in 0..12 {
        assert!(preau::store_backups::run(&app, start + n * day).ok);
    }
    let files = std::fs::read_dir(&usb_path).unwrap().count();
    assert!((7..=9).contains(&files), "{files} archives kept");
    admin.get("/admin").await;
    let p = admin.post("/admin/sauvegarde", &[]).await;
    assert_eq!(p.location.as_deref(), Some("/admin"));
    let p = admin.get("/admin").await;
    assert!(p.body.contains("Sauvegarde faite") && p.body.contains("Dernière sauvegarde"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_restores_to_a_consistent_school() {
    let server = TestServer::installed().await;
    let https = server.https;
    let base_client = server.client();
    let base = base_client.base.clone();
    let ca = server.ca_pem.clone();
    // A director creating accounts and classes as fast as the server answers.
    let writer = tokio::spawn(async move {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .tls_certs_only([reqwest::Certificate::from_pem(ca.as_bytes()).unwrap()])
            .resolve("ecole.local", https)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = http
            .get(format!("{base}/connexion"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let t = crate::common::extract_csrf(&page).unwrap();
        http.post(format!("{base}/connexion"))
            .form(&[
                ("login", DIRECTOR_LOGIN),
                ("password", DIRECTOR_PASSWORD),
                ("_csrf", &t),
            ])
            .send()
            .await
            .unwrap();
        let until = std::time::Instant::now() + std::time::Duration::from_millis(1500);
        let mut n = 0;
        while std::time::Instant::now() < until {
            let page = http
                .get(format!("{base}/admin/comptes/nouveau"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let t = crate::common::extract_csrf(&page).unwrap();
            let login = format!("charge{n}");
            http.post(format!("{base}/admin/comptes/nouveau"))
                .form(&[
                    ("first_name", "Charge"),
                    ("last_name", "Test"),
                    ("profile", "eleve"),
                    ("class_id", "1"),
                    ("login", &login),
                    ("_csrf", &t),
                ])
                .send()
                .await
                .unwrap();
            n += 1;
        }
        n
    });
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let out_dir = tempfile::tempdir().unwrap();
    let archive = out_dir.path().join("en-charge.tar");
    let data = server.dir.path().to_path_buf();
    let a = archive.clone();
    let out = tokio::task::spawn_blocking(move || {
        preau(&data)
            .args(["backup", "--out"])
            .arg(&a)
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
    let written = writer.await.unwrap();
    assert!(written > 0);
    server.stop().await;
    let target = tempfile::tempdir().unwrap();
    let restored = target.path().join("r");
    let out = preau(&restored)
        .arg("restore")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `restore` runs `preau check`'s verification; check again from the command line.
    let check = preau(&restored).arg("check").output().unwrap();
    assert!(String::from_utf8_lossy(&check.stdout).contains("Intégrité : OK"));
}

/// The server's backup status, once the backup it makes at start is recorded.
async fn settled_status(app: &preau::app::App) -> preau::store_backups::BackupStatus {
    for _ in 0..300 {
        if let Some(s) = preau::store_backups::status(app) {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no backup at start within 30 s");
}

// Multi-threaded: the command line blocks this test while the server answers it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preau_backup_goes_to_the_backup_folder_and_is_recorded_like_the_nightly_one() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let usb = tempfile::tempdir().unwrap();
    let usb_path = usb.path().join("cle");
    std::fs::create_dir(&usb_path).unwrap();
    let server = TestServer::start_with(dir, |s| s.backup_dir = Some(usb_path.clone())).await;
    let app = server.running.as_ref().unwrap().app.clone();
    let first = settled_status(&app).await;

    // Through the socket, without --out: in the server's backup folder (the shell running
    // the command does not know it), dated as the nightly ones, and recorded.
    let out = preau(server.dir.path())
        .env_remove("PREAU_BACKUP_DIR")
        .arg("backup")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(usb_path.to_str().unwrap()), "{stdout}");
    assert!(stdout.contains(preau::store_backups::PREFIX), "{stdout}");
    assert!(!server.dir.path().join("sauvegardes").exists());
    let after = preau::store_backups::status(&app).unwrap();
    assert!(after.ok && after.at > first.at, "{after:?} after {first:?}");
    assert_eq!(after.last_success, Some(after.at));

    // The drive unplugged: the failure is recorded too, the last success kept.
    std::fs::remove_dir_all(&usb_path).unwrap();
    let out = preau(server.dir.path()).arg("backup").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("introuvable"));
    let failed = preau::store_backups::status(&app).unwrap();
    assert!(!failed.ok && failed.at > after.at, "{failed:?}");
    assert_eq!(failed.last_success, after.last_success);

    // A folder that does not exist is named as such, in French.
    let missing = usb.path().join("absent/");
    let out = preau(server.dir.path())
        .arg("backup")
        .arg("--out")
        .arg(&missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("n'existe pas") && !stderr.contains("Not a directory"),
        "{stderr}"
    );
    drop(app);
    let kept = server.stop().await;
    let data = kept.path().to_path_buf();

    // No server running: the configured folder (PREAU_BACKUP_DIR) all the same, recorded.
    let usb2 = usb.path().join("cle2");
    std::fs::create_dir(&usb2).unwrap();
    let out = preau(&data)
        .env("PREAU_BACKUP_DIR", &usb2)
        .arg("backup")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(&usb2)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].starts_with(preau::store_backups::PREFIX),
        "{names:?}"
    );
    let store = preau::schema::open(&test_settings(&data)).unwrap();
    let status: preau::store_backups::BackupStatus = store.meta("backup_status").unwrap().unwrap();
    assert!(status.ok && status.at > failed.at, "{status:?}");
}
