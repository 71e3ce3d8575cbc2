use crate::common::{Client, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

#[tokio::test]
async fn login_wrong_password_and_logout() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    let p = c.login(DIRECTOR_LOGIN, "mauvais").await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("Identifiant ou mot de passe incorrect"));
    assert!(
        p.body.contains("value=\"directrice\""),
        "the login typed is kept"
    );
    let p = c.login("inconnu", "mauvais").await;
    assert!(
        p.body.contains("Identifiant ou mot de passe incorrect"),
        "same message for an unknown login"
    );

    let p = c.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location.as_deref(), Some("/accueil"));
    let p = c.get("/accueil").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Bonjour Claire"));

    let p = c.post("/deconnexion", &[]).await;
    assert_eq!(p.location.as_deref(), Some("/connexion"));
    let p = c.get("/accueil").await;
    assert_eq!(p.status, 303);
    assert!(p.location.unwrap().starts_with("/connexion?suite="));
    // Behind a nest and its gates, the way back is still the whole address.
    for (page, back) in [
        ("/carnet/3", "%2Fcarnet%2F3"),
        ("/admin/services", "%2Fadmin%2Fservices"),
        (
            "/messagerie?dossier=envoyes",
            "%2Fmessagerie%3Fdossier%3Denvoyes",
        ),
        ("/compte", "%2Fcompte"),
    ] {
        let p = c.get(page).await;
        assert_eq!(
            p.location.as_deref(),
            Some(format!("/connexion?suite={back}").as_str()),
            "{page}"
        );
    }
    c.get("/connexion?suite=%2Fadmin%2Fservices").await;
    let p = c
        .post(
            "/connexion",
            &[
                ("login", DIRECTOR_LOGIN),
                ("password", DIRECTOR_PASSWORD),
                ("suite", "/admin/services"),
            ],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/admin/services"));

    // The connection log recorded the failure, the login and the logout.
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let p = admin.get("/admin/journal").await;
    assert!(
        p.body.contains("Échec") && p.body.contains("Connexion") && p.body.contains("Déconnexion")
    );
}

#[tokio::test]
async fn session_cookie_is_httponly_lax_and_secure() {
    let server = TestServer::installed().await;
    let c = server.client();
    let resp = c
        .http
        .get(format!("{}/connexion", c.base))
        .send()
        .await
        .unwrap();
    let pre = resp
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let body = resp.text().await.unwrap();
    let token = crate::common::extract_csrf(&body).unwrap();
    let resp = c
        .http
        .post(format!("{}/connexion", c.base))
        .form(&[
            ("login", DIRECTOR_LOGIN),
            ("password", DIRECTOR_PASSWORD),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap();
    for attr in ["preau_session=", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
        assert!(
            pre.contains(attr) || attr == "preau_session=",
            "{attr} missing in {pre}"
        );
    }
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_a_french_message() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    for _ in 0..5 {
        let p = c.login(DIRECTOR_LOGIN, "mauvais").await;
        assert!(p.body.contains("Identifiant ou mot de passe incorrect"));
    }
    let p = c.login(DIRECTOR_LOGIN, "mauvais").await;
    assert!(p.body.contains("Identifiant ou mot de passe incorrect"));
    // Now even the right password waits.
    let p = c.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("Trop de tentatives"), "{}", p.body);
    assert!(p.body.contains("secondes") || p.body.contains("minute"));
}

#[tokio::test]
async fn a_post_without_csrf_token_is_refused_and_what_was_typed_is_given_back() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    c.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    c.get("/admin/ecole").await;
    let p = c
        .post_raw(
            "/admin/ecole",
            &[
                ("name", "Nom piraté"),
                ("uai", "0350001L"),
                ("commune", "Rennes"),
                ("zone", "A"),
            ],
        )
        .await;
    assert_eq!(p.status, 403);
    assert!(p.body.contains("Formulaire expiré"));
    assert!(
        p.body.contains("Nom piraté"),
        "the typed text is shown back"
    );
    let p = c
        .post_raw(
            "/admin/ecole",
            &[
                ("name", "Nom piraté"),
                ("uai", "0350001L"),
                ("commune", "Rennes"),
                ("zone", "A"),
                ("_csrf", "faux"),
            ],
        )
        .await;
    assert_eq!(p.status, 403);
    let p = c.get("/admin/ecole").await;
    assert!(!p.body.contains("Nom piraté"), "nothing changed");
    // The login form is protected too (token of the anonymous visitor).
    let mut anon = server.client();
    let p = anon
        .post_raw(
            "/connexion",
            &[("login", DIRECTOR_LOGIN), ("password", DIRECTOR_PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 403);
}

#[tokio::test]
async fn logging_out_everywhere_ends_the_other_sessions_only() {
    let server = TestServer::installed().await;
    let mut phone = server.client();
    let mut laptop = server.client();
    phone.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    laptop.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    assert_eq!(phone.get("/accueil").await.status, 200);
    laptop.get("/compte").await;
    let p = laptop.post("/compte/deconnecter-partout", &[]).await;
    assert_eq!(p.location.as_deref(), Some("/compte"));
    let p = laptop.get("/compte").await;
    assert!(p.body.contains("1 autre connexion a été fermée"));
    assert_eq!(
        phone.get("/accueil").await.status,
        303,
        "the phone is signed out"
    );
    assert_eq!(
        laptop.get("/accueil").await.status,
        200,
        "this device stays signed in"
    );
}

#[tokio::test]
async fn changing_the_password_requires_the_current_one() {
    let server = TestServer::installed().await;
    let mut c: Client = server.client();
    c.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    c.get("/compte").await;
    let p = c
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", "faux"),
                ("new_password", "Nouveau-2027"),
                ("new_password_confirm", "Nouveau-2027"),
            ],
        )
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("Le mot de passe actuel n'est pas le bon"));
    let p = c
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", DIRECTOR_PASSWORD),
                ("new_password", "Nouveau-2027"),
                ("new_password_confirm", "Nouveau-2027"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let mut other = server.client();
    assert_eq!(
        other.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await.status,
        401
    );
    assert_eq!(
        other.login(DIRECTOR_LOGIN, "Nouveau-2027").await.status,
        303
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_loses_its_sessions() {
    let server = TestServer::installed().await;
    let mut pupil = server.client();
    assert_eq!(pupil.login("lou.petit", "motdepasse1").await.status, 303);
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let p = admin.get("/admin/comptes?profil=eleve").await;
    let id: String = p
        .body
        .split("href=\"/admin/comptes/")
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
        .find(|id| !id.is_empty())
        .unwrap();
    admin.get(&format!("/admin/comptes/{id}")).await;
    let p = admin
        .post(&format!("/admin/comptes/{id}/desactiver"), &[])
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(pupil.get("/accueil").await.status, 303);
    let p = pupil.login("lou.petit", "motdepasse1").await;
    assert!(
        p.body.contains("Ce compte est désactivé"),
        "{} {}",
        p.status,
        p.body
    );
}
