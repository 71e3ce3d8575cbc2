//! Usage statistics: the figures equal the connection journal's counts and the creations
//! made through the pages; only aggregates (profiles, never a login) reach the CSV.

use preau::auth::journal::{ConnectionKind, CONNECTIONS};

use crate::common::{publish_class_mot, TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn the_figures_are_the_journals_and_the_pages_creations() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut paul = server.signed_in("paul.durand").await;
    let _marc = server.signed_in("marc.petit").await;
    let _marc_again = server.signed_in("marc.petit").await;
    let _anne = server.signed_in("anne.petit").await;
    paul.get("/messagerie/ecrire").await;
    let to = format!("u{}", f.ines);
    let sent = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", to.as_str()),
                ("subject", "Sortie"),
                ("body", "Bonjour"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let now = preau::auth::now_micros();
    publish_class_mot(&store, f.paul, f.cm, "Piscine", now).await;

    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    // What the journal holds today, by profile.
    let people = preau::directory::people::People::load(&store).unwrap();
    let mut logins = std::collections::BTreeMap::new();
    let mut accounts = std::collections::BTreeMap::new();
    for (_, e) in store.scan(&CONNECTIONS).unwrap() {
        if e.kind == ConnectionKind::Login {
            let u = people.user(e.user_id.unwrap()).unwrap();
            *logins.entry(u.profile.slug()).or_insert(0u64) += 1;
            accounts
                .entry(u.profile.slug())
                .or_insert_with(std::collections::BTreeSet::new)
                .insert(u.id);
        }
    }
    assert_eq!(logins.get("responsable"), Some(&3), "Marc twice, Anne once");

    let page = director.get("/admin/statistiques?periode=jour").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg") && page.body.contains("Familles ayant activé"));
    let csv = director
        .get("/admin/statistiques/export.csv?periode=jour")
        .await
        .body;
    let today = preau::ui::dates::date_value(now);
    for (profile, n) in &logins {
        assert!(
            csv.contains(&format!("{today};connexions;{profile};{n}\n")),
            "{profile}: {n} in\n{csv}"
        );
        let distinct = accounts[profile].len();
        assert!(csv.contains(&format!("{today};comptes actifs;{profile};{distinct}\n")));
    }
    assert!(
        csv.contains(&format!("{today};messages;enseignant;1\n")),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{today};mots;enseignant;1\n")),
        "{csv}"
    );
    // Aggregates only: no login, no name.
    assert!(!csv.contains("marc") && !csv.contains("Durand"));
    for period in ["semaine", "mois", "annee"] {
        let p = director
            .get(&format!("/admin/statistiques?periode={period}"))
            .await;
        assert_eq!(p.status, 200, "{period}");
    }
    assert_eq!(paul.get("/admin/statistiques").await.status, 403);
    server.stop().await;
}

/// Schema 8 makes the counters from what a school already holds: a version 7 store
/// (no counters) gains the same figures as the pages counted.
#[tokio::test]
async fn a_version_7_store_gains_its_counters_from_its_records() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/messagerie/ecrire").await;
    let to = format!("u{}", f.ines);
    for subject in ["Sortie", "Piscine"] {
        let sent = paul
            .post_multipart(
                "/messagerie/ecrire",
                &[
                    ("to", to.as_str()),
                    ("subject", subject),
                    ("body", "Bonjour"),
                    ("action", "envoyer"),
                ],
                &[],
            )
            .await;
        assert_eq!(sent.status, 303);
    }
    publish_class_mot(&store, f.paul, f.cm, "Piscine", preau::auth::now_micros()).await;
    let counted: Vec<(String, u64)> = store.scan(&preau::stats::DAILY).unwrap();
    assert_eq!(counted.len(), 2, "{counted:?}");
    drop(store);
    let dir = server.stop().await;
    let settings = crate::common::test_settings(dir.path());
    {
        let store = preau::schema::open(&settings).unwrap();
        store
            .commit_blocking(|tx| {
                for (k, _) in &counted {
                    tx.remove(&preau::stats::DAILY, k)?;
                }
                tx.set_meta(preau::store::migrate::SCHEMA_KEY, &7u64)
            })
            .unwrap();
        assert!(store.scan(&preau::stats::DAILY).unwrap().is_empty());
    }
    let store = preau::schema::open(&settings).unwrap();
    assert_eq!(
        store.scan(&preau::stats::DAILY).unwrap(),
        counted,
        "made again by migration 8"
    );
    // Made again on a store that has them, nothing is counted twice.
    preau::stats::rebuild(&store).unwrap();
    assert_eq!(store.scan(&preau::stats::DAILY).unwrap(), counted);
}
