//! Rendez-vous et réservations in Chromium: a parent books a meeting slot for her
//! daughter on a phone (390 × 844, no page wider than the screen) and finds it on her
//! home page, and offers to accompany an outing on a mot; a teacher books the tablet
//! trolley every Tuesday and finds it in his agenda; the director's pages of resources.
//! axe-core checks each page.

use jiff::civil::{Date, Weekday};
use serde_json::json;

use super::canteen::axe_clean;
use super::Driver;
use crate::common::{id_after, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD, FOLKS_PASSWORD};

fn today() -> Date {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros()).0
}

fn later(n: i64) -> Date {
    today().checked_add(jiff::Span::new().days(n)).unwrap()
}

#[tokio::test]
async fn a_parent_books_a_meeting_on_a_phone_and_a_teacher_books_the_trolley_every_tuesday() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    // Paul's grid, and the director's trolley, made over HTTP.
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/rendez-vous/nouvelle").await;
    let (class, day) = (f.cm.to_string(), later(5).to_string());
    let r = paul
        .post(
            "/rendez-vous/nouvelle",
            &[
                ("classe", &class),
                ("titre", "Rencontres du trimestre"),
                ("duree", "15"),
                ("lieu", "salle"),
                ("salle", "Salle 2"),
                ("jour", &day),
                ("de", "16:30"),
                ("a", "17:30"),
            ],
        )
        .await;
    let grid = id_after(&r.location.unwrap(), "/rendez-vous/").unwrap();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/reservations/ressources").await;
    let r = director
        .post(
            "/reservations/ressources",
            &[("nom", "Chariot de tablettes"), ("genre", "materiel")],
        )
        .await;
    assert_eq!(r.status, 303);
    let trolley = preau::slots::resources::resources(&store).unwrap()[0].id;
    // Paul's mot asks for two accompagnateurs.
    paul.get("/carnet/nouveau").await;
    let r = paul
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("audience", &format!("c{}", f.cm)),
                ("title", "Sortie à la ferme"),
                ("body", "Nous irons à la ferme jeudi."),
                ("accompagnateurs", "2"),
            ],
            &[],
        )
        .await;
    let mot = id_after(&r.location.unwrap(), "/carnet/").unwrap();

    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 390, "height": 844}),
    )
    .await;

    // Inès, on her phone, books 16 h 45 for Zoé.
    d.sign_in(&base, "ines.leroy", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/rendez-vous")).await;
    d.wait_for("Rencontres proposées à votre famille").await;
    axe_clean(&d, "/rendez-vous").await;
    d.click(&format!("a[href='/rendez-vous/{grid}']")).await;
    d.wait_for("Réserver ce créneau pour Zoé").await;
    axe_clean(&d, "/rendez-vous/:id (famille)").await;
    d.click(&format!("label[for='c-{}-1']", f.zoe)).await;
    d.click("form button.primary").await;
    d.wait_for("Rendez-vous réservé pour Zoé").await;
    axe_clean(&d, "/rendez-vous/:id (réservé)").await;
    d.screenshot("rendez-vous-famille.png").await;
    let booked = preau::slots::meetings::booked_for(&store, grid, f.zoe).unwrap();
    assert_eq!(booked, Some(1));
    d.goto(&format!("{base}/accueil")).await;
    let home = d.wait_for("Vos rendez-vous").await;
    assert!(
        home.contains("16 h 45") && home.contains("Salle 2"),
        "{home}"
    );
    axe_clean(&d, "/accueil (rendez-vous)").await;
    // She offers to accompany the outing, on the mot itself.
    d.goto(&format!("{base}/carnet/{mot}")).await;
    d.wait_for("Je me propose pour accompagner").await;
    d.click("form[action$='/accompagner'] button").await;
    d.wait_for("Vous êtes proposé").await;
    axe_clean(&d, "/carnet/:id (accompagnateurs, famille)").await;

    // Paul, at his desk, books the trolley every Tuesday for five weeks.
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 1280, "height": 900}),
    )
    .await;
    d.sign_in(&base, "paul.durand", "maitre2026").await;
    d.goto(&format!("{base}/rendez-vous/{grid}")).await;
    d.wait_for("Feuille du").await;
    axe_clean(&d, "/rendez-vous/:id (enseignant)").await;
    d.goto(&format!("{base}/reservations")).await;
    d.wait_for("Chariot de tablettes").await;
    axe_clean(&d, "/reservations").await;
    d.click(&format!("a[href='/reservations/ressource/{trolley}']"))
        .await;
    d.wait_for("Réserver Chariot de tablettes").await;
    axe_clean(&d, "/reservations/ressource/:id").await;
    let mut tuesday = later(1);
    while tuesday.weekday() != Weekday::Tuesday {
        tuesday = tuesday.tomorrow().unwrap();
    }
    let until = tuesday.checked_add(jiff::Span::new().days(28)).unwrap();
    // Date and time fields are filled by value: typing into them depends on the locale.
    d.script(&format!(
        "document.querySelector('#f-jour').value = '{tuesday}';\
         document.querySelector('#f-de').value = '09:00';\
         document.querySelector('#f-a').value = '10:00';\
         document.querySelector('#f-jusqu_au').value = '{until}'; return 1;"
    ))
    .await;
    d.type_into("#f-note", "Sciences").await;
    d.click("label[for='f-chaque_semaine']").await;
    d.click("form[action^='/reservations/ressource/'] button.primary")
        .await;
    d.wait_for("réservé").await;
    axe_clean(&d, "/reservations/ressource/:id (réservé)").await;
    d.screenshot("reservations-semaine.png").await;
    let days: Vec<Date> = preau::slots::resources::of_author(&store, f.paul, today())
        .unwrap()
        .into_iter()
        .map(|b| b.day)
        .collect();
    assert!(days.len() >= 3, "{days:?}");
    assert!(
        days.iter().all(|d| d.weekday() == Weekday::Tuesday),
        "{days:?}"
    );
    // His agenda shows the bookings; the mot shows Inès's offer to confirm.
    d.goto(&format!("{base}/agenda?vue=liste&date={tuesday}"))
        .await;
    d.wait_for("Réservation : Chariot de tablettes").await;
    axe_clean(&d, "/agenda (réservations)").await;
    d.goto(&format!("{base}/carnet/{mot}")).await;
    d.wait_for("Propositions, dans l").await;
    axe_clean(&d, "/carnet/:id (accompagnateurs, auteur)").await;
    // The director's resources, with their availability, and the commune's (run by the
    // director while the commune has no account).
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    d.goto(&format!("{base}/reservations/ressources")).await;
    d.wait_for("Délai minimal").await;
    axe_clean(&d, "/reservations/ressources").await;
    d.goto(&format!("{base}/reservations/commune")).await;
    d.wait_for("Partagée avec l").await;
    axe_clean(&d, "/reservations/commune").await;
    d.quit().await;
    server.stop().await;
}
