//! Resources (issue 22): the minimum and maximum booking delays refused beside the field;
//! the commune's resources, seen by the school once shared, their requests validated by
//! the commune (validating one refuses the competing ones).

use preau::directory::Membership;
use preau::policy::Profile;
use preau::slots::resources::{self, Status};

use crate::common::{add_person, TestServer, DIRECTOR_LOGIN};

fn in_days(n: i64) -> String {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros())
        .0
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
        .to_string()
}

fn resource_named(store: &preau::store::Store, name: &str) -> u64 {
    resources::resources(store)
        .unwrap()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap()
        .id
}

#[tokio::test]
async fn a_booking_too_soon_or_too_far_ahead_is_refused_beside_the_date() {
    let (server, _) = TestServer::school().await;
    let store = server.store();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/reservations/ressources").await;
    let bad = director
        .post(
            "/reservations/ressources",
            &[
                ("nom", "Salle polyvalente"),
                ("genre", "salle"),
                ("delai_min", "10"),
                ("delai_max", "5"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("au moins égal au délai minimal"),
        "{}",
        bad.body
    );
    let r = director
        .post(
            "/reservations/ressources",
            &[
                ("nom", "Salle polyvalente"),
                ("genre", "salle"),
                ("delai_min", "1"),
                ("delai_max", "60"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let room = resource_named(&store, "Salle polyvalente");
    let page = format!("/reservations/ressource/{room}");
    let mut paul = server.signed_in("paul.durand").await;
    let week = paul.get(&page).await.body;
    assert!(
        week.contains("au moins 1 jour(s) à l'avance, au plus 60 jour(s) à l'avance"),
        "the rules are said: {week}"
    );
    for (day, why) in [
        (in_days(0), "se réserve au moins 1 jour(s) à l'avance"),
        (in_days(61), "se réserve au plus 60 jour(s) à l'avance"),
    ] {
        let r = paul
            .post(&page, &[("jour", &day), ("de", "09:00"), ("a", "10:00")])
            .await;
        assert_eq!(r.status, 400, "{day}");
        assert!(r.body.contains(why), "{why}: {}", r.body);
        assert!(
            r.body.contains("has-error") && r.body.contains(&format!("value=\"{day}\"")),
            "beside the date, the form kept"
        );
    }
    // A weekly series may not run beyond the maximum delay either.
    let r = paul
        .post(
            &page,
            &[
                ("jour", &in_days(2)),
                ("de", "09:00"),
                ("a", "10:00"),
                ("chaque_semaine", "1"),
                ("jusqu_au", &in_days(90)),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("ne se réserve pas au-delà du"),
        "{}",
        r.body
    );
    let r = paul
        .post(
            &page,
            &[("jour", &in_days(2)), ("de", "09:00"), ("a", "10:00")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    server.stop().await;
}

#[tokio::test]
async fn the_communes_minibus_is_shared_with_the_school_and_validated_by_the_commune() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    add_person(&store, "mairie.secretariat", Profile::Commune, None);
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    let mut mairie = server.signed_in("mairie.secretariat").await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    // The commune has an account: its resources are its own, not the director's.
    assert_eq!(director.get("/reservations/commune").await.status, 403);
    mairie.get("/reservations/commune").await;
    let r = mairie
        .post(
            "/reservations/commune",
            &[
                ("nom", "Minibus communal"),
                ("genre", "minibus"),
                ("validation", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let minibus = resource_named(&store, "Minibus communal");
    let page = format!("/reservations/ressource/{minibus}");
    // Not shared yet: the school's staff neither see nor book it.
    let mut paul = server.signed_in("paul.durand").await;
    assert!(!paul
        .get("/reservations")
        .await
        .body
        .contains("Minibus communal"));
    assert_eq!(paul.get(&page).await.status, 403);
    // The director does not edit it from the school's page.
    director.get("/reservations/ressources").await;
    let r = director
        .post(
            &format!("/reservations/ressources/{minibus}"),
            &[("nom", "Mon minibus"), ("genre", "minibus")],
        )
        .await;
    assert_eq!(r.status, 404);
    mairie.get("/reservations/commune").await;
    let r = mairie
        .post(
            &format!("/reservations/commune/{minibus}"),
            &[
                ("nom", "Minibus communal"),
                ("genre", "minibus"),
                ("validation", "1"),
                ("partagee", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(paul
        .get("/reservations")
        .await
        .body
        .contains("Minibus communal"));

    // Paul and Nina ask for overlapping mornings: two requests for the commune.
    let day = in_days(9);
    let mut nina = server.signed_in("nina.roux").await;
    for (c, from, to) in [(&mut paul, "08:30", "12:00"), (&mut nina, "10:00", "11:00")] {
        c.get(&page).await;
        let r = c
            .post(&page, &[("jour", &day), ("de", from), ("a", to)])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let flash = c.get(&r.location.unwrap()).await.body;
        assert!(
            flash.contains("attend la validation de la commune"),
            "{flash}"
        );
    }
    let pending = resources::pending(&store).unwrap();
    let pauls = pending.iter().find(|b| b.by == f.paul).unwrap().id;
    let ninas = pending.iter().find(|b| b.by != f.paul).unwrap().id;
    assert!(mairie
        .get("/notifications")
        .await
        .body
        .contains("Demande de réservation : « Minibus communal »"));
    // The director does not decide on the commune's minibus, nor see its requests.
    let home = director.get("/reservations").await.body;
    assert!(!home.contains("Demandes à valider"), "{home}");
    let decision = |id: u64| format!("/reservations/{id}/decision");
    let r = director
        .post(&decision(pauls), &[("decision", "valider")])
        .await;
    assert_eq!(r.status, 403);
    // The commune validates Paul's: Nina's is refused, and she is told.
    assert!(mairie
        .get("/reservations")
        .await
        .body
        .contains("Demandes à valider"));
    let r = mairie
        .post(&decision(pauls), &[("decision", "valider")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let status = |id| resources::booking(&store, id).unwrap().unwrap().status;
    assert_eq!(status(pauls), Status::Confirmee);
    assert_eq!(status(ninas), Status::Refusee);
    assert!(nina
        .get("/notifications")
        .await
        .body
        .contains("le créneau a été attribué à une autre demande"));
    assert!(paul
        .get("/notifications")
        .await
        .body
        .contains("est validée"));
    server.stop().await;
}
