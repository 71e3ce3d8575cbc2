//! Every console route refuses everyone but the director.

use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

const CONSOLE_PAGES: &[&str] = &[
    "/admin",
    "/admin/ecole",
    "/admin/services",
    "/admin/journal",
    "/admin/classes",
    "/admin/classes/1",
    "/admin/comptes",
    "/admin/comptes/nouveau",
    "/admin/comptes/1",
    "/admin/groupes",
    "/admin/groupes/1",
    "/admin/import",
    "/admin/lettres",
    "/admin/charte",
    "/admin/rentree",
];

const CONSOLE_ACTIONS: &[&str] = &[
    "/admin/ecole",
    "/admin/services",
    "/admin/classes",
    "/admin/classes/1",
    "/admin/classes/1/membres",
    "/admin/classes/1/membres/retirer",
    "/admin/classes/1/supprimer",
    "/admin/comptes/nouveau",
    "/admin/comptes/1/mot-de-passe",
    "/admin/comptes/1/desactiver",
    "/admin/comptes/1/modifier",
    "/admin/comptes/1/lettre",
    "/admin/comptes/1/depart",
    "/admin/comptes/1/fusionner",
    "/admin/groupes",
    "/admin/groupes/1/membres",
    "/admin/groupes/1/membres/retirer",
    "/admin/groupes/1/supprimer",
    "/admin/classes/1/remplacement",
    "/admin/classes/1/remplacement/fin",
    "/admin/rentree",
    "/admin/lettres",
    "/admin/charte",
    "/admin/import/x/valider",
    "/admin/import/x/colonnes",
];

#[tokio::test]
async fn teachers_pupils_and_parents_are_refused_the_console() {
    let server = TestServer::installed().await;
    for (login, password) in [
        ("paul.durand", "maitre2026"),
        ("lou.petit", "motdepasse1"),
        ("marc.petit", "motdepasse1"),
    ] {
        let mut c = server.client();
        assert_eq!(
            c.login(login, password).await.status,
            303,
            "{login} signs in"
        );
        let home = c.get_follow("/accueil").await;
        assert!(
            !home.body.contains("href=\"/admin\""),
            "{login} must not see the console link"
        );
        for path in CONSOLE_PAGES {
            let p = c.get(path).await;
            assert_eq!(p.status, 403, "{login} GET {path}");
            assert!(p.body.contains("Accès refusé"));
        }
        for path in CONSOLE_ACTIONS {
            c.get("/accueil").await;
            let p = c
                .post(
                    path,
                    &[
                        ("name", "x"),
                        ("user_id", "1"),
                        ("label", "x"),
                        ("levels", "CP"),
                    ],
                )
                .await;
            assert_eq!(p.status, 403, "{login} POST {path}");
        }
    }
    // Anonymous visitors are sent to the login page.
    let mut anon = server.client();
    for path in CONSOLE_PAGES {
        let p = anon.get(path).await;
        assert_eq!(p.status, 303, "anonymous GET {path}");
        assert!(p.location.unwrap().starts_with("/connexion"));
    }
}

#[tokio::test]
async fn the_director_makes_a_group_with_members_of_any_profile() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    c.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    c.get("/admin/groupes").await;
    let p = c
        .post("/admin/groupes", &[("label", ""), ("description", "")])
        .await;
    assert_eq!(p.status, 400);
    let p = c
        .post(
            "/admin/groupes",
            &[("label", "Chorale"), ("description", "Le jeudi midi")],
        )
        .await;
    let url = p.location.unwrap();
    let page = c.get(&url).await;
    for login in ["lou.petit", "marc.petit", "paul.durand"] {
        let id: String = page
            .body
            .split("<option value=\"")
            .find(|chunk| {
                chunk.contains(if login == "lou.petit" {
                    "Petit lou — Élève"
                } else if login == "marc.petit" {
                    "Petit marc — Responsable"
                } else {
                    "Durand Paul"
                })
            })
            .map(|chunk| chunk.split('"').next().unwrap().to_string())
            .unwrap();
        c.get(&url).await;
        assert_eq!(
            c.post(&format!("{url}/membres"), &[("user_id", &id)])
                .await
                .status,
            303
        );
    }
    let page = c.get(&url).await;
    assert!(
        page.body.contains("Élève")
            && page.body.contains("Responsable légal")
            && page.body.contains("Enseignant")
    );
    let p = c.post(&format!("{url}/supprimer"), &[]).await;
    assert_eq!(p.location.as_deref(), Some("/admin/groupes"));
}

#[tokio::test]
async fn the_director_cannot_disable_their_own_account() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    c.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let p = c.get("/admin/comptes?profil=enseignant").await;
    assert!(p.body.contains("Martin Claire"));
    // The director's id is 1 (first account created by the installation).
    let p = c.get("/admin/comptes/1").await;
    assert!(!p.body.contains("Désactiver le compte"));
    let p = c.post("/admin/comptes/1/desactiver", &[]).await;
    assert_eq!(p.status, 403);
}

#[tokio::test]
async fn the_director_creates_an_account_that_must_change_its_password() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    c.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    c.get("/admin/comptes/nouveau").await;
    let p = c
        .post(
            "/admin/comptes/nouveau",
            &[("first_name", "Éloïse"), ("last_name", ""), ("profile", "")],
        )
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("Indiquez le nom") && p.body.contains("Choisissez un profil"));
    assert!(p.body.contains("value=\"Éloïse\""));
    let p = c
        .post(
            "/admin/comptes/nouveau",
            &[
                ("first_name", "Éloïse"),
                ("last_name", "Bénard"),
                ("profile", "atsem"),
            ],
        )
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("eloise.benard"));
    let marker = "Mot de passe provisoire</dt><dd><code>";
    let start = p.body.find(marker).unwrap() + marker.len();
    let password: String = p.body[start..].chars().take_while(|c| *c != '<').collect();
    let mut atsem = server.client();
    let p = atsem.login("eloise.benard", &password).await;
    assert_eq!(p.location.as_deref(), Some("/compte?premiere=1"));
}

#[tokio::test]
async fn a_replacement_teacher_holds_a_class_until_the_end_date() {
    let server = TestServer::installed().await;
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let classes = admin.get("/admin/classes").await;
    let cp: u64 = classes
        .body
        .split("href=\"/admin/classes/")
        .skip(1)
        .find(|c| c.contains(">CP-CE1<"))
        .and_then(|c| c.split('"').next())
        .and_then(|id| id.parse().ok())
        .unwrap();
    let mut paul = server.client();
    paul.login("paul.durand", "maitre2026").await;
    assert_eq!(paul.get(&format!("/classes/{cp}")).await.status, 403);

    let store = server.running.as_ref().unwrap().app.store.clone();
    let paul_id = preau::directory::user_by_login(&store, "paul.durand")
        .unwrap()
        .unwrap()
        .id;
    let tomorrow = jiff::ZonedDateTime::now()
        .date()
        .tomorrow()
        .unwrap()
        .to_string();
    admin.get(&format!("/admin/classes/{cp}")).await;
    let p = admin
        .post(
            &format!("/admin/classes/{cp}/remplacement"),
            &[("user_id", &paul_id.to_string()), ("jusqu_au", &tomorrow)],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = admin.get(&format!("/admin/classes/{cp}")).await;
    assert!(page.body.contains("Paul Durand jusqu'au"), "{}", page.body);
    assert_eq!(
        paul.get(&format!("/classes/{cp}")).await.status,
        200,
        "the replacement teacher sees the class"
    );
    paul.get(&format!("/classes/{cp}")).await;
    assert_eq!(
        paul.post(&format!("/classes/{cp}/cartes"), &[("kind", "texte")])
            .await
            .status,
        200
    );
    // A date in the past is refused.
    admin.get(&format!("/admin/classes/{cp}")).await;
    let p = admin
        .post(
            &format!("/admin/classes/{cp}/remplacement"),
            &[
                ("user_id", &paul_id.to_string()),
                ("jusqu_au", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(admin
        .get(&format!("/admin/classes/{cp}"))
        .await
        .body
        .contains("Indiquez une date de fin à venir"));
    admin.get(&format!("/admin/classes/{cp}")).await;
    admin
        .post(
            &format!("/admin/classes/{cp}/remplacement/fin"),
            &[("user_id", &paul_id.to_string())],
        )
        .await;
    assert_eq!(
        paul.get(&format!("/classes/{cp}")).await.status,
        403,
        "access ends with the delegation"
    );
}
