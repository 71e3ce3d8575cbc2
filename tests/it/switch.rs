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
