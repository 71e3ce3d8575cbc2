//! A school upgraded in the order docs/hebergement.md gives (backup → migrate → check),
//! from what the previous release left: `tests/fixtures/schema-2.tar`, a backup written
//! by Préau 0.1 at schema 2. No earlier release's binary is kept in the repository, so
//! its data stands for it: the folder is rebuilt at schema 2 exactly as that release
//! kept it, then this version starts on it.

use preau::store::backup::{read_archive, restore_into};
use preau::store::migrate::open_at_version;

use crate::common::{test_settings, TestServer};

#[tokio::test]
async fn a_school_of_the_previous_release_is_upgraded_backup_then_migrate_then_check() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-2.tar");
    let dir = tempfile::tempdir().unwrap();
    let offsite = tempfile::tempdir().unwrap();
    let before = offsite.path().join("avant-mise-a-jour.tar");
    {
        // The school's data folder as the previous release kept it: schema 2.
        let settings = test_settings(dir.path());
        preau::app::prepare_data_dir(dir.path()).unwrap();
        let (_, records, blobs) = read_archive(&fixture, preau::schema::current_version()).unwrap();
        let store = open_at_version(
            dir.path(),
            &settings.store_options(),
            &preau::schema::tables(),
            preau::schema::MIGRATIONS,
            2,
        )
        .unwrap();
        restore_into(&store, &records, &blobs).unwrap();
        assert_eq!(store.schema_version().unwrap(), 2);
        // 1. Backup, while the previous release still runs, copied off the machine.
        store.backup_to(&before, 1_800_000_000_000_000).unwrap();
    }

    // 2. Migrate: the new version starts on the folder and migrates, after its own backup.
    let server = TestServer::start_in(dir).await;
    let mut c = server.client();
    let health = c.get("/healthz").await;
    assert_eq!(health.status, 200);
    let h: serde_json::Value = serde_json::from_str(&health.body).unwrap();
    assert_eq!(h["schema_version"], preau::schema::current_version());
    assert_eq!(h["installed"], true);

    // 3. Check: what the technician's status reads, then `preau check` on the folder.
    let token = preau::fleet::new_token(&server.store(), 0).await.unwrap();
    let etat = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(server.ca_pem.as_bytes()).unwrap()])
        .resolve("ecole.local", server.https)
        .build()
        .unwrap()
        .get(format!(
            "https://ecole.local:{}/admin/etat",
            server.https.port()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(etat.status(), 200);
    let etat: serde_json::Value = etat.json().await.unwrap();
    assert_eq!(etat["schema"], preau::schema::current_version());
    assert_eq!(etat["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(etat["comptes"], 2, "the fixture's two accounts");
    let dir = server.stop().await;
    let copies: Vec<String> = std::fs::read_dir(dir.path().join("sauvegardes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        copies
            .iter()
            .any(|n| n.starts_with("avant-migration-schema-2-")),
        "{copies:?}"
    );
    let preau_cmd = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_preau"))
            .env_remove("PREAU_DATA_DIR")
            .args(args)
            .output()
            .unwrap()
    };
    let out = preau_cmd(&[
        "--data-dir".as_ref(),
        dir.path().as_os_str(),
        "check".as_ref(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Intégrité : OK"), "{text}");

    // The way back stays open: the backup of step 1 restores into an empty folder.
    let back = offsite.path().join("retour");
    let out = preau_cmd(&[
        "--data-dir".as_ref(),
        back.as_os_str(),
        "restore".as_ref(),
        before.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sauvegarde du schéma 2"));
}
