//! Data written by an older schema is migrated at start; newer data is refused.

use preau::directory::{NewUser, USERS, USERS_BY_PROFILE, USER_BY_LOGIN};
use preau::policy::Profile;
use preau::store::migrate::open_at_version;

use crate::common::{test_settings, TestServer};

/// A store in `dir` opened at schema `version` (its migrations up to it run, no further):
/// what an older Préau left.
fn store_at_version(dir: &std::path::Path, version: u64) -> preau::store::Store {
    open_at_version(
        dir,
        &test_settings(dir).store_options(),
        &preau::schema::tables(),
        preau::schema::MIGRATIONS,
        version,
    )
    .unwrap()
}

#[tokio::test]
async fn a_version_1_store_gains_the_profile_index() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = store_at_version(dir.path(), 1);
        assert_eq!(store.schema_version().unwrap(), 1);
        // What Préau schema 1 wrote: the account and its login index, no profile index.
        store
            .commit_checked_blocking(|tx| {
                let user = NewUser {
                    login: "ancien".into(),
                    first_name: "Ancien".into(),
                    last_name: "Compte".into(),
                    profile: Profile::Responsable,
                    functions: vec![],
                    email: None,
                    password_hash: None,
                    must_change_password: false,
                    created_at: 0,
                };
                let id = preau::directory::create_user(tx, &user)?;
                tx.remove(&USERS_BY_PROFILE, &("responsable".to_string(), id))?;
                Ok(())
            })
            .unwrap();
        assert_eq!(store.count(USERS_BY_PROFILE.name).unwrap(), 0);
        assert_eq!(store.count(USERS.name).unwrap(), 1);
        assert_eq!(store.count(USER_BY_LOGIN.name).unwrap(), 1);
    }
    preau::schema::open(&test_settings(dir.path()))
        .map(|store| {
            assert_eq!(
                store.schema_version().unwrap(),
                preau::schema::current_version()
            );
            let parents = preau::directory::users(&store, Some(Profile::Responsable)).unwrap();
            assert_eq!(parents.len(), 1);
            assert!(preau::schema::check(&store).unwrap().is_empty());
        })
        .unwrap();
}

#[tokio::test]
async fn a_store_from_a_newer_preau_is_refused_with_an_explanation() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = preau::schema::open(&test_settings(dir.path())).unwrap();
        store
            .commit_blocking(|tx| tx.set_meta("schema_version", &99u64))
            .unwrap();
    }
    let err = match preau::app::start(test_settings(dir.path())).await {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a newer schema must be refused"),
    };
    assert!(err.contains("version plus récente"), "{err}");
    assert!(err.contains("99"));
}

#[tokio::test]
async fn data_survives_a_restart() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    c.login("directrice", "Cartable-2026").await;
    c.get("/admin/classes").await;
    c.post(
        "/admin/classes",
        &[("label", "Chorale des CM"), ("levels", "CM1")],
    )
    .await;
    let dir = server.stop().await;
    let server = TestServer::start_in(dir).await;
    let mut c = server.client();
    c.login("directrice", "Cartable-2026").await;
    let p = c.get("/admin/classes").await;
    assert!(p.body.contains("Chorale des CM"));
}

#[tokio::test]
async fn a_version_2_store_gains_the_index_of_each_persons_classes() {
    use preau::directory::{Level, Membership, CLASS_MEMBERS};
    let dir = tempfile::tempdir().unwrap();
    let (class, pupil) = {
        let store = store_at_version(dir.path(), 2);
        // What Préau schema 2 wrote: memberships by class only.
        store
            .commit_checked_blocking(|tx| {
                let class = preau::directory::create_class(tx, "CP", &[Level::CP])?;
                let pupil = preau::directory::create_user(
                    tx,
                    &NewUser {
                        login: "eleve".into(),
                        first_name: "Élève".into(),
                        last_name: "Ancien".into(),
                        profile: Profile::Eleve,
                        functions: vec![],
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                tx.put(&CLASS_MEMBERS, &(class, pupil), &Membership::Pupil)?;
                Ok((class, pupil))
            })
            .unwrap()
    };
    let store = preau::schema::open(&test_settings(dir.path())).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        preau::schema::current_version()
    );
    assert_eq!(
        preau::directory::classes_of(&store, pupil).unwrap(),
        vec![class]
    );
    assert!(preau::schema::check(&store).unwrap().is_empty());
}

/// Writes `tests/fixtures/schema-2.tar`, a backup of a school at schema 2, as Préau 0.1
/// schema 2 wrote it (memberships without the per-person index). Run once, by hand:
/// `cargo test --test it make_schema_2_fixture -- --ignored`.
#[test]
#[ignore]
fn make_schema_2_fixture() {
    use preau::directory::{Level, Membership, CLASS_MEMBERS};
    let dir = tempfile::tempdir().unwrap();
    let store = store_at_version(dir.path(), 2);
    store
        .commit_checked_blocking(|tx| {
            preau::school::save(
                tx,
                &preau::school::School {
                    name: "École du Vieux Chêne".into(),
                    uai: "0350001L".into(),
                    address: String::new(),
                    postcode: String::new(),
                    commune: "Chêne".into(),
                    academie: "Rennes".into(),
                    zone: preau::school::Zone::B,
                    services: vec![],
                },
            )?;
            tx.set_meta("installed_at", &1_700_000_000_000_000i64)?;
            let class = preau::directory::create_class(tx, "CE2-CM1", &[Level::CE2, Level::CM1])?;
            for (login, profile, role) in [
                (
                    "jeanne.directrice",
                    Profile::Enseignant,
                    Membership::Teacher,
                ),
                ("noe.eleve", Profile::Eleve, Membership::Pupil),
            ] {
                let id = preau::directory::create_user(
                    tx,
                    &NewUser {
                        login: login.into(),
                        first_name: login.split('.').next().unwrap().into(),
                        last_name: "Fixture".into(),
                        profile,
                        functions: vec![],
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                tx.put(&CLASS_MEMBERS, &(class, id), &role)?;
            }
            Ok(())
        })
        .unwrap();
    let dest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-2.tar");
    store.backup_to(&dest, 1_700_000_000_000_000).unwrap();
}

#[test]
fn a_stored_schema_2_archive_restores_and_migrates() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-2.tar");
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("ecole");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_preau"))
        .env_remove("PREAU_DATA_DIR")
        .arg("--data-dir")
        .arg(&dir)
        .arg("restore")
        .arg(&fixture)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sauvegarde du schéma 2"));
    let store = preau::schema::open(&test_settings(&dir)).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        preau::schema::current_version()
    );
    let noe = preau::directory::user_by_login(&store, "noe.eleve")
        .unwrap()
        .unwrap();
    let classes = preau::directory::classes_of(&store, noe.id).unwrap();
    assert_eq!(
        classes.len(),
        1,
        "the schema-3 index was built from the stored memberships"
    );
    assert_eq!(
        preau::school::get(&store).unwrap().unwrap().name,
        "École du Vieux Chêne"
    );
    assert!(preau::schema::check(&store).unwrap().is_empty());
}

/// Schema 9 kept one posting per record and term; schema 10 groups 64 records in a row
/// (a bit each). A store of schema 9 has its index built again at start, and the search
/// finds through it what it found before.
#[tokio::test]
async fn a_version_9_search_index_is_built_again_by_chunks_of_64() {
    use preau::agenda::{Calendar, Event, Repeat};
    use preau::search::{candidates, words, Kind, POSTINGS};
    use preau::store::keys::Key;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<u64> = (1..=70).collect();
    {
        let store = store_at_version(dir.path(), 9);
        store
            .commit_checked_blocking(|tx| {
                for id in &ids {
                    let event = Event {
                        id: *id,
                        calendar: Calendar::School,
                        title: format!("Sortie au musée numéro {id}"),
                        place: String::new(),
                        details: String::new(),
                        start: 0,
                        end: 1,
                        all_day: false,
                        repeat: Repeat::Never,
                        audience: preau::news::Audience::All,
                        author: 1,
                        created_at: 0,
                        imported_uid: None,
                    };
                    preau::agenda::insert(tx, &event)?;
                }
                Ok(())
            })
            .unwrap();
        // What schema 9 wrote: term, 0xff, the kind's byte, the record's key; no value.
        for id in &ids {
            for term in words::terms(&format!("Sortie au musée numéro {id}")) {
                let mut key = term.into_bytes();
                key.push(0xff);
                key.push(Kind::Event.code());
                key.extend_from_slice(&id.encode());
                store.raw_insert(POSTINGS.name, &key, b"null").unwrap();
            }
        }
    }
    let store = preau::schema::open(&test_settings(dir.path())).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        preau::schema::current_version()
    );
    // Every entry is of the new form (a chunk and its bits): none of schema 9's is left.
    let postings = store.scan(&POSTINGS).unwrap();
    assert!(postings
        .iter()
        .all(|(p, bits)| *bits != 0 && p.chunk.len() == 8));
    // « sortie », « musée », « numéro » in two chunks each (1–63, 64–70); each number
    // in one.
    assert_eq!(postings.len(), 3 * 2 + ids.len());
    let newest_first: Vec<(Kind, Vec<u8>)> = ids
        .iter()
        .rev()
        .map(|id| (Kind::Event, id.encode()))
        .collect();
    let query = words::query_terms("musée sortie");
    assert_eq!(candidates(&store, &query, 120).unwrap(), newest_first);
    let capped = candidates(&store, &query, 10).unwrap();
    assert_eq!(capped, newest_first[..10].to_vec());
    let one = candidates(&store, &words::query_terms("sortie 65"), 120).unwrap();
    assert_eq!(one, vec![(Kind::Event, 65u64.encode())]);
    assert!(preau::schema::check(&store).unwrap().is_empty());
}
