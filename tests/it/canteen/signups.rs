//! Sign-ups through the pages: before the cut-off done, after it a request the commune
//! answers; both guardians see the bookings and who made them; a recurring pattern skips
//! the holidays; the morning list and the counts agree with the bookings.

use jiff::civil::Date;
use preau::canteen::{add_days, day_key, services};

use super::{create_service, monday, school, today};
use crate::common::DIRECTOR_LOGIN;

fn zone(store: &preau::store::Store) -> preau::school::Zone {
    preau::school::get(store).unwrap().unwrap().zone
}

/// The first weekday (not Saturday or Sunday) of `from..from + days` outside holidays.
fn open_day(store: &preau::store::Store, from: Date, days: i64) -> Option<Date> {
    (0..days)
        .map(|i| add_days(from, i))
        .filter(|d| preau::canteen::weekday_number(*d) <= 5)
        .find(|d| preau::agenda::holidays::on(zone(store), *d).is_none())
}

fn booked(store: &preau::store::Store, pupil: u64) -> Vec<u64> {
    services::of_pupil(
        store,
        pupil,
        add_days(today(), -400),
        add_days(today(), 400),
    )
    .unwrap()
    .into_iter()
    .map(|(d, _, _)| d)
    .collect()
}

pub(crate) async fn days(
    c: &mut crate::common::Client,
    pupil: u64,
    service: u64,
    shown: &[Date],
    ticked: &[Date],
) -> crate::common::Page {
    let path = format!("/cantine/inscriptions/{pupil}");
    c.get(&path).await;
    let service = service.to_string();
    let shown: Vec<String> = shown.iter().map(|d| d.to_string()).collect();
    let ticked: Vec<String> = ticked.iter().map(|d| d.to_string()).collect();
    let mut fields = vec![("action", "jours"), ("service", service.as_str())];
    fields.extend(shown.iter().map(|d| ("affiches", d.as_str())));
    fields.extend(ticked.iter().map(|d| ("jours", d.as_str())));
    c.post(&path, &fields).await
}

#[tokio::test]
async fn before_the_cut_off_a_sign_up_is_done_after_it_the_commune_decides() {
    let (server, f) = school().await;
    let store = server.store();
    let mut mairie = server.signed_in("mairie.agent").await;
    let cantine = create_service(&store, &mut mairie, "cantine", "Cantine").await;
    let mut marc = server.signed_in("marc.petit").await;
    let mut anne = server.signed_in("anne.petit").await;
    // Two weeks ahead: before the cut-off (« lundi 0 h » of the week before).
    let Some(early) = open_day(&store, add_days(monday(today()), 14), 35) else {
        return;
    };
    let r = days(&mut marc, f.lou, cantine, &[early], &[early]).await;
    assert_eq!(r.status, 303);
    let page = marc.get(r.location.as_deref().unwrap()).await.body;
    assert!(page.contains("1 jour(s) enregistré(s)"), "{page}");
    assert_eq!(booked(&store, f.lou), vec![day_key(early)]);
    // Anne sees the same booking, and that Marc made it.
    let seen = anne
        .get(&format!("/cantine/inscriptions/{}", f.lou))
        .await
        .body;
    assert!(
        seen.contains(&format!("value=\"{early}\" checked")),
        "{seen}"
    );
    assert!(seen.contains(" : marc Petit</li>"), "who booked: {seen}");
    // Next week (or later this week): after the cut-off, a request, never a silent success.
    let Some(late) = open_day(
        &store,
        add_days(today(), 1),
        7 - i64::from(preau::canteen::weekday_number(today())) + 7,
    ) else {
        return;
    };
    let r = days(&mut anne, f.lou, cantine, &[late], &[late]).await;
    let page = anne.get(r.location.as_deref().unwrap()).await.body;
    assert!(
        page.contains("après la date limite : la demande est envoyée à la commune"),
        "{page}"
    );
    assert!(!booked(&store, f.lou).contains(&day_key(late)));
    assert!(page.contains("inscription demandée"));
    // The commune sees it, accepts it: booked, Anne told.
    let inbox = mairie.get("/cantine/gestion").await.body;
    assert!(
        inbox.contains("<td data-label=\"Élève\">lou Petit</td>"),
        "{inbox}"
    );
    let (jour, lou) = (day_key(late).to_string(), f.lou.to_string());
    let cantine_s = cantine.to_string();
    let r = mairie
        .post(
            "/cantine/gestion/demandes",
            &[
                ("service", &cantine_s),
                ("jour", &jour),
                ("eleve", &lou),
                ("reponse", "accepter"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(booked(&store, f.lou).contains(&day_key(late)));
    assert!(anne
        .get("/notifications")
        .await
        .body
        .contains("La commune a accepté votre demande"));
    // Answered once only.
    let r = mairie
        .post(
            "/cantine/gestion/demandes",
            &[
                ("service", &cantine_s),
                ("jour", &jour),
                ("eleve", &lou),
                ("reponse", "refuser"),
            ],
        )
        .await;
    assert!(mairie
        .get(r.location.as_deref().unwrap())
        .await
        .body
        .contains("déjà reçu une réponse"));
    // Every change is audited, with who and when.
    let audit = preau::auth::journal::recent_audit(&store, 50).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.actor_login == "marc.petit" && e.action.contains("inscription de lou Petit")));
    assert!(audit
        .iter()
        .any(|e| e.actor_login == "mairie.agent" && e.action.contains("acceptée")));
    server.stop().await;
}

#[tokio::test]
async fn a_recurring_pattern_skips_the_holidays_and_the_counts_equal_the_bookings() {
    let (server, f) = school().await;
    let store = server.store();
    let mut mairie = server.signed_in("mairie.agent").await;
    let cantine = create_service(&store, &mut mairie, "cantine", "Cantine").await;
    let mut ines = server.signed_in("ines.leroy").await;
    // February and March 2027 hold the winter holidays of every zone.
    let path = format!("/cantine/inscriptions/{}", f.zoe);
    ines.get(&path).await;
    let cantine_s = cantine.to_string();
    let r = ines
        .post(
            &path,
            &[
                ("action", "regulier"),
                ("service", &cantine_s),
                ("semaine", "1"),
                ("semaine", "2"),
                ("semaine", "4"),
                ("semaine", "5"),
                ("du", "2027-02-01"),
                ("au", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let got = booked(&store, f.zoe);
    let z = zone(&store);
    let mut expected = 0;
    let mut d: Date = "2027-02-01".parse().unwrap();
    while d <= "2027-03-31".parse().unwrap() {
        if [1, 2, 4, 5].contains(&preau::canteen::weekday_number(d))
            && preau::agenda::holidays::on(z, d).is_none()
        {
            expected += 1;
        }
        d = add_days(d, 1);
    }
    assert!(expected < 35, "the period holds holidays");
    assert_eq!(got.len(), expected, "{got:?}");
    assert!(got.iter().all(|k| preau::agenda::holidays::on(
        z,
        preau::canteen::key_day(*k).unwrap()
    )
    .is_none()));
    // The month's CSV: its total is the bookings of the month.
    let csv = mairie.get("/cantine/decompte.csv?mois=2027-03").await.body;
    let march = got
        .iter()
        .filter(|k| (20270301..20270400).contains(*k))
        .count();
    assert!(csv.contains(&format!("Total;;;{march};;")), "{csv}");
    assert!(csv.contains("Leroy Zoé;CM1-CM2;Cantine;"), "{csv}");
    server.stop().await;
}

#[tokio::test]
async fn the_staff_take_todays_list_and_the_commune_and_the_teacher_see_it() {
    let (server, f) = school().await;
    let store = server.store();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let cantine = create_service(&store, &mut director, "cantine", "Cantine").await;
    let t = today();
    if preau::canteen::weekday_number(t) > 5
        || preau::agenda::holidays::on(zone(&store), t).is_some()
    {
        return;
    }
    // Today is past the cut-off: Inès asks, the director accepts.
    let mut ines = server.signed_in("ines.leroy").await;
    days(&mut ines, f.zoe, cantine, &[t], &[t]).await;
    let (jour, zoe, s) = (
        day_key(t).to_string(),
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
    let mut eva = server.signed_in("eva.garde").await;
    assert!(eva
        .get("/periscolaire")
        .await
        .body
        .contains(&format!("href=\"/periscolaire/{cantine}\"")));
    let list = eva.get(&format!("/periscolaire/{cantine}")).await.body;
    assert!(
        list.contains("1</strong> élève(s) attendu(s)") && list.contains("Zoé Leroy"),
        "{list}"
    );
    let r = eva
        .post(&format!("/periscolaire/{cantine}"), &[("presents", &zoe)])
        .await;
    assert_eq!(r.status, 303);
    let effectifs = director.get("/cantine/effectifs").await.body;
    assert!(effectifs.contains("Cantine"), "{effectifs}");
    let csv = director.get("/cantine/effectifs.csv").await.body;
    assert!(csv.contains(&format!("{t};Cantine;1;0;1;1")), "{csv}");
    let mut paul = server.signed_in("paul.durand").await;
    let page = paul.get("/cantine").await.body;
    assert!(
        page.contains("À la cantine aujourd'hui en CM1-CM2 : 1") && page.contains("Zoé Leroy"),
        "{page}"
    );
    server.stop().await;
}
