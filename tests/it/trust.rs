//! Small things that cost trust (issue 16, point 9): the login page leads to activation,
//! no technical code is shown, reminders count people, a family's split answer is
//! flagged, a forced password change leads on, and the letters name the children plainly.

use crate::common::{Client, TestServer, DIRECTOR_LOGIN};
use preau::directory::{self, NewUser};
use preau::policy::Profile;

/// Publishes a mot as `c` and returns its id (from the redirect to its follow-up).
async fn publish(c: &mut Client, fields: &[(&str, &str)]) -> u64 {
    c.get("/carnet/nouveau").await;
    let page = c.post_multipart("/carnet/nouveau", fields, &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location
        .unwrap()
        .trim_start_matches("/carnet/")
        .trim_end_matches("/suivi")
        .parse()
        .unwrap()
}

/// A person without password (waiting for a letter) or with a temporary one.
fn create(store: &preau::store::Store, login: &str, profile: Profile, temporary: bool) -> u64 {
    let hash = temporary.then(|| preau::auth::password::hash_blocking("provisoire1", 4).unwrap());
    let id = store
        .commit_checked_blocking(|tx| {
            let id = directory::create_user(
                tx,
                &NewUser {
                    login: login.into(),
                    first_name: "Rose".into(),
                    last_name: "Martin".into(),
                    profile,
                    functions: vec![],
                    email: None,
                    password_hash: hash.clone(),
                    must_change_password: temporary,
                    created_at: 0,
                },
            )?;
            let mut u = directory::user_in(tx, id)?.unwrap();
            u.charter_version = 1;
            directory::save_user(tx, &u)?;
            Ok(id)
        })
        .unwrap();
    store.flush_blocking().unwrap();
    id
}

#[tokio::test]
async fn the_login_page_leads_to_activation() {
    let server = TestServer::installed().await;
    let page = server.client().get("/connexion").await;
    assert!(
        page.body.contains("href=\"/activation\"") && page.body.contains("Activer mon compte"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn profiles_are_named_in_plain_french() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let pupil = director.get(&format!("/admin/comptes/{}", f.tom)).await;
    assert_eq!(pupil.status, 200);
    assert!(pupil.body.contains("Élève"), "{}", pupil.body);
    let mine = director.get("/compte").await;
    for page in [&pupil.body, &mine.body] {
        assert!(
            !page.contains("National_"),
            "a technical code shows: {page}"
        );
    }
}

#[tokio::test]
async fn reminders_count_people_and_split_answers_flag_the_child() {
    let (server, f) = TestServer::school().await;
    // Anne is the guardian of Lou and of Tom: two rows, one person.
    server
        .store()
        .commit_blocking(|tx| directory::link_parent(tx, f.anne, f.tom))
        .unwrap();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let id = publish(
        &mut director,
        &[
            ("audience", &format!("c{}", f.cp)),
            ("title", "Sortie au musée"),
            ("body", "Nous irons au musée."),
            ("question", "J'autorise mon enfant à participer."),
            ("deadline", "2099-12-01"),
        ],
    )
    .await;
    let table = director.get(&format!("/carnet/{id}/suivi")).await.body;
    assert!(table.contains("<strong>0 / 3</strong>"), "{table}");
    assert!(
        table.contains("Relancer les 2 responsable(s)"),
        "Marc and Anne, not 3 rows: {table}"
    );
    director.post(&format!("/carnet/{id}/relancer"), &[]).await;
    let after = director.get(&format!("/carnet/{id}/suivi")).await.body;
    assert!(
        after.contains("Rappel envoyé à 2 responsable(s)"),
        "{after}"
    );

    // Lou's guardians disagree: Marc says Oui, Anne says Non.
    for (login, answer) in [("marc.petit", "oui"), ("anne.petit", "non")] {
        let mut g = server.signed_in(login).await;
        g.get(&format!("/carnet/{id}")).await;
        let r = g
            .post(
                &format!("/carnet/{id}/signer"),
                &[("eleve", &f.lou.to_string()), ("reponse", answer)],
            )
            .await;
        assert_eq!(r.status, 303, "{login} signs: {}", r.body);
    }
    let table = director.get(&format!("/carnet/{id}/suivi")).await.body;
    assert!(
        table.contains("Réponses différentes des responsables") && table.contains("lou Petit"),
        "the child is flagged: {table}"
    );
    assert_eq!(
        table.matches("réponses différentes</span>").count(),
        2,
        "{table}"
    );
}

#[tokio::test]
async fn after_a_forced_password_change_the_person_goes_on_to_the_home_page() {
    let server = TestServer::installed().await;
    create(&server.store(), "rose.martin", Profile::Enseignant, true);
    let mut c = server.client();
    let login = c.login("rose.martin", "provisoire1").await;
    assert_eq!(login.location.as_deref(), Some("/compte?premiere=1"));
    c.get("/compte?premiere=1").await;
    let changed = c
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", "provisoire1"),
                ("new_password", "Chemin des écoliers 2026"),
                ("new_password_confirm", "Chemin des écoliers 2026"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(changed.location.as_deref(), Some("/accueil"));
    let home = c.get("/accueil").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Mot de passe changé"), "{}", home.body);
    // An ordinary change stays on « Mon compte ».
    let again = c
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", "Chemin des écoliers 2026"),
                ("new_password", "Sentier des écoliers 2027"),
                ("new_password_confirm", "Sentier des écoliers 2027"),
            ],
        )
        .await;
    assert_eq!(again.location.as_deref(), Some("/compte"));
}

#[tokio::test]
async fn letters_name_the_children_in_a_sentence() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let rose = create(&store, "rose.parent", Profile::Responsable, false);
    store
        .commit_blocking(|tx| {
            directory::link_parent(tx, rose, f.lou)?;
            directory::link_parent(tx, rose, f.tom)
        })
        .unwrap();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/admin/lettres").await;
    let letters = director
        .post("/admin/lettres", &[("classe", ""), ("par_page", "1")])
        .await;
    assert_eq!(letters.status, 200);
    assert!(
        letters.body.contains("suivre la scolarité de lou et Tom")
            || letters.body.contains("suivre la scolarité de Tom et lou"),
        "{}",
        letters.body
    );
    assert!(!letters.body.contains("les familles ("), "{}", letters.body);
}
