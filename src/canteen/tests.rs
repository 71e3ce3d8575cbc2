//! The canteen's model: weeks and the EGalim warning, the CSV import, sign-ups before and
//! after the cut-off, holidays skipped, capacity, the commune's answer to a request.

use super::services::{self, Context, PeriService, ServiceKind, Status};
use super::*;
use crate::policy::{require, Action, Actor, Profile};
use crate::store::StoreOptions;
use crate::ui::dates;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_raw(
        dir.path(),
        &StoreOptions::default(),
        &crate::schema::tables(),
    )
    .unwrap();
    (dir, store)
}

fn d(text: &str) -> Date {
    text.parse().unwrap()
}

/// Noon in Paris on that day.
fn at(day: &str, hour: i64) -> i64 {
    dates::start_of_day(d(day)) + hour * 3_600_000_000
}

fn parent(children: &[u64]) -> Actor {
    Actor {
        user_id: 7,
        profile: Profile::Responsable,
        director: false,
        class_ids: Vec::new(),
        children: children.to_vec(),
        group_ids: Vec::new(),
    }
}

fn commune() -> Actor {
    Actor {
        user_id: 8,
        profile: Profile::Commune,
        ..parent(&[])
    }
}

fn canteen(capacity: u64) -> PeriService {
    PeriService {
        id: 1,
        kind: ServiceKind::Cantine,
        name: "Cantine".into(),
        weekdays: vec![1, 2, 4, 5],
        capacity,
        cutoff_weekday: 4,
        cutoff_hour: 9,
        cancel_until: Some(9),
        classes: Vec::new(),
        staff: Vec::new(),
        closed: vec![day_key(d("2026-12-11"))],
        report_by: None,
    }
}

fn cx(now: i64) -> Context<'static> {
    static ZONE_A: std::sync::LazyLock<crate::canteen::services::SchoolClosures> =
        std::sync::LazyLock::new(|| {
            crate::canteen::services::SchoolClosures::of_zone(crate::school::Zone::A)
        });
    Context {
        closures: &ZONE_A,
        login: "ines.leroy",
        child_name: "Zoé Leroy",
        classes: &[],
        managers: &[8],
        now,
    }
}

fn booked(store: &Store, pupil: u64) -> Vec<u64> {
    services::of_pupil(store, pupil, d("2026-01-01"), d("2027-12-31"))
        .unwrap()
        .into_iter()
        .map(|(day, _, _)| day)
        .collect()
}

#[test]
fn weeks_start_on_monday_and_keys_read_as_dates() {
    assert_eq!(monday(d("2026-12-10")), d("2026-12-07"));
    assert_eq!(monday(d("2026-12-07")), d("2026-12-07"));
    assert_eq!(day_key(d("2026-12-07")), 20261207);
    assert_eq!(key_day(20261207), Some(d("2026-12-07")));
    assert_eq!(Allergen::parse("Œufs"), Some(Allergen::Oeufs));
    assert_eq!(
        Allergen::parse("fruit a coque"),
        Some(Allergen::FruitsACoque)
    );
    assert_eq!(
        Allergen::parse_list("gluten, noix"),
        Err("noix".to_string())
    );
}

#[tokio::test]
async fn a_published_week_has_its_allergens_and_warns_without_a_vegetarian_menu() {
    let (_dir, store) = store();
    let granted = require(&commune(), Action::ManageCanteen).unwrap();
    let mut week = Week::empty(d("2026-12-07"));
    week.days.push(DayMenu {
        day: day_key(d("2026-12-07")),
        kind: DayKind::Normal,
        note: String::new(),
        dishes: vec![(
            Course::Plat,
            Dish {
                name: "Poisson pané".into(),
                allergens: vec![Allergen::Poissons, Allergen::Gluten],
                ..Dish::default()
            },
        )],
    });
    assert!(egalim_warning(&week).is_some(), "no vegetarian plat");
    save_weeks(&store, &granted, std::slice::from_ref(&week), false, 1)
        .await
        .unwrap();
    assert!(
        published_week(&store, d("2026-12-07")).unwrap().is_none(),
        "a draft"
    );
    save_weeks(&store, &granted, &[week], true, 2)
        .await
        .unwrap();
    let menu = menu_of(&store, d("2026-12-07")).unwrap().unwrap();
    let plat = menu.dish(Course::Plat).unwrap();
    assert_eq!(plat.allergens, vec![Allergen::Poissons, Allergen::Gluten]);
    // Copied to the next week, shifted, as a draft.
    assert!(
        copy_week(&store, &granted, d("2026-12-07"), d("2026-12-14"), 3)
            .await
            .unwrap()
    );
    let copy = week_of_store(&store, "2026-12-14");
    assert_eq!(copy.days[0].day, 20261214);
    assert!(copy.published.is_none());
}

fn week_of_store(store: &Store, monday: &str) -> Week {
    week(store, d(monday)).unwrap().unwrap()
}

#[test]
fn a_csv_with_a_bad_line_is_refused_whole_with_the_line_number_in_french() {
    let good = import::template();
    let weeks = import::parse(good.as_bytes()).unwrap();
    assert_eq!(weeks.len(), 1);
    assert_eq!(weeks[0].days.len(), 3);
    assert!(weeks[0].has_vegetarian());
    let bad = format!("{good}2026-01-08;plat;Gratin;oui;;;;noix\n2026-01-10;plat;Gratin;;;;;\n");
    let errors = import::parse(bad.as_bytes()).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("Ligne 10 : « noix » n'est pas l'un des 14 allergènes"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("Ligne 11 : le 10 janvier 2026 est un samedi"),
        "{}",
        errors[1]
    );
}

#[tokio::test]
async fn before_the_cut_off_a_change_is_done_after_it_becomes_a_request() {
    let (_dir, store) = store();
    let s = canteen(0);
    let boss = require(&commune(), Action::ManageCanteen).unwrap();
    services::save_service(&store, &boss, &s, 0).await.unwrap();
    let zoe = 50;
    let granted = crate::policy::require(&parent(&[zoe]), Action::BookCanteen { pupil_id: zoe })
        .unwrap()
        .on(access::Child { pupil: zoe });
    // Monday 14 December: the cut-off is Thursday 10 December at 9 h.
    let monday = d("2026-12-14");
    let before = at("2026-12-10", 8);
    let sum = services::change(&store, &granted, &s, &[(monday, true)], &cx(before))
        .await
        .unwrap();
    assert_eq!((sum.done, sum.asked), (1, 0));
    assert_eq!(booked(&store, zoe), vec![20261214]);
    assert_eq!(services::count_on(&store, 1, monday).unwrap(), 1);
    // After the cut-off: Tuesday 15 is asked, not booked; the commune is told.
    let after = at("2026-12-10", 10);
    let tuesday = d("2026-12-15");
    let sum = services::change(&store, &granted, &s, &[(tuesday, true)], &cx(after))
        .await
        .unwrap();
    assert_eq!((sum.done, sum.asked), (0, 1));
    assert_eq!(
        booked(&store, zoe),
        vec![20261214],
        "never a silent success"
    );
    assert_eq!(crate::notify::unread_count(&store, 8).unwrap(), 1);
    let pending = services::pending(&store).unwrap();
    assert_eq!(pending.len(), 1);
    // The commune accepts: the day is booked, the parent told.
    let r = services::decide(&store, &boss, (1, 20261215, zoe), true, after + 1)
        .await
        .unwrap();
    assert_eq!(r.status, Status::Accepted);
    assert_eq!(booked(&store, zoe), vec![20261214, 20261215]);
    assert_eq!(crate::notify::unread_count(&store, 7).unwrap(), 1);
    assert!(
        services::decide(&store, &boss, (1, 20261215, zoe), false, after + 2)
            .await
            .is_err()
    );
    // A cancellation the same morning before 9 h is taken at once.
    let sum = services::change(
        &store,
        &granted,
        &s,
        &[(monday, false)],
        &cx(at("2026-12-14", 8)),
    )
    .await
    .unwrap();
    assert_eq!((sum.done, sum.asked), (1, 0));
    assert_eq!(booked(&store, zoe), vec![20261215]);
    // Every change is in the history, and audited.
    let history = services::changes(&store, zoe, 10).unwrap();
    assert_eq!(history.len(), 4);
    assert!(crate::auth::journal::recent_audit(&store, 20)
        .unwrap()
        .iter()
        .any(|e| e.action.contains("désinscription de Zoé Leroy")));
}

#[tokio::test]
async fn a_recurring_pattern_skips_holidays_and_closed_days() {
    let (_dir, store) = store();
    let s = canteen(0);
    let zoe = 50;
    let granted = require(&parent(&[zoe]), Action::BookCanteen { pupil_id: zoe })
        .unwrap()
        .on(access::Child { pupil: zoe });
    // Monday 7 December to Friday 8 January, zone A: Christmas holidays from 19 December
    // to 3 January, and Friday 11 December closed by the commune.
    let days = services::pattern_days(&s, &[1, 2, 4, 5], d("2026-12-07"), d("2027-01-08"));
    let sum = services::change(&store, &granted, &s, &days, &cx(at("2026-11-20", 12)))
        .await
        .unwrap();
    let got = booked(&store, zoe);
    assert!(!got.contains(&20261211), "closed day");
    assert!(
        got.iter().all(|k| !(20261219..=20270103).contains(k)),
        "holidays: {got:?}"
    );
    // 7, 8, 10, 14, 15, 17, 18 December and 4, 5, 7, 8 January.
    assert_eq!(got.len(), 11, "{got:?}");
    assert_eq!(sum.done, 11);
    assert!(sum.skipped > 0);
}

#[tokio::test]
async fn a_full_day_refuses_the_whole_change() {
    let (_dir, store) = store();
    let s = canteen(1);
    let now = at("2026-11-20", 12);
    for pupil in [50, 51] {
        let granted = require(&parent(&[pupil]), Action::BookCanteen { pupil_id: pupil })
            .unwrap()
            .on(access::Child { pupil });
        let days = [(d("2026-12-14"), pupil == 51), (d("2026-12-15"), true)];
        let r = services::change(&store, &granted, &s, &days, &cx(now)).await;
        if pupil == 50 {
            assert!(r.is_ok());
        } else {
            let e = r.unwrap_err().to_string();
            assert!(e.contains("complet"), "{e}");
            assert!(booked(&store, 51).is_empty(), "nothing half-written");
        }
    }
}

#[tokio::test]
async fn a_deleted_pupil_leaves_no_booking_behind_and_the_counts_follow() {
    let (_dir, store) = store();
    let s = canteen(0);
    let boss = require(&commune(), Action::ManageCanteen).unwrap();
    services::save_service(&store, &boss, &s, 0).await.unwrap();
    let now = at("2026-11-20", 12);
    for pupil in [50, 51] {
        let granted = require(&parent(&[pupil]), Action::BookCanteen { pupil_id: pupil })
            .unwrap()
            .on(access::Child { pupil });
        let days = [(d("2026-12-14"), true), (d("2026-12-15"), true)];
        services::change(&store, &granted, &s, &days, &cx(now))
            .await
            .unwrap();
    }
    assert_eq!(services::count_on(&store, 1, d("2026-12-14")).unwrap(), 2);
    let erase = forget(&store, 50).unwrap();
    store.commit_blocking(|tx| erase(tx)).unwrap();
    assert!(booked(&store, 50).is_empty());
    assert!(services::changes(&store, 50, 10).unwrap().is_empty());
    assert_eq!(booked(&store, 51).len(), 2, "the other pupil keeps theirs");
    assert_eq!(services::count_on(&store, 1, d("2026-12-14")).unwrap(), 1);
    assert_eq!(
        services::booked_on(&store, 1, d("2026-12-14"))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_import_of_more_than_a_school_year_is_refused() {
    let mut csv = String::from("date;repas;plat\n");
    let mut day = d("2027-01-04");
    for _ in 0..60 {
        csv.push_str(&format!("{day};plat;Gratin\n"));
        day = add_days(day, 7);
    }
    let errors = import::parse(csv.as_bytes()).unwrap_err();
    assert!(errors[0].contains("60 semaines"), "{errors:?}");
}

#[tokio::test]
async fn the_effectifs_say_when_the_pointage_is_late() {
    let (_dir, store) = store();
    let s = PeriService {
        report_by: Some(10),
        ..canteen(0)
    };
    let boss = require(&commune(), Action::ManageCanteen).unwrap();
    services::save_service(&store, &boss, &s, 0).await.unwrap();
    let day = d("2026-12-14");
    let before = register::headcounts(&store, day, at("2026-12-14", 9)).unwrap();
    assert!(!before[0].late);
    let after = register::headcounts(&store, day, at("2026-12-14", 11)).unwrap();
    assert!(after[0].late && after[0].present.is_none());
    let staff = require(&commune(), Action::TakeCanteenRegister { works_in: false })
        .unwrap()
        .on(s.clone());
    register::save(&store, &staff, day, &[], at("2026-12-14", 11))
        .await
        .unwrap();
    let done = register::headcounts(&store, day, at("2026-12-14", 12)).unwrap();
    assert_eq!((done[0].late, done[0].present), (false, Some(0)));
}
