//! The agenda and its iCalendar feed (read back with an independent parser), revoked tokens.

use crate::common::{TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn the_agenda_feed_is_valid_icalendar_and_a_revoked_token_is_gone() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/agenda/nouveau").await;
    let r = director
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "ecole"),
                ("title", "Réunion de rentrée"),
                ("place", "Préau"),
                ("start_day", "2026-12-08"),
                ("start_time", "18:00"),
                ("end_time", "19:30"),
                ("audience", "tous"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let bad = director
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "ecole"),
                ("title", "Erreur"),
                ("start_day", "2026-12-08"),
                ("start_time", "18:00"),
                ("end_day", "2026-12-07"),
                ("end_time", "10:00"),
                ("audience", "tous"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("finit avant de commencer"));
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/agenda/nouveau").await;
    let cm = format!("classe-{}", f.cm);
    paul.post(
        "/agenda/nouveau",
        &[
            ("calendar", &cm),
            ("title", "Piscine CM"),
            ("start_day", "2026-12-09"),
            ("start_time", "09:00"),
            ("end_time", "10:00"),
            ("repeat_until", "2027-01-27"),
        ],
    )
    .await;
    let crafted = paul
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "ecole"),
                ("title", "Pirate"),
                ("start_day", "2026-12-09"),
                ("audience", "tous"),
            ],
        )
        .await;
    assert_eq!(crafted.status, 400, "the school calendar is not his");
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/agenda/nouveau").await;
    marc.post(
        "/agenda/nouveau",
        &[
            ("calendar", "perso"),
            ("title", "Dentiste de Lou"),
            ("start_day", "2026-12-10"),
            ("start_time", "17:00"),
        ],
    )
    .await;

    let month = marc.get("/agenda?vue=mois&date=2026-12-01").await.body;
    assert!(
        month.contains("Réunion de rentrée")
            && month.contains("Dentiste de Lou")
            && month.contains("Vacances de Noël")
    );
    assert!(!month.contains("Piscine CM"), "another class's calendar");
    assert!(marc
        .get("/agenda?vue=liste&date=2026-12-01")
        .await
        .body
        .contains("Réunion de rentrée"));
    assert!(marc
        .get("/agenda?vue=semaine&date=2026-12-08")
        .await
        .body
        .contains("18 h – 19 h 30"));

    for extreme in ["9999-12-31", "-009999-01-01", "2026-02-31"] {
        for vue in ["mois", "semaine", "liste"] {
            let s = marc
                .get(&format!("/agenda?vue={vue}&date={extreme}"))
                .await
                .status;
            assert_eq!(s, 200, "{vue} {extreme}");
        }
    }
    // The subscription: a secret URL, shown once.
    marc.get("/agenda/abonnement").await;
    let page = marc.post("/agenda/abonnement", &[]).await.body;
    let start = page.find("/agenda/ical/").unwrap();
    let path: String = page[start..]
        .chars()
        .take_while(|c| *c != '<' && *c != '"')
        .collect();
    let anonymous = server.client();
    let resp = anonymous
        .http
        .get(format!("{}{path}", anonymous.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = resp.text().await.unwrap();
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = parser.next().expect("one calendar").expect("parses");
    assert!(!cal.timezones.is_empty(), "Europe/Paris is defined");
    let summaries: Vec<String> = cal
        .events
        .iter()
        .filter_map(|e| {
            e.properties
                .iter()
                .find(|p| p.name == "SUMMARY")
                .and_then(|p| p.value.clone())
        })
        .collect();
    assert!(summaries.iter().any(|s| s == "Réunion de rentrée"));
    assert!(summaries.iter().any(|s| s == "Dentiste de Lou"));
    assert!(
        summaries.iter().any(|s| s == "Vacances de Noël"),
        "the zone's holidays"
    );
    assert!(!summaries.iter().any(|s| s == "Piscine CM"));
    let meeting = cal
        .events
        .iter()
        .find(|e| {
            e.properties
                .iter()
                .any(|p| p.value.as_deref() == Some("Réunion de rentrée"))
        })
        .unwrap();
    let dtstart = meeting
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .unwrap();
    assert_eq!(dtstart.value.as_deref(), Some("20261208T180000"));
    assert!(dtstart
        .params
        .as_ref()
        .unwrap()
        .iter()
        .any(|(k, v)| k == "TZID" && v == &vec!["Europe/Paris".to_string()]));
    // A new address revokes the old one.
    marc.get("/agenda/abonnement").await;
    marc.post("/agenda/abonnement", &[]).await;
    assert_eq!(
        anonymous
            .http
            .get(format!("{}{path}", anonymous.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Import: a malformed file is refused, a good one lands in the school calendar.
    director.get("/agenda/import").await;
    let r = director.post_multipart("/agenda/import", &[], &[("ics", "vacances.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Sans date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_vec())]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("pas de date de début"), "{}", r.body);
    let r = director
        .post_multipart(
            "/agenda/import",
            &[],
            &[("ics", "x.ics", b"pas un calendrier".to_vec())],
        )
        .await;
    assert_eq!(r.status, 400);
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mairie//FR\r\nBEGIN:VEVENT\r\nUID:marche-2026\r\nSUMMARY:Marché de Noël\r\nDTSTART;TZID=Europe/Paris:20261212T100000\r\nDTEND;TZID=Europe/Paris:20261212T180000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = director
        .post_multipart(
            "/agenda/import",
            &[],
            &[("ics", "mairie.ics", ics.as_bytes().to_vec())],
        )
        .await;
    assert_eq!(r.status, 303);
    director.get("/agenda/import").await;
    director
        .post_multipart(
            "/agenda/import",
            &[],
            &[("ics", "mairie.ics", ics.as_bytes().to_vec())],
        )
        .await;
    let month = marc.get("/agenda?vue=mois&date=2026-12-01").await.body;
    assert_eq!(
        month.matches("Marché de Noël").count(),
        1,
        "a re-import updates, no duplicate"
    );
    assert_eq!(paul.get("/agenda/import").await.status, 403);
}
