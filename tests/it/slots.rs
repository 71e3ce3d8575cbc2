//! Rendez-vous et réservations (issue 22): one slot per child, both guardians see it, the
//! cancellation window, the teacher's changes told to the family, the day-before
//! reminder, simultaneous bookings of the last slot (exactly one wins), weekly resource
//! bookings skipping the holidays, conflicts named, competing requests refused on
//! validation.

use jiff::civil::Date;
use preau::directory::{self, Membership};
use preau::policy::Profile;

use crate::common::{add_person, id_after, Client, TestServer};

fn today() -> Date {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros()).0
}

fn in_days(n: i64) -> String {
    today()
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
        .to_string()
}

/// Opens a grid for `class` as `teacher`: one or several (day, from, to); its id.
async fn open_grid(
    teacher: &mut Client,
    class: u64,
    minutes: &str,
    days: &[(&str, &str, &str)],
) -> u64 {
    teacher.get("/rendez-vous/nouvelle").await;
    let class = class.to_string();
    let mut fields = vec![
        ("classe", class.as_str()),
        ("titre", "Rencontres du trimestre"),
        ("duree", minutes),
        ("lieu", "salle"),
        ("salle", "Salle de classe"),
    ];
    for (d, from, to) in days {
        fields.extend([("jour", *d), ("de", *from), ("a", *to)]);
    }
    let r = teacher.post("/rendez-vous/nouvelle", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    id_after(&r.location.unwrap(), "/rendez-vous/").unwrap()
}

async fn book(c: &mut Client, grid: u64, child: u64, slot: u64) -> crate::common::Page {
    c.get(&format!("/rendez-vous/{grid}")).await;
    c.post(
        &format!("/rendez-vous/{grid}/reserver"),
        &[
            ("eleve", &child.to_string()),
            ("creneau", &slot.to_string()),
        ],
    )
    .await
}

#[tokio::test]
async fn one_slot_per_child_seen_by_both_guardians_and_by_no_other_family() {
    let (server, f) = TestServer::school().await;
    // Lou is in CP-CE1, whose teacher is the director; Marc and Anne are her guardians.
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let day = in_days(5);
    let grid = open_grid(&mut director, f.cp, "10", &[(&day, "16:30", "17:30")]).await;

    let mut marc = server.signed_in("marc.petit").await;
    let r = book(&mut marc, grid, f.lou, 0).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut anne = server.signed_in("anne.petit").await;
    let page = anne.get(&format!("/rendez-vous/{grid}")).await;
    assert!(
        page.body.contains("Rendez-vous le <strong>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("16 h 30"));
    let home = anne.get("/accueil").await.body;
    assert!(
        home.contains("Vos rendez-vous") && home.contains("16 h 30"),
        "{home}"
    );
    assert!(
        home.contains("Claire Martin") && home.contains("Salle de classe"),
        "{home}"
    );
    // A second slot for the same child is refused, whoever of the two asks.
    for c in [&mut marc, &mut anne] {
        let r = book(c, grid, f.lou, 3).await;
        assert_eq!(r.status, 409);
        assert!(
            r.body.contains("a déjà un rendez-vous dans cette grille"),
            "{}",
            r.body
        );
    }
    // Another family neither sees the grid nor books in it.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get(&format!("/rendez-vous/{grid}")).await.status, 403);
    let r = ines
        .post(
            &format!("/rendez-vous/{grid}/reserver"),
            &[("eleve", &f.zoe.to_string()), ("creneau", "2")],
        )
        .await;
    assert_eq!(r.status, 403);
    // The teacher's next meetings on the home page, the day sheet with both guardians.
    let home = director.get("/accueil").await.body;
    assert!(home.contains("Vos prochains rendez-vous"), "{home}");
    let sheet = director
        .get(&format!("/rendez-vous/{grid}/feuille?jour={day}"))
        .await;
    assert_eq!(sheet.status, 200);
    assert!(
        sheet.body.contains("Marc Petit") || sheet.body.contains("marc Petit"),
        "{}",
        sheet.body
    );
    server.stop().await;
}

#[tokio::test]
async fn a_family_cancels_until_24_hours_before_and_is_reminded_the_day_before() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    // Tomorrow just after midnight is always less than 24 h away; in three days is not.
    let (near, far) = (in_days(1), in_days(3));
    let grid = open_grid(
        &mut paul,
        f.cm,
        "20",
        &[(&near, "00:00", "01:00"), (&far, "17:00", "18:00")],
    )
    .await;
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(book(&mut ines, grid, f.zoe, 4).await.status, 303);
    let zoe = f.zoe.to_string();
    let r = ines
        .post(&format!("/rendez-vous/{grid}/annuler"), &[("eleve", &zoe)])
        .await;
    assert_eq!(r.status, 303, "three days ahead: cancelled");
    assert_eq!(book(&mut ines, grid, f.zoe, 1).await.status, 303);
    let r = ines
        .post(&format!("/rendez-vous/{grid}/annuler"), &[("eleve", &zoe)])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("moins de 24 heures"), "{}", r.body);

    // The day-before reminder reaches the guardians once.
    let store = server.store();
    let now = preau::auth::now_micros();
    assert_eq!(preau::slots::run_jobs(&store, now).unwrap(), 1);
    assert_eq!(preau::slots::run_jobs(&store, now).unwrap(), 0, "once");
    let notes = ines.get("/notifications").await.body;
    assert!(
        notes.contains("Rappel : rendez-vous avec Paul Durand pour Zoé"),
        "{notes}"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_teacher_blocks_moves_and_cancels_and_the_family_is_told() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    let grid = open_grid(&mut paul, f.cm, "15", &[(&in_days(4), "16:30", "17:30")]).await;
    let page = format!("/rendez-vous/{grid}");
    let slot = format!("/rendez-vous/{grid}/creneau");
    paul.get(&page).await;
    let r = paul
        .post(&slot, &[("creneau", "1"), ("action", "bloquer")])
        .await;
    assert_eq!(r.status, 303);
    let mut ines = server.signed_in("ines.leroy").await;
    let r = book(&mut ines, grid, f.zoe, 1).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("n'est pas proposé"), "{}", r.body);
    assert_eq!(book(&mut ines, grid, f.zoe, 0).await.status, 303);

    // Moved to 17 h 15: Inès is told, and the grid says so.
    paul.get(&page).await;
    let r = paul
        .post(
            &slot,
            &[("creneau", "0"), ("action", "deplacer"), ("vers", "3")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let notes = ines.get("/notifications").await.body;
    assert!(
        notes.contains("est déplacé du") && notes.contains("17 h 15"),
        "{notes}"
    );
    assert!(ines.get(&page).await.body.contains("17 h 15"));
    // Moving onto the blocked slot is refused.
    paul.get(&page).await;
    let r = paul
        .post(
            &slot,
            &[("creneau", "3"), ("action", "deplacer"), ("vers", "1")],
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("n'est pas libre"));
    // Cancelled by the teacher: told too, and the child may book again.
    let r = paul
        .post(&slot, &[("creneau", "3"), ("action", "annuler")])
        .await;
    assert_eq!(r.status, 303);
    assert!(ines
        .get("/notifications")
        .await
        .body
        .contains("a annulé le rendez-vous de Zoé"));
    assert_eq!(book(&mut ines, grid, f.zoe, 2).await.status, 303);
    // The family does not run the grid.
    let r = ines
        .post(&slot, &[("creneau", "2"), ("action", "annuler")])
        .await;
    assert_eq!(r.status, 403);
    server.stop().await;
}

#[tokio::test]
async fn two_families_asking_for_the_last_slot_at_once_one_wins() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let julie = add_person(&store, "julie.morin", Profile::Responsable, None);
    let leo = add_person(
        &store,
        "leo.morin",
        Profile::Eleve,
        Some((f.cm, Membership::Pupil)),
    );
    store
        .commit_blocking(|tx| directory::link_parent(tx, julie, leo))
        .unwrap();
    store.flush_blocking().unwrap();
    let mut paul = server.signed_in("paul.durand").await;
    // One slot only.
    let grid = open_grid(&mut paul, f.cm, "15", &[(&in_days(6), "17:00", "17:15")]).await;
    let mut ines = server.signed_in("ines.leroy").await;
    let mut julie_c = server.signed_in("julie.morin").await;
    for _ in 0..3 {
        ines.get(&format!("/rendez-vous/{grid}")).await;
        julie_c.get(&format!("/rendez-vous/{grid}")).await;
        let (zoe, leo_s) = (f.zoe.to_string(), leo.to_string());
        let path = format!("/rendez-vous/{grid}/reserver");
        let (for_zoe, for_leo) = (
            [("eleve", zoe.as_str()), ("creneau", "0")],
            [("eleve", leo_s.as_str()), ("creneau", "0")],
        );
        let (a, b) = tokio::join!(ines.post(&path, &for_zoe), julie_c.post(&path, &for_leo),);
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [303, 409], "exactly one wins");
        let loser = if a.status == 409 { &a } else { &b };
        assert!(
            loser
                .body
                .contains("vient d'être réservé par une autre famille"),
            "{}",
            loser.body
        );
        let booked: Vec<_> = preau::slots::meetings::states(&store, grid)
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(booked.len(), 1);
        // The winner cancels, for the next round.
        let (winner, child) = if a.status == 303 {
            (&mut ines, zoe)
        } else {
            (&mut julie_c, leo_s)
        };
        winner.get(&format!("/rendez-vous/{grid}")).await;
        let r = winner
            .post(
                &format!("/rendez-vous/{grid}/annuler"),
                &[("eleve", &child)],
            )
            .await;
        assert_eq!(r.status, 303);
    }
    server.stop().await;
}

/// The first holiday of the test school's zone (B) that starts more than a week ahead.
fn next_holiday() -> (Date, Date) {
    let after = today().checked_add(jiff::Span::new().days(8)).unwrap();
    preau::agenda::holidays::of_zone(preau::school::Zone::B)
        .into_iter()
        .filter(|(_, first, _)| *first > after)
        .map(|(_, first, last)| (first, last))
        .min()
        .expect("the shipped calendar has holidays to come")
}

async fn new_resource(
    director: &mut Client,
    store: &preau::store::Store,
    name: &str,
    kind: &str,
    validation: bool,
) -> u64 {
    director.get("/reservations/ressources").await;
    let mut fields = vec![("nom", name), ("genre", kind)];
    if validation {
        fields.push(("validation", "1"));
    }
    let r = director.post("/reservations/ressources", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    preau::slots::resources::resources(store)
        .unwrap()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap()
        .id
}

#[tokio::test]
async fn weekly_bookings_skip_the_holidays_and_a_conflict_is_named() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let trolley = new_resource(
        &mut director,
        &store,
        "Chariot de tablettes",
        "materiel",
        false,
    )
    .await;
    let (first, last) = next_holiday();
    let start = first.checked_sub(jiff::Span::new().days(10)).unwrap();
    let until = last.checked_add(jiff::Span::new().days(10)).unwrap();
    let page = format!("/reservations/ressource/{trolley}");
    let mut paul = server.signed_in("paul.durand").await;
    paul.get(&page).await;
    let r = paul
        .post(
            &page,
            &[
                ("jour", &start.to_string()),
                ("de", "09:00"),
                ("a", "10:00"),
                ("note", "Tablettes en sciences"),
                ("chaque_semaine", "1"),
                ("jusqu_au", &until.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let flash = paul.get(&r.location.unwrap()).await.body;
    assert!(
        flash.contains("sans classe, non réservé") && flash.contains("Vacances"),
        "{flash}"
    );
    let booked: Vec<Date> = preau::slots::resources::of_author(&store, f.paul, today())
        .unwrap()
        .into_iter()
        .map(|b| b.day)
        .collect();
    assert!(booked.len() >= 2, "{booked:?}");
    assert!(
        booked.iter().all(|d| *d < first || *d > last),
        "nothing booked during the holidays: {booked:?}"
    );
    assert!(
        booked.iter().any(|d| *d > last),
        "booked after them: {booked:?}"
    );
    // The week's plan during the holidays is free; the week before shows Paul's booking.
    // Holidays start on a Saturday: their first Monday.
    let monday = first.checked_add(jiff::Span::new().days(2)).unwrap();
    let holiday_week = paul.get(&format!("{page}?semaine={monday}")).await.body;
    assert!(!holiday_week.contains("Tablettes en sciences"));
    let before = paul.get(&format!("{page}?semaine={start}")).await.body;
    assert!(
        before.contains("Tablettes en sciences") && before.contains("9 h – 10 h"),
        "{before}"
    );

    // Nina asks for 9 h 30 on the first date: refused, naming Paul's booking.
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    let mut nina_c = server.signed_in("nina.roux").await;
    nina_c.get(&page).await;
    let r = nina_c
        .post(
            &page,
            &[
                ("jour", &start.to_string()),
                ("de", "09:30"),
                ("a", "10:30"),
            ],
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.body.contains("est déjà réservé le") && r.body.contains("par Paul Durand"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"09:30\""),
        "the form keeps what was typed"
    );
    // A parent never reaches the resources.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get("/reservations").await.status, 403);
    server.stop().await;
}

#[tokio::test]
async fn validating_a_request_refuses_the_competing_ones_and_tells_their_authors() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    add_person(
        &store,
        "aline.morel",
        Profile::Atsem,
        Some((f.cm, Membership::Assistant)),
    );
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let minibus = new_resource(&mut director, &store, "Minibus communal", "minibus", true).await;
    let page = format!("/reservations/ressource/{minibus}");
    let day = in_days(9);
    let mut paul = server.signed_in("paul.durand").await;
    let mut nina = server.signed_in("nina.roux").await;
    for (c, from, to) in [(&mut paul, "08:30", "12:00"), (&mut nina, "10:00", "11:00")] {
        c.get(&page).await;
        let r = c
            .post(&page, &[("jour", &day), ("de", from), ("a", to)])
            .await;
        assert_eq!(r.status, 303, "a request, not a conflict: {}", r.body);
    }
    let pending = preau::slots::resources::pending(&store).unwrap();
    assert_eq!(pending.len(), 2);
    let pauls = pending.iter().find(|b| b.by == f.paul).unwrap().id;
    let ninas = pending.iter().find(|b| b.by != f.paul).unwrap().id;
    assert!(director
        .get("/reservations")
        .await
        .body
        .contains("Demandes à valider"));
    // Nina may not decide.
    nina.get("/reservations").await;
    let r = nina
        .post(
            &format!("/reservations/{pauls}/decision"),
            &[("decision", "valider")],
        )
        .await;
    assert_eq!(r.status, 403);
    director.get("/reservations").await;
    let r = director
        .post(
            &format!("/reservations/{pauls}/decision"),
            &[("decision", "valider")],
        )
        .await;
    assert_eq!(r.status, 303);
    let status = |id| {
        preau::slots::resources::booking(&store, id)
            .unwrap()
            .unwrap()
            .status
    };
    assert_eq!(status(pauls), preau::slots::resources::Status::Confirmee);
    assert_eq!(status(ninas), preau::slots::resources::Status::Refusee);
    assert!(nina
        .get("/notifications")
        .await
        .body
        .contains("est refusée"));
    assert!(paul
        .get("/notifications")
        .await
        .body
        .contains("est validée"));
    // Now confirmed, it refuses a new overlapping request outright.
    let mut aline = server.signed_in("aline.morel").await;
    aline.get(&page).await;
    let r = aline
        .post(&page, &[("jour", &day), ("de", "11:30"), ("a", "13:00")])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("par Paul Durand"));
    // Aline cannot cancel Paul's booking; Paul can.
    let r = aline
        .post(&format!("/reservations/{pauls}/annuler"), &[])
        .await;
    assert_eq!(r.status, 403);
    paul.get("/reservations").await;
    let r = paul
        .post(&format!("/reservations/{pauls}/annuler"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(status(pauls), preau::slots::resources::Status::Annulee);
    server.stop().await;
}
