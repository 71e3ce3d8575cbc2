//! The console's other lists that grow with the school or the years, in pages with the
//! same links as the accounts list: the journals, a group's members, and the people one
//! may add to a class or a group (found by name rather than sent as thousands of options).

use crate::accounts_list::{add_many, rows};
use crate::common::*;
use preau::directory;

fn user_id(store: &preau::store::Store, login: &str) -> u64 {
    directory::user_by_login(store, login).unwrap().unwrap().id
}

/// The options of the select named `name`.
fn options(body: &str, name: &str) -> usize {
    body.split(&format!("<select id=\"f-{name}\" name=\"{name}\""))
        .nth(1)
        .map(|t| {
            t.split("</select>")
                .next()
                .unwrap_or("")
                .matches("<option value=\"")
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn the_journals_come_in_pages_of_their_own() {
    use preau::auth::journal::{record_audit, AuditEvent};
    let (server, _folks) = TestServer::school().await;
    let store = server.store();
    // Newer than anything the rig wrote, and never old enough for the retention purge.
    let base = preau::auth::now_micros() + 3_600_000_000;
    store
        .commit_blocking(|tx| {
            for i in 0..120 {
                record_audit(
                    tx,
                    &AuditEvent {
                        at: base + i * 1_000_000,
                        actor_id: None,
                        actor_login: "directrice".into(),
                        action: format!("Action numéro {i:03}"),
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    store.flush_blocking().unwrap();
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;

    let first = admin.get("/admin/journal").await;
    assert_eq!(first.status, 200);
    assert_eq!(
        rows(&first.body),
        50,
        "50 actions on the first page: {}",
        first.body
    );
    assert!(first.body.contains("Action numéro 119") && !first.body.contains("Action numéro 069"));
    assert!(
        first
            .body
            .contains(r#"rel="next" href="/admin/journal?actions=2""#),
        "{}",
        first.body
    );

    // Page 2 of the actions, with the connections' page kept in the links.
    let second = admin.get("/admin/journal?actions=2&connexions=1").await;
    assert!(second.body.contains("Action numéro 069") && second.body.contains("Action numéro 020"));
    assert!(
        !second.body.contains("Action numéro 070") && !second.body.contains("Action numéro 019")
    );
    assert!(second.body.contains("page 2"));

    let past = admin.get("/admin/journal?actions=40").await;
    assert_eq!(past.status, 200);
    assert!(
        past.body.contains("La page 40 n'existe pas"),
        "{}",
        past.body
    );
    assert!(
        past.body.contains("Action numéro 000"),
        "the last page is shown"
    );
    assert_eq!(admin.get("/admin/journal?connexions=abc").await.status, 200);
}

#[tokio::test]
async fn a_group_of_many_shows_its_members_in_pages_and_finds_whom_to_add() {
    let (server, _folks) = TestServer::school().await;
    let store = server.store();
    add_many(&store);
    let singers: Vec<u64> = (0..60)
        .map(|i| user_id(&store, &format!("pagination.p{i:03}")))
        .collect();
    let group = store
        .commit_checked_blocking(|tx| {
            let g = directory::create_group(tx, "Chorale", "")?;
            for id in &singers {
                directory::add_to_group(tx, g, *id)?;
            }
            Ok(g)
        })
        .unwrap();
    store.flush_blocking().unwrap();
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;

    let path = format!("/admin/groupes/{group}");
    let first = admin.get(&path).await;
    assert_eq!(first.status, 200);
    assert_eq!(rows(&first.body), 50);
    assert!(
        first.body.contains("60 membres — page 1 sur 2"),
        "{}",
        first.body
    );
    let second = admin.get(&format!("{path}?page=2")).await;
    assert_eq!(rows(&second.body), 10);
    assert!(second.body.contains("P050 ") || second.body.contains(" P050"));

    // 60 more people could join: the first 50 are offered, and a name finds the others.
    assert_eq!(options(&first.body, "user_id"), 50, "{}", first.body);
    assert!(first.body.contains("Précisez le nom"));
    assert!(first.body.contains(r#"<label for="personne">"#));
    let found = admin.get(&format!("{path}?personne=p119")).await;
    assert_eq!(options(&found.body, "user_id"), 1, "{}", found.body);
    let p119 = user_id(&store, "pagination.p119");
    assert!(found.body.contains(&format!("<option value=\"{p119}\">")));
    // Members already in the group are not offered again.
    let member = admin.get(&format!("{path}?personne=p001")).await;
    assert_eq!(options(&member.body, "user_id"), 0);
    assert!(member.body.contains("Personne à ajouter ne correspond"));

    // The add form still carries its CSRF field and adds.
    let added = admin
        .post(
            &format!("{path}/membres"),
            &[("user_id", &p119.to_string())],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert!(admin
        .get(&format!("{path}?page=2"))
        .await
        .body
        .contains("P119"));
    // Without it, refused.
    let forged = admin
        .post_raw(&format!("{path}/membres"), &[("user_id", "1")])
        .await;
    assert_eq!(forged.status, 403);
}

#[tokio::test]
async fn a_class_finds_whom_to_add_by_name() {
    let (server, folks) = TestServer::school().await;
    let store = server.store();
    add_many(&store);
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;
    let path = format!("/admin/classes/{}", folks.cm);
    let page = admin.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(options(&page.body, "user_id"), 50, "at most 50 offered");
    let found = admin.get(&format!("{path}?personne=pagination+p07")).await;
    assert_eq!(options(&found.body, "user_id"), 10, "P070 … P079");
    let p070 = user_id(&store, "pagination.p070");
    let added = admin
        .post(
            &format!("{path}/membres"),
            &[("user_id", &p070.to_string())],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = admin.get(&path).await;
    assert!(page.body.contains(&format!("/admin/comptes/{p070}")));
}

#[tokio::test]
async fn photo_authorisations_come_one_class_at_a_time_and_save_that_class_only() {
    let (server, f) = TestServer::school().await;
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;
    admin.get("/admin/autorisations-photo").await;
    let r = admin
        .post(
            "/admin/autorisations-photo",
            &[("title", "Blog 2026-2027"), ("required", "1")],
        )
        .await;
    let project = r.location.unwrap();
    let cp = admin.get(&format!("{project}?classe={}", f.cp)).await;
    assert!(cp.body.contains(&format!("s-{}-{}", f.lou, f.marc)));
    assert!(
        !cp.body.contains(&format!("s-{}-{}", f.zoe, f.ines)),
        "one class per page"
    );
    let signed = |p: u64, g: u64| format!(r#"value="{p}-{g}" checked"#);

    let lou_marc = format!("{}-{}", f.lou, f.marc);
    let r = admin
        .post(
            &project,
            &[("classe", &f.cp.to_string()), ("signe", &lou_marc)],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("{project}?classe={}", f.cp).as_str())
    );
    admin.get(&format!("{project}?classe={}", f.cm)).await;
    // Saving the CM1-CM2 (with a forged signature for a CP pupil) leaves the CP as it was.
    let zoe_ines = format!("{}-{}", f.zoe, f.ines);
    let lou_anne = format!("{}-{}", f.lou, f.anne);
    admin
        .post(
            &project,
            &[
                ("classe", &f.cm.to_string()),
                ("signe", &zoe_ines),
                ("signe", &lou_anne),
            ],
        )
        .await;
    let cm = admin.get(&format!("{project}?classe={}", f.cm)).await;
    assert!(cm.body.contains(&signed(f.zoe, f.ines)), "{}", cm.body);
    let cp = admin.get(&format!("{project}?classe={}", f.cp)).await;
    assert!(
        cp.body.contains(&signed(f.lou, f.marc)),
        "the CP kept: {}",
        cp.body
    );
    assert!(
        !cp.body.contains(&signed(f.lou, f.anne)),
        "nothing forged into the CP"
    );
    assert_eq!(
        admin.get(&format!("{project}?classe=abc")).await.status,
        200
    );
}

/// The director's carnet lists the teachers' mots of the whole school, newest first, a
/// page at a time (the school's years of mots are not all read for one page).
#[tokio::test]
async fn the_directors_carnet_shows_the_schools_mots_in_pages() {
    let (server, _) = TestServer::school().await;
    let store = server.store();
    let teacher = user_id(&store, "paul.durand");
    let class = directory::classes_of(&store, teacher).unwrap()[0];
    let now = preau::auth::now_micros();
    for n in 1..=55 {
        let title = format!("Mot numéro {n}");
        publish_class_mot(&store, teacher, class, &title, now - 1000 + n).await;
    }
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let first = director.get("/carnet").await;
    assert_eq!(first.status, 200);
    assert!(first.body.contains("Mot numéro 55<"), "newest first");
    assert!(first.body.contains("Mot numéro 6<"));
    assert!(!first.body.contains("Mot numéro 5<"), "50 a page");
    assert!(first.body.contains("href=\"/carnet?page=2\""));
    let second = director.get("/carnet?page=2").await;
    assert!(second.body.contains("Mot numéro 5<") && second.body.contains("Mot numéro 1<"));
    assert!(!second.body.contains("Mot numéro 6<"));
    let past = director.get("/carnet?page=7").await;
    assert_eq!(past.status, 200);
    assert!(past.body.contains("La page 7 n'existe pas"));
    // The teacher who wrote them sees their own list, without the director's pages.
    let mut paul = server.signed_in("paul.durand").await;
    assert!(!paul
        .get("/carnet")
        .await
        .body
        .contains("Pages des mots des enseignants"));
}
