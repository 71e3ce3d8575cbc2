//! A grid of meetings changed once opened (issue 22): a date added after the last one
//! keeps the bookings where they are, a change of place and the grid's deletion are told
//! to the families who booked, the deletion cancels their meetings.

use crate::common::{id_after, TestServer};

fn in_days(n: i64) -> String {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros())
        .0
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_grid_gets_a_date_and_a_new_place_and_its_deletion_cancels_the_meetings() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut paul = server.signed_in("paul.durand").await;
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
    let grid = id_after(&r.location.unwrap(), "/rendez-vous/").unwrap();
    let page = format!("/rendez-vous/{grid}");
    let edit = format!("{page}/modifier");
    let mut ines = server.signed_in("ines.leroy").await;
    ines.get(&page).await;
    let r = ines
        .post(
            &format!("{page}/reserver"),
            &[("eleve", &f.zoe.to_string()), ("creneau", "1")],
        )
        .await;
    assert_eq!(r.status, 303);
    // The family does not change the grid.
    let r = ines
        .post(&edit, &[("action", "lieu"), ("lieu", "telephone")])
        .await;
    assert_eq!(r.status, 403);

    assert!(paul.get(&page).await.body.contains("Modifier la grille"));
    let add = |day: &str| {
        let day = day.to_string();
        [
            ("action", "date".to_string()),
            ("jour", day),
            ("de", "16:30".into()),
            ("a", "17:00".into()),
        ]
    };
    let before = add(&in_days(3));
    let r = paul
        .post(&edit, &before.each_ref().map(|(k, v)| (*k, v.as_str())))
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.body.contains("Ajoutez une date après la dernière"),
        "{}",
        r.body
    );
    let after = add(&in_days(6));
    let r = paul
        .post(&edit, &after.each_ref().map(|(k, v)| (*k, v.as_str())))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let g = preau::slots::meetings::grid(&store, grid).unwrap().unwrap();
    assert_eq!(g.slots().len(), 4);
    assert_eq!(
        preau::slots::meetings::booked_for(&store, grid, f.zoe).unwrap(),
        Some(1),
        "Zoé's meeting kept its slot"
    );

    paul.get(&page).await;
    let r = paul
        .post(&edit, &[("action", "lieu"), ("lieu", "telephone")])
        .await;
    assert_eq!(r.status, 303);
    assert!(ines
        .get("/notifications")
        .await
        .body
        .contains("a changé de lieu : par téléphone"));

    let r = paul.post(&edit, &[("action", "supprimer")]).await;
    assert_eq!(r.status, 409, "not without the confirmation");
    let r = paul
        .post(&edit, &[("action", "supprimer"), ("confirmer", "1")])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/rendez-vous"));
    assert!(preau::slots::meetings::grid(&store, grid)
        .unwrap()
        .is_none());
    assert_eq!(
        preau::slots::meetings::booked_for(&store, grid, f.zoe).unwrap(),
        None
    );
    assert!(ines
        .get("/notifications")
        .await
        .body
        .contains("le rendez-vous de Zoé"));
    assert_eq!(ines.get(&page).await.status, 404);
    let agenda = ines
        .get(&format!("/agenda?vue=liste&date={}", in_days(0)))
        .await
        .body;
    assert!(!agenda.contains("Rendez-vous avec"), "{agenda}");
    server.stop().await;
}
