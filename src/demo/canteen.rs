//! The demo's cantine et périscolaire: the mairie's secretary (a Commune account), the
//! commune's five services with the périscolaire staff, a term of menus (a vegetarian plat
//! every week, allergens in words) and the families' sign-ups for it, holidays skipped.
//! Written in one transaction per pupil, like the month of the other modules.

use jiff::civil::Date;

use super::*;
use crate::canteen::services::{PeriService, ServiceKind, SERVICES};
use crate::canteen::{
    add_days, day_key, monday, week_days, Allergen, Course, DayKind, DayMenu, Dish, Week, WEEKS,
};
use crate::directory::people::People;

/// Weeks of menus and sign-ups before and after this week.
const BEFORE: i64 = 4;
const AFTER: i64 = 8;

fn dish(name: &str, vegetarian: bool, organic: bool, local: bool, allergens: &[Allergen]) -> Dish {
    Dish {
        name: name.into(),
        vegetarian,
        organic,
        local,
        homemade: !organic,
        allergens: allergens.to_vec(),
    }
}

/// A day's menu from fixed lists; `n` turns them. The first day of a week is vegetarian.
fn menu_of(day: Date, n: usize) -> DayMenu {
    use Allergen::*;
    let entrees = [
        dish("Carottes râpées", true, true, true, &[]),
        dish("Potage de légumes", true, false, true, &[Celeri]),
        dish("Taboulé", true, false, false, &[Gluten]),
        dish("Salade de betteraves", true, true, false, &[Moutarde]),
        dish("Œuf mayonnaise", true, false, true, &[Oeufs, Moutarde]),
    ];
    let plats = [
        dish(
            "Omelette aux fines herbes",
            true,
            true,
            true,
            &[Oeufs, Lait],
        ),
        dish("Poisson pané", false, false, false, &[Poissons, Gluten]),
        dish("Sauté de porc au caramel", false, false, true, &[Soja]),
        dish("Poulet rôti", false, false, true, &[]),
        dish("Hachis parmentier", false, false, false, &[Lait]),
        dish("Curry de lentilles", true, true, false, &[Celeri]),
    ];
    let garnitures = [
        dish("Riz", true, true, false, &[]),
        dish("Haricots verts", true, false, true, &[]),
        dish("Pâtes", true, false, false, &[Gluten]),
        dish("Purée de potiron", true, true, true, &[Lait]),
    ];
    let laitiers = [
        dish("Yaourt nature", true, true, true, &[Lait]),
        dish("Emmental", true, false, false, &[Lait]),
        dish("Fromage blanc", true, false, true, &[Lait]),
    ];
    let desserts = [
        dish("Pomme", true, true, true, &[]),
        dish("Compote", true, false, true, &[]),
        dish(
            "Gâteau au chocolat",
            true,
            false,
            false,
            &[Gluten, Oeufs, Lait],
        ),
        dish("Clémentines", true, false, false, &[]),
    ];
    let gouters = [
        dish(
            "Pain et chocolat",
            true,
            false,
            false,
            &[Gluten, Lait, Soja],
        ),
        dish("Pain et confiture", true, false, true, &[Gluten]),
    ];
    let first = day.weekday() == jiff::civil::Weekday::Monday;
    let plat = if first {
        plats[0].clone()
    } else {
        plats[1 + n % (plats.len() - 1)].clone()
    };
    DayMenu {
        day: day_key(day),
        kind: DayKind::Normal,
        note: String::new(),
        dishes: vec![
            (Course::Entree, entrees[n % entrees.len()].clone()),
            (Course::Plat, plat),
            (Course::Garniture, garnitures[n % garnitures.len()].clone()),
            (Course::Laitier, laitiers[n % laitiers.len()].clone()),
            (Course::Dessert, desserts[n % desserts.len()].clone()),
            (Course::Gouter, gouters[n % gouters.len()].clone()),
        ],
    }
}

fn service(
    kind: ServiceKind,
    name: &str,
    weekdays: &[u8],
    capacity: u64,
    staff: &[u64],
) -> PeriService {
    PeriService {
        id: 0,
        kind,
        name: name.into(),
        weekdays: weekdays.to_vec(),
        capacity,
        cutoff_weekday: 4,
        cutoff_hour: 9,
        cancel_until: Some(9),
        classes: Vec::new(),
        staff: staff.to_vec(),
        closed: Vec::new(),
        report_by: Some(10),
    }
}

/// The Commune account, the services, a term of menus and sign-ups; the login to show.
pub(super) fn term(
    store: &Store,
    hash: &str,
    charter: u32,
    now: i64,
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let login = directory::suggest_login(store, "Sylvie", "Rouxel")?;
    let mairie = store.commit_checked_blocking(|tx| {
        let id = directory::create_user(
            tx,
            &NewUser {
                login: login.clone(),
                first_name: "Sylvie".into(),
                last_name: "Rouxel".into(),
                profile: Profile::Commune,
                functions: Vec::new(),
                email: None,
                password_hash: Some(hash.to_string()),
                must_change_password: false,
                created_at: now,
            },
        )?;
        accept_charter(tx, id, charter)?;
        Ok::<u64, Failure>(id)
    })?;
    let people = People::load(store)?;
    let zone = crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(Zone::B);
    let closures = crate::canteen::services::SchoolClosures::of(store)?;
    let peri: Vec<u64> = people
        .by_name
        .iter()
        .copied()
        .filter(|u| {
            people
                .user(*u)
                .is_some_and(|u| u.profile == Profile::Periscolaire)
        })
        .collect();
    let (first_staff, second_staff) = (peri.first().copied(), peri.get(1).copied());
    let one = |s: Option<u64>| s.into_iter().collect::<Vec<_>>();
    let mut services = vec![
        service(ServiceKind::Cantine, "Cantine", &[1, 2, 4, 5], 0, &peri),
        service(
            ServiceKind::GarderieMatin,
            "Garderie du matin (7 h 30 – 8 h 20)",
            &[1, 2, 4, 5],
            30,
            &one(first_staff),
        ),
        service(
            ServiceKind::GarderieSoir,
            "Garderie du soir (16 h 30 – 18 h 30)",
            &[1, 2, 4, 5],
            40,
            &one(second_staff),
        ),
        service(
            ServiceKind::Etude,
            "Étude (16 h 30 – 17 h 30)",
            &[1, 2, 4],
            20,
            &one(first_staff),
        ),
        service(
            ServiceKind::Mercredi,
            "Accueil du mercredi",
            &[3],
            24,
            &peri,
        ),
    ];
    let ids = store.commit_blocking(|tx| {
        let mut ids = Vec::new();
        for s in &services {
            let id = tx.next_id("canteen_service")?;
            tx.put(&SERVICES, &id, &PeriService { id, ..s.clone() })?;
            ids.push(id);
        }
        Ok(ids)
    })?;
    for (s, id) in services.iter_mut().zip(ids) {
        s.id = id;
    }
    let today = crate::ui::dates::local_day_and_hour(now).0;
    let first = add_days(monday(today), -7 * BEFORE);
    let weeks: Vec<Date> = (0..BEFORE + AFTER)
        .map(|w| add_days(first, 7 * w))
        .collect();
    store.commit_blocking(|tx| {
        for (w, m) in weeks.iter().enumerate() {
            let mut week = Week::empty(*m);
            for (i, d) in week_days(*m).into_iter().enumerate() {
                if d.weekday() == jiff::civil::Weekday::Wednesday
                    || crate::agenda::holidays::on(zone, d).is_some()
                {
                    continue;
                }
                week.days.push(menu_of(d, w * 5 + i));
            }
            // The last week is still a draft the commune has to publish.
            week.published = (w + 1 < weeks.len()).then_some((now, mairie));
            week.updated_at = now;
            week.updated_by = mairie;
            tx.put(&WEEKS, &week.monday, &week)?;
        }
        Ok(())
    })?;
    // Most pupils eat at the canteen, four days or two; some go to the garderies.
    let last = add_days(first, 7 * (BEFORE + AFTER) - 1);
    let pupils: Vec<u64> = people
        .users
        .values()
        .filter(|u| u.profile == Profile::Eleve)
        .map(|u| u.id)
        .collect();
    for p in pupils {
        let Some(by) = people.parents_of(p).first().copied() else {
            continue;
        };
        let mut plan: Vec<(usize, Vec<u8>)> = Vec::new();
        if morning::chance(p, 1, 80) {
            plan.push((
                0,
                if morning::chance(p, 2, 70) {
                    vec![1, 2, 4, 5]
                } else {
                    vec![1, 4]
                },
            ));
        }
        if morning::chance(p, 3, 15) {
            plan.push((1, vec![1, 2, 4, 5]));
        }
        if morning::chance(p, 4, 20) {
            plan.push((2, vec![1, 2, 4, 5]));
        }
        if morning::chance(p, 5, 10) {
            plan.push((3, vec![1, 4]));
        }
        if morning::chance(p, 6, 15) {
            plan.push((4, vec![3]));
        }
        store.commit_checked_blocking(|tx| {
            for (i, days) in &plan {
                let Some(s) = services.get(*i) else { continue };
                let mut d = first;
                while d <= last {
                    let wd = crate::canteen::weekday_number(d);
                    if days.contains(&wd) && s.closed_on(&closures, d).is_none() {
                        match crate::canteen::signup::book_in(tx, s, p, d, by, now) {
                            // A full service turns the family away, as the page would.
                            Err(crate::refusal::Failure::Refused(_)) => break,
                            other => other?,
                        }
                    }
                    d = add_days(d, 1);
                }
            }
            Ok(())
        })?;
    }
    Ok(vec![("Personnel de la commune (mairie, cantine)", login)])
}
