//! Bookings in the agenda (issue 22): a teacher's confirmed resource booking and a
//! family's meeting show in their agenda and in their iCalendar feed, and in nobody
//! else's; a request still awaiting validation does not.

use crate::common::{Client, TestServer, DIRECTOR_LOGIN};

fn in_days(n: i64) -> String {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros())
        .0
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
        .to_string()
}

/// The person's feed, unfolded (RFC 5545 folds long lines).
async fn feed(c: &mut Client) -> String {
    c.get("/agenda/abonnement").await;
    let page = c.post("/agenda/abonnement", &[]).await;
    let start = page.body.find("/agenda/ical/").unwrap();
    let end = start + page.body[start..].find(".ics").unwrap() + 4;
    let feed = c.get(&page.body[start..end]).await;
    assert_eq!(feed.status, 200);
    feed.body.replace("\r\n ", "")
}

#[tokio::test]
async fn bookings_and_meetings_show_in_their_owners_agenda_and_feed_only() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/reservations/ressources").await;
    for (name, validation) in [
        ("Chariot de tablettes", false),
        ("Salle de motricité", true),
    ] {
        let mut fields = vec![("nom", name), ("genre", "materiel")];
        if validation {
            fields.push(("validation", "1"));
        }
        let r = director.post("/reservations/ressources", &fields).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let id_of = |name: &str| {
        preau::slots::resources::resources(&store)
            .unwrap()
            .into_iter()
            .find(|r| r.name == name)
            .unwrap()
            .id
    };
    let day = in_days(3);
    let mut paul = server.signed_in("paul.durand").await;
    for (name, from, to) in [
        ("Chariot de tablettes", "09:00", "10:00"),
        ("Salle de motricité", "14:00", "15:00"),
    ] {
        let page = format!("/reservations/ressource/{}", id_of(name));
        paul.get(&page).await;
        let r = paul
            .post(
                &page,
                &[
                    ("jour", &day),
                    ("de", from),
                    ("a", to),
                    ("note", "Sciences"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let trolley = id_of("Chariot de tablettes");
    // Inès books a meeting with Paul for Zoé.
    paul.get("/rendez-vous/nouvelle").await;
    let r = paul
        .post(
            "/rendez-vous/nouvelle",
            &[
                ("classe", &f.cm.to_string()),
                ("titre", "Rencontres"),
                ("duree", "15"),
                ("lieu", "salle"),
                ("salle", "Salle 2"),
                ("jour", &in_days(4)),
                ("de", "17:00"),
                ("a", "17:30"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let grid = crate::common::id_after(&r.location.unwrap(), "/rendez-vous/").unwrap();
    let mut ines = server.signed_in("ines.leroy").await;
    ines.get(&format!("/rendez-vous/{grid}")).await;
    let r = ines
        .post(
            &format!("/rendez-vous/{grid}/reserver"),
            &[("eleve", &f.zoe.to_string()), ("creneau", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Paul's agenda: the confirmed trolley, linked to its week; not the room awaiting
    // the director.
    let list = format!("/agenda?vue=liste&date={}", in_days(0));
    let agenda = paul.get(&list).await.body;
    assert!(
        agenda.contains("Réservation : Chariot de tablettes — Sciences"),
        "{agenda}"
    );
    assert!(agenda.contains(&format!(
        "href=\"/reservations/ressource/{trolley}?semaine={day}\""
    )));
    assert!(
        !agenda.contains("Salle de motricité"),
        "a request is not a booking"
    );
    let week = paul
        .get(&format!("/agenda?vue=semaine&date={day}"))
        .await
        .body;
    assert!(
        week.contains("Réservation : Chariot de tablettes"),
        "{week}"
    );
    let paul_feed = feed(&mut paul).await;
    assert!(paul_feed.contains("UID:reservation-"), "{paul_feed}");
    assert!(paul_feed.contains("SUMMARY:Réservation : Chariot de tablettes"));
    assert!(
        !paul_feed.contains("Rendez-vous avec"),
        "the family's, not his"
    );

    // Inès's agenda and feed: her meeting for Zoé at 17 h 15, and nothing of Paul's.
    let agenda = ines.get(&list).await.body;
    assert!(
        agenda.contains("Rendez-vous avec Paul Durand pour Zoé (17 h 15)"),
        "{agenda}"
    );
    assert!(agenda.contains(&format!("href=\"/rendez-vous/{grid}\"")));
    assert!(!agenda.contains("Chariot"));
    let ines_feed = feed(&mut ines).await;
    assert!(
        ines_feed.contains("SUMMARY:Rendez-vous avec Paul Durand pour Zoé"),
        "{ines_feed}"
    );
    assert!(ines_feed.contains("LOCATION:Salle 2"));
    assert!(
        ines_feed.contains("T171500"),
        "starts at 17 h 15, Paris time"
    );
    assert!(!ines_feed.contains("Chariot"));
    // Another family sees neither.
    let mut marc = server.signed_in("marc.petit").await;
    let marc_feed = feed(&mut marc).await;
    assert!(!marc_feed.contains("Rendez-vous avec") && !marc_feed.contains("Réservation"));
    server.stop().await;
}
