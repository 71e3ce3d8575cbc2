//! The commune's space in Chromium: the mairie posts a bus change on a line Zoé rides,
//! and Inès, on her phone (390 × 844, no page wider than the screen), finds it on her
//! home page; the mairie's pages and forms, a teacher's request to the mairie.
//! axe-core checks each page.

use jiff::civil::Date;
use preau::policy::Profile;
use serde_json::json;

use super::canteen::axe_clean;
use super::Driver;
use crate::common::{add_person, id_after, TestServer, FOLKS_PASSWORD};

fn later(n: i64) -> Date {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros())
        .0
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
}

#[tokio::test]
async fn the_mairie_posts_a_bus_change_and_a_parent_sees_it_at_home_on_a_phone() {
    let (server, f) = TestServer::school().await;
    add_person(&server.store(), "mairie.secretaire", Profile::Commune, None);
    // The line and its riders, and Paul's request, made over HTTP.
    let mut mairie = server.signed_in("mairie.secretaire").await;
    mairie.get("/commune/transport/nouvelle").await;
    let r = mairie
        .post(
            "/commune/transport/nouvelle",
            &[
                ("nom", "Ligne 2 — Kerhallon"),
                ("sens1", "aller"),
                ("jours1", "0"),
                ("jours1", "3"),
                ("arrets1", "08:00 Kerhallon, lavoir\n08:15 École"),
            ],
        )
        .await;
    let line = id_after(&r.location.unwrap(), "/commune/transport/").unwrap();
    let (class, zoe) = (f.cm.to_string(), f.zoe.to_string());
    let riders = format!("/commune/transport/{line}/eleves");
    let r = mairie
        .post(&riders, &[("classe", &class), ("eleves", &zoe)])
        .await;
    assert_eq!(r.status, 303);
    let r = mairie
        .post(
            "/commune/pages/nouvelle",
            &[
                ("titre", "Horaires de la mairie"),
                ("texte", "- Lundi : 9 h – 12 h\n- Jeudi : 14 h – 18 h"),
            ],
        )
        .await;
    let page = id_after(&r.location.unwrap(), "/commune/page/").unwrap();
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/commune/demandes/nouvelle").await;
    let r = paul
        .post_multipart(
            "/commune/demandes/nouvelle",
            &[
                ("categorie", "travaux"),
                ("titre", "Porte du préau qui frotte"),
                ("texte", "Elle ne ferme plus à clé."),
            ],
            &[],
        )
        .await;
    let request = id_after(&r.location.unwrap(), "/commune/demandes/").unwrap();

    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 1280, "height": 900}),
    )
    .await;
    // The mairie, at its desk: its space, its forms, then the change.
    d.sign_in(&base, "mairie.secretaire", FOLKS_PASSWORD).await;
    for (path, text, name) in [
        (
            "/commune".to_string(),
            "Transport scolaire",
            "/commune (mairie)",
        ),
        (
            "/commune/pages/nouvelle".into(),
            "Ajouter une page",
            "/commune/pages/nouvelle",
        ),
        (
            "/commune/transport/nouvelle".into(),
            "Arrêts et heures",
            "/commune/transport/nouvelle",
        ),
        (
            riders.clone(),
            "Élèves qui prennent la ligne",
            "/commune/transport/:id/eleves",
        ),
        (
            "/commune/demandes".into(),
            "Porte du préau",
            "/commune/demandes",
        ),
        (
            format!("/commune/demandes/{request}"),
            "Changer l'état",
            "/commune/demandes/:id",
        ),
    ] {
        d.goto(&format!("{base}{path}")).await;
        d.wait_for(text).await;
        axe_clean(&d, name).await;
    }
    d.goto(&format!("{base}/commune/transport/{line}")).await;
    d.wait_for("Signaler un changement exceptionnel").await;
    axe_clean(&d, "/commune/transport/:id (mairie)").await;
    // A date field is filled by value: typing into it depends on the locale.
    d.script(&format!(
        "document.querySelector('#f-du').value = '{}'; return 1;",
        later(1)
    ))
    .await;
    d.type_into("#f-texte", "Car supprimé demain — neige").await;
    d.click("form[action*='/changement#'] button.primary").await;
    d.wait_for("1 responsable est prévenu").await;
    axe_clean(&d, "/commune/transport/:id (changement publié)").await;

    // Inès, on her phone: the change is on her home page, the line one tap away.
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 390, "height": 844}),
    )
    .await;
    d.sign_in(&base, "ines.leroy", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/accueil")).await;
    let home = d.wait_for("Car supprimé demain — neige").await;
    assert!(home.contains("Ligne 2 — Kerhallon"), "{home}");
    axe_clean(&d, "/accueil (transport)").await;
    d.script("document.querySelector('#transport').scrollIntoView(); return 1;")
        .await;
    d.screenshot("commune-accueil-famille.png").await;
    d.click(&format!("#transport a[href='/commune/transport/{line}']"))
        .await;
    d.wait_for("Kerhallon, lavoir").await;
    axe_clean(&d, "/commune/transport/:id (famille)").await;
    d.goto(&format!("{base}/commune")).await;
    d.wait_for("Informations de la mairie").await;
    axe_clean(&d, "/commune (famille)").await;
    d.goto(&format!("{base}/commune/page/{page}")).await;
    d.wait_for("Jeudi").await;
    axe_clean(&d, "/commune/page/:id").await;

    // Paul's form for a request, at his desk.
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 1280, "height": 900}),
    )
    .await;
    d.sign_in(&base, "paul.durand", "maitre2026").await;
    d.goto(&format!("{base}/commune/demandes/nouvelle")).await;
    d.wait_for("Genre de demande").await;
    axe_clean(&d, "/commune/demandes/nouvelle").await;
    d.quit().await;
    server.stop().await;
}
