//! « Changer de compte » on a family phone: the device remembers the accounts that signed
//! in on it (a signed cookie, no session), switching asks for the password again and
//! closes the session it replaces, and an account can be forgotten by the device.

use crate::common::{TestServer, FOLKS_PASSWORD};

#[tokio::test]
async fn a_family_phone_switches_accounts_with_the_password_and_closes_the_first_session() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    // One phone (one cookie jar): Inès signs in, then out; Anne signs in.
    let mut phone = server.client();
    assert_eq!(phone.login("ines.leroy", FOLKS_PASSWORD).await.status, 303);
    phone.get("/accueil").await;
    phone.post("/deconnexion", &[]).await;
    assert_eq!(phone.login("anne.petit", FOLKS_PASSWORD).await.status, 303);
    let me = phone.get("/compte").await;
    assert!(me.body.contains("href=\"/compte/changer-de-compte\""));

    let page = phone.get("/compte/changer-de-compte").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Inès Leroy"), "{}", page.body);
    assert!(
        !page
            .body
            .contains(&format!("name=\"compte\" value=\"{}\"", f.anne)),
        "not herself"
    );
    assert!(page
        .body
        .contains(&format!("name=\"compte\" value=\"{}\"", f.ines)));
    // No password in the form: a wrong one keeps Anne where she was.
    let wrong = phone
        .post(
            "/connexion",
            &[
                ("login", "ines.leroy"),
                ("password", "pas-le-bon"),
                ("suite", "/accueil"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(preau::auth::sessions_of(&store, f.anne).unwrap().len(), 1);
    // The same mistake from the switcher's own form comes back to the switcher, Anne
    // still signed in, with the reason.
    phone.get("/compte/changer-de-compte").await;
    let wrong = phone
        .post(
            "/connexion",
            &[
                ("login", "ines.leroy"),
                ("password", "pas-le-bon"),
                ("suite", "/accueil"),
                ("depuis", "changer-de-compte"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 303);
    assert_eq!(wrong.location.as_deref(), Some("/compte/changer-de-compte"));
    let back = phone.get("/compte/changer-de-compte").await;
    assert!(
        back.body.contains("Identifiant ou mot de passe incorrect.")
            && back.body.contains("toujours connecté(e) en tant que Anne"),
        "{}",
        back.body
    );
    assert_eq!(preau::auth::sessions_of(&store, f.anne).unwrap().len(), 1);
    phone.get("/compte/changer-de-compte").await;
    let switched = phone
        .post(
            "/connexion",
            &[
                ("login", "ines.leroy"),
                ("password", FOLKS_PASSWORD),
                ("suite", "/accueil"),
            ],
        )
        .await;
    assert_eq!(switched.status, 303);
    assert!(
        preau::auth::sessions_of(&store, f.anne).unwrap().is_empty(),
        "Anne's session is closed, not left behind"
    );
    assert_eq!(preau::auth::sessions_of(&store, f.ines).unwrap().len(), 1);
    let me = phone.get("/compte").await;
    assert!(me.body.contains("ines.leroy"), "{}", me.body);

    // Anne is remembered now; Inès's phone forgets her.
    let page = phone.get("/compte/changer-de-compte").await;
    assert!(page.body.contains("Anne"), "{}", page.body);
    let anne = f.anne.to_string();
    let forgot = phone
        .post("/compte/changer-de-compte/oublier", &[("compte", &anne)])
        .await;
    assert_eq!(forgot.status, 303);
    let page = phone.get("/compte/changer-de-compte").await;
    assert!(page.body.contains("Aucun autre compte"), "{}", page.body);

    // Another device remembers nobody.
    let mut other = server.signed_in("marc.petit").await;
    let page = other.get("/compte/changer-de-compte").await;
    assert!(page.body.contains("Aucun autre compte"), "{}", page.body);
}

/// The phone's own person signing in again (their session ended overnight) keeps the
/// service worker, and with it the phone's push subscription: only the caches go. Anyone
/// else signing in on that phone, or the same person after a class board's sign-in there,
/// gets the site's storage cleared, so nobody's offline copies outlive a change of person.
#[tokio::test]
async fn signing_in_again_on_ones_own_phone_clears_the_caches_but_not_the_storage() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut phone = server.client();
    async fn sign_in(phone: &mut crate::common::Client, login: &str) -> String {
        phone.get("/connexion").await;
        let resp = phone
            .http
            .post(format!("{}/connexion", phone.base))
            .form(&[
                ("_csrf", phone.csrf.as_str()),
                ("login", login),
                ("password", FOLKS_PASSWORD),
                ("suite", "/accueil"),
            ])
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        assert_eq!(
            status,
            303,
            "{login}: {}",
            resp.text().await.unwrap_or_default()
        );
        resp.headers()
            .get("clear-site-data")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    async fn expire(store: &preau::store::Store, user: u64) {
        for (key, _) in preau::auth::sessions_of(store, user).unwrap() {
            preau::auth::close_session(store, &key, user).await.unwrap();
        }
    }
    let everything = "\"cache\", \"storage\"";
    // A phone new to Préau: everything is cleared.
    assert_eq!(sign_in(&mut phone, "anne.petit").await, everything);
    phone.get("/accueil").await;
    // The next morning, her session has ended: Anne again, on her phone.
    expire(&store, f.anne).await;
    assert_eq!(sign_in(&mut phone, "anne.petit").await, "\"cache\"");
    // Inès takes the phone: everything goes.
    expire(&store, f.anne).await;
    assert_eq!(sign_in(&mut phone, "ines.leroy").await, everything);
    // And Anne after Inès, too.
    expire(&store, f.ines).await;
    assert_eq!(sign_in(&mut phone, "anne.petit").await, everything);
    // Signing in while signed in as oneself is the same person.
    phone.get("/accueil").await;
    assert_eq!(sign_in(&mut phone, "anne.petit").await, "\"cache\"");
}
