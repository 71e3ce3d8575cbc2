//! The director's accounts list (/admin/comptes) in pages of 50: page links that keep the
//! filters, a search that folds accents and case, filters combined with it, a page past
//! the end, and the list still closed to everyone but the director.

use crate::common::*;
use preau::directory::{self, Membership, NewUser};
use preau::policy::Profile;

/// Adds accounts without password (« à activer »), each in `class` as a pupil if given.
pub fn add_accounts(
    store: &preau::store::Store,
    people: &[(&str, &str, &str, Profile)],
    class: Option<u64>,
) {
    store
        .commit_checked_blocking(|tx| {
            for (login, first, last, profile) in people {
                let id = directory::create_user(
                    tx,
                    &NewUser {
                        login: (*login).into(),
                        first_name: (*first).into(),
                        last_name: (*last).into(),
                        profile: *profile,
                        functions: vec![],
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                if let Some(c) = class {
                    directory::add_member(tx, c, id, Membership::Pupil)?;
                }
            }
            Ok(())
        })
        .unwrap();
    store.flush_blocking().unwrap();
}

/// 120 pupils named « Pagination », first names P000 … P119 (the list's name order).
pub fn add_many(store: &preau::store::Store) {
    let names: Vec<(String, String)> = (0..120)
        .map(|i| (format!("pagination.p{i:03}"), format!("P{i:03}")))
        .collect();
    let people: Vec<(&str, &str, &str, Profile)> = names
        .iter()
        .map(|(l, f)| (l.as_str(), f.as_str(), "Pagination", Profile::Eleve))
        .collect();
    add_accounts(store, &people, None);
}

/// The rows of the list's table (one per account shown; the first table of the page).
pub fn rows(body: &str) -> usize {
    body.split("<tbody>")
        .nth(1)
        .map(|t| {
            t.split("</tbody>")
                .next()
                .unwrap_or("")
                .matches("<tr>")
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn the_accounts_list_comes_in_pages_that_keep_the_search() {
    let (server, _folks) = TestServer::school().await;
    add_many(&server.store());
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;

    let first = admin.get("/admin/comptes").await;
    assert_eq!(first.status, 200);
    assert_eq!(rows(&first.body), 50, "the first page shows 50 accounts");
    assert!(first.body.contains("Page suivante"), "{}", first.body);
    assert!(!first.body.contains("Page précédente"));

    let p1 = admin.get("/admin/comptes?q=pagination").await;
    assert!(
        p1.body.contains("120 comptes — page 1 sur 3"),
        "{}",
        p1.body
    );
    assert!(p1.body.contains("pagination.p000") && p1.body.contains("pagination.p049"));
    assert!(!p1.body.contains("pagination.p050"));
    assert!(
        p1.body
            .contains(r#"rel="next" href="/admin/comptes?q=pagination&amp;page=2""#),
        "the next page's link keeps the search: {}",
        p1.body
    );

    let p2 = admin.get("/admin/comptes?q=pagination&page=2").await;
    assert_eq!(p2.status, 200);
    assert_eq!(rows(&p2.body), 50);
    assert!(p2.body.contains("pagination.p050") && p2.body.contains("pagination.p099"));
    assert!(!p2.body.contains("pagination.p049") && !p2.body.contains("pagination.p100"));
    assert!(p2.body.contains("page 2 sur 3"));
    assert!(p2
        .body
        .contains(r#"rel="prev" href="/admin/comptes?q=pagination""#));
    assert!(p2
        .body
        .contains(r#"rel="next" href="/admin/comptes?q=pagination&amp;page=3""#));

    let p3 = admin.get("/admin/comptes?q=pagination&page=3").await;
    assert_eq!(rows(&p3.body), 20, "the last page holds the rest");
    assert!(!p3.body.contains("Page suivante"));
}

#[tokio::test]
async fn the_search_folds_accents_and_combines_with_the_filters() {
    let (server, folks) = TestServer::school().await;
    let store = server.store();
    add_accounts(
        &store,
        &[
            ("helene.ebrard", "Hélène", "Ébrard", Profile::Responsable),
            ("helene.cote", "HÉLÈNE", "Côté", Profile::Enseignant),
        ],
        None,
    );
    add_accounts(
        &store,
        &[("noe.ebrard", "Noé", "Ébrard", Profile::Eleve)],
        Some(folks.cp),
    );
    // Hélène is the guardian of a pupil of the CP-CE1: the class filter keeps her.
    let noe = directory::user_by_login(&store, "noe.ebrard")
        .unwrap()
        .unwrap()
        .id;
    let helene = directory::user_by_login(&store, "helene.ebrard")
        .unwrap()
        .unwrap()
        .id;
    store
        .commit_blocking(|tx| directory::link_parent(tx, helene, noe))
        .unwrap();
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;

    let found = admin.get("/admin/comptes?q=helene").await;
    assert!(
        found.body.contains("helene.ebrard") && found.body.contains("helene.cote"),
        "an unaccented query finds both Hélène: {}",
        found.body
    );
    assert!(admin
        .get("/admin/comptes?q=COTE+h%C3%A9l")
        .await
        .body
        .contains("helene.cote"));

    let parents = admin
        .get("/admin/comptes?q=helene&profil=responsable")
        .await;
    assert!(parents.body.contains("helene.ebrard") && !parents.body.contains("helene.cote"));

    let in_class = admin
        .get(&format!("/admin/comptes?q=ebrard&classe={}", folks.cp))
        .await;
    assert!(in_class.body.contains("helene.ebrard") && in_class.body.contains("noe.ebrard"));
    let in_other = admin
        .get(&format!("/admin/comptes?q=ebrard&classe={}", folks.cm))
        .await;
    assert!(!in_other.body.contains("noe.ebrard") && in_other.body.contains("Aucun compte."));

    let to_activate = admin
        .get("/admin/comptes?q=ebrard&etat=%C3%A0+activer&profil=eleve")
        .await;
    assert!(to_activate.body.contains("noe.ebrard") && !to_activate.body.contains("helene.ebrard"));
    // The filters chosen are shown again, selected.
    assert!(to_activate
        .body
        .contains(r#"<option value="eleve" selected>"#));
}

#[tokio::test]
async fn a_page_past_the_end_or_made_up_shows_a_page_not_an_error() {
    let (server, _folks) = TestServer::school().await;
    add_many(&server.store());
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;

    let past = admin.get("/admin/comptes?q=pagination&page=99").await;
    assert_eq!(past.status, 200);
    assert!(
        past.body
            .contains("La page 99 n'existe pas : voici la dernière (page 3 sur 3)."),
        "{}",
        past.body
    );
    assert_eq!(rows(&past.body), 20, "the last page is shown");

    for page in ["0", "-1", "deux", "", "99999999999999999999999999"] {
        let p = admin
            .get(&format!("/admin/comptes?q=pagination&page={page}"))
            .await;
        assert_eq!(p.status, 200, "page={page}");
        assert!(rows(&p.body) > 0, "page={page} shows accounts");
    }
    // Query text is shown again and carried in links, escaped.
    let odd = admin
        .get("/admin/comptes?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E&classe=abc&profil=nimporte")
        .await;
    assert_eq!(odd.status, 200);
    assert!(!odd.body.contains("<script>x"), "{}", odd.body);
}

#[tokio::test]
async fn the_list_and_its_pages_stay_the_directors() {
    let (server, _folks) = TestServer::school().await;
    add_many(&server.store());
    for login in ["paul.durand", "marc.petit", "lou.petit", "anne.petit"] {
        let mut c = server.signed_in(login).await;
        for path in [
            "/admin/comptes?page=2",
            "/admin/comptes?q=pagination&profil=eleve&page=3",
            "/admin/comptes?etat=actif&classe=1",
        ] {
            let p = c.get(path).await;
            assert_eq!(p.status, 403, "{login} GET {path}");
            assert!(!p.body.contains("pagination.p"), "{login} sees no account");
        }
    }
    let mut anonymous = server.client();
    let p = anonymous.get("/admin/comptes?page=2").await;
    assert!(
        p.status == 303 || p.status == 401 || p.status == 403,
        "{}",
        p.status
    );
    assert!(!p.body.contains("pagination.p"));
}
