//! The morning pointage meets the appel: a pupil marked absent in the class's appel leaves
//! the canteen's expected list, with the reason.

use preau::attendance::{HalfDay, Mark};

use super::{create_service, school, today};
use crate::common::{Client, Folks, TestServer, DIRECTOR_LOGIN};

/// A canteen service where Zoé eats today (past the cut-off: Inès asks, the director
/// accepts); `None` on a day without school, when there is nothing to point.
async fn zoe_eats_today(
    server: &TestServer,
    f: &Folks,
) -> Option<(u64, jiff::civil::Date, Client, Client)> {
    let store = server.store();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let cantine = create_service(&store, &mut director, "cantine", "Cantine").await;
    let t = today();
    let zone = preau::school::get(&store).unwrap().unwrap().zone;
    if preau::canteen::weekday_number(t) > 5 || preau::agenda::holidays::on(zone, t).is_some() {
        return None;
    }
    let mut ines = server.signed_in("ines.leroy").await;
    super::signups::days(&mut ines, f.zoe, cantine, &[t], &[t]).await;
    let (jour, zoe, s) = (
        preau::canteen::day_key(t).to_string(),
        f.zoe.to_string(),
        cantine.to_string(),
    );
    director.get("/cantine/gestion").await;
    director
        .post(
            "/cantine/gestion/demandes",
            &[
                ("service", &s),
                ("jour", &jour),
                ("eleve", &zoe),
                ("reponse", "accepter"),
            ],
        )
        .await;
    Some((cantine, t, director, ines))
}

#[tokio::test]
async fn a_pupil_absent_at_the_appel_leaves_the_canteen_list() {
    let (server, f) = school().await;
    let store = server.store();
    let Some((cantine, t, _, _)) = zoe_eats_today(&server, &f).await else {
        return;
    };
    let mut eva = server.signed_in("eva.garde").await;
    let before = eva.get(&format!("/periscolaire/{cantine}")).await.body;
    assert!(
        before.contains("1</strong> élève(s) attendu(s)"),
        "{before}"
    );
    // The appel of the morning in her class: Zoé absent.
    crate::attendance::school_days(&store, &[t]);
    crate::attendance::appel_as_paul(&store, &f, t, HalfDay::Morning, &[(f.zoe, Mark::Absent)])
        .await;
    let absent = preau::canteen::register::absent_on(&store, t).unwrap();
    assert_eq!(absent.len(), 1, "{absent:?}");
    assert_eq!(absent[0].pupil, f.zoe);
    let after = eva.get(&format!("/periscolaire/{cantine}")).await.body;
    assert!(after.contains("0</strong> élève(s) attendu(s)"), "{after}");
    assert!(after.contains("absent"), "the reason is shown: {after}");
    // Her teacher's « who eats today » agrees with the pointage.
    let mut paul = server.signed_in("paul.durand").await;
    let page = paul.get("/cantine").await.body;
    assert!(
        page.contains("À la cantine aujourd'hui en CM1-CM2 : 0") && !page.contains("Zoé Leroy"),
        "{page}"
    );
    server.stop().await;
}

/// A day the director closes after families booked (journée pédagogique) expects nobody in
/// the pointage and the effectifs and is not in the mairie's count; a regular sign-up with
/// no weekday ticked is refused instead of taking the child off the whole period.
#[tokio::test]
async fn a_day_closed_after_booking_expects_nobody_and_is_not_counted() {
    let (server, f) = school().await;
    let store = server.store();
    let Some((cantine, t, mut director, mut ines)) = zoe_eats_today(&server, &f).await else {
        return;
    };
    let s = cantine.to_string();
    let month = preau::canteen::register::month_count(&store, t.first_of_month()).unwrap();
    assert_eq!(
        month.len(),
        1,
        "Zoé's day is counted while the school is open"
    );
    let csv = director.get("/cantine/effectifs.csv").await.body;
    assert!(csv.contains(&format!("{t};Cantine;1;")), "{csv}");

    crate::attendance::day_off(&store, t);
    let mut eva = server.signed_in("eva.garde").await;
    let list = eva.get(&format!("/periscolaire/{cantine}")).await.body;
    assert!(list.contains("Aucun élève attendu aujourd'hui."), "{list}");
    let csv = director.get("/cantine/effectifs.csv").await.body;
    assert!(csv.contains(&format!("{t};Cantine;0;")), "{csv}");
    assert!(
        preau::canteen::register::month_count(&store, t.first_of_month())
            .unwrap()
            .is_empty(),
        "a journée pédagogique is not a meal to pay"
    );

    // « Inscription régulière » with no weekday: refused, the booking stays.
    let path = format!("/cantine/inscriptions/{}", f.zoe);
    ines.get(&path).await;
    let from = t.to_string();
    let until = t.tomorrow().unwrap().to_string();
    ines.post(
        &path,
        &[
            ("action", "regulier"),
            ("service", &s),
            ("du", &from),
            ("au", &until),
        ],
    )
    .await;
    let page = ines.get(&path).await.body;
    assert!(
        page.contains("Cochez au moins un jour de la semaine"),
        "{page}"
    );
    assert_eq!(
        preau::canteen::services::booked_on(&store, cantine, t)
            .unwrap()
            .len(),
        1,
        "nothing was cancelled"
    );
    server.stop().await;
}
