//! The commune names who writes the menus besides itself and the director: a named ATSEM
//! writes and publishes a week, and nothing else of the canteen; unnamed, refused.

use super::{monday, school, today};

#[tokio::test]
async fn a_named_atsem_writes_the_menus_and_nothing_else() {
    let (server, _) = school().await;
    let store = server.store();
    let id = |login: &str| {
        preau::directory::user_by_login(&store, login)
            .unwrap()
            .unwrap()
            .id
    };
    let (aline, eva, parent) = (id("aline.morel"), id("eva.garde"), id("ines.leroy"));
    let week = monday(today()).to_string();
    let form = [
        ("semaine", week.as_str()),
        ("j0-jour", "normal"),
        ("j0-plat-nom", "Lasagnes aux légumes"),
        ("j0-plat-vegetarien", "oui"),
        ("action", "publier"),
    ];
    let mut atsem = server.signed_in("aline.morel").await;
    let menu = format!("/cantine/gestion/menu?semaine={week}");
    assert_eq!(atsem.get(&menu).await.status, 403, "not named yet");
    assert_eq!(atsem.post("/cantine/gestion/menu", &form).await.status, 403);

    // The commune names Aline (and tries to name a parent: dropped).
    let mut mairie = server.signed_in("mairie.agent").await;
    let home = mairie.get("/cantine/gestion").await.body;
    assert!(
        home.contains("Qui saisit les menus") && home.contains("aline morel (ATSEM)"),
        "{home}"
    );
    let (a, p) = (aline.to_string(), parent.to_string());
    let r = mairie
        .post(
            "/cantine/gestion/redacteurs",
            &[("redacteurs", &a), ("redacteurs", &p)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        preau::canteen::editors::editors(&store).unwrap(),
        vec![aline]
    );

    let page = atsem.get(&format!("/cantine?semaine={week}")).await.body;
    assert!(page.contains("Saisir les menus de cette semaine"), "{page}");
    assert_eq!(atsem.get(&menu).await.status, 200);
    assert_eq!(atsem.post("/cantine/gestion/menu", &form).await.status, 303);
    let mut family = server.signed_in("ines.leroy").await;
    assert!(family
        .get(&format!("/cantine?semaine={week}"))
        .await
        .body
        .contains("Lasagnes aux légumes"));
    // Menus only: the services, the counts, the naming stay the commune's.
    for path in [
        "/cantine/gestion",
        "/cantine/gestion/services",
        "/cantine/effectifs",
    ] {
        assert_eq!(atsem.get(path).await.status, 403, "{path}");
    }
    let e = eva.to_string();
    let r = atsem
        .post("/cantine/gestion/redacteurs", &[("redacteurs", e.as_str())])
        .await;
    assert_eq!(r.status, 403);
    // An unnamed périscolaire agent is still refused.
    let mut garde = server.signed_in("eva.garde").await;
    assert_eq!(garde.get(&menu).await.status, 403);
    // Un-naming takes it back.
    mairie.get("/cantine/gestion").await;
    mairie.post("/cantine/gestion/redacteurs", &[]).await;
    assert_eq!(atsem.get(&menu).await.status, 403);
    server.stop().await;
}
